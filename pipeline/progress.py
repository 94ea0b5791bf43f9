"""Progress of a long stage: count, rate and time left, reported every few seconds."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Every progress line also goes to this Python logger: `demarche run` prints it on the
# terminal (the run's Dagster logs, shown in the UI, get it through `log`).
LOGGER = logging.getLogger("demarche.progress")


def report(line: str, log: Callable[[str], None]) -> None:
    """A line for the run's log (the UI) and the terminal."""
    log(line)
    LOGGER.info(line)


class Progress:
    def __init__(self, label: str, log: Callable[[str], None], every_s: float = 10.0):
        self.label, self.log, self.every_s = label, log, every_s
        self.start(0)

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.started = self.last = time.monotonic()

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.every_s and self.done < self.total:
            self.last = now
            left = (self.total - self.done) / self.rate if self.rate else float("inf")
            line = f"{self.label}: {self.done}/{self.total} ({self.rate:.0f}/s, about {left:.0f}s left)"
            report(line, self.log)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0
