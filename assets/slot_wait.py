"""A run executing in this process (`demarche run`) that waits for a pool slot says so, and
stops on SIGINT/SIGTERM.

Dagster's in-process executor waits for a slot in a loop that prints nothing, and during a
run it turns SIGINT and SIGTERM into a flag it reads only when a step starts: a run waiting
for a slot that never frees would ignore both for ever. So while a job executes,
watch_slot_waits() runs a thread that

- every `poll_s`, looks up whether the run has a step waiting for a pool slot, and logs which
  pool and which runs hold it (when the wait starts, then every `report_every_s`);
- sees every signal through signal.set_wakeup_fd (the C-level handler writes each signal's
  number there, whichever Python handler Dagster installed); a SIGINT or SIGTERM during such
  a wait marks the run canceling and interrupts the main thread (through SIGUSR1), which
  Dagster then handles as a cancellation: the run ends CANCELED and its claim is dropped.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dagster import DagsterInstance
from dagster._core.errors import DagsterExecutionInterruptedError

from assets.run_health import describe_run

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
INTERRUPT_SIGNAL = signal.SIGUSR1


def blocked_pools(instance: DagsterInstance, run_id: str) -> dict[str, list[str]]:
    """pool -> the runs holding its slots, for every pool in which the run has a step
    waiting for a slot."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return {}
    blocked = {}
    for pool, info in storage.get_concurrency_infos(sorted(storage.get_concurrency_keys())).items():
        claimed = {(slot.run_id, slot.step_key) for slot in info.claimed_slots}
        if any(step.run_id == run_id and (run_id, step.step_key) not in claimed for step in info.pending_steps):
            holders = sorted({slot.run_id for slot in info.claimed_slots if slot.run_id != run_id})
            blocked[pool] = [_describe(instance, holder) for holder in holders]
    return blocked


def _describe(instance: DagsterInstance, run_id: str) -> str:
    run = instance.get_run_by_id(run_id)
    return describe_run(run) if run else f"run {run_id}"


def _interrupt_main(signum, frame):
    raise DagsterExecutionInterruptedError("interrupted while waiting for a pool slot")


class _Watcher(threading.Thread):
    def __init__(self, instance: DagsterInstance, run_id: str, log: Callable[[str], None], wakeup_fd: int,
                 poll_s: float, report_every_s: float):
        super().__init__(name=f"slot-wait-{run_id[:8]}", daemon=True)
        self.instance, self.run_id, self.log = instance, run_id, log
        self.wakeup_fd, self.poll_s, self.report_every_s = wakeup_fd, poll_s, report_every_s
        self.done = threading.Event()
        self.interrupted_by: int | None = None

    def run(self) -> None:
        reported: dict[str, float] = {}
        stop: set[int] = set()  # kept: a signal just before a wait must stop that wait too
        while not self.done.is_set():
            readable, _, _ = select.select([self.wakeup_fd], [], [], self.poll_s)
            stop |= set(os.read(self.wakeup_fd, 64)) & STOP_SIGNALS if readable else set()
            if self.done.is_set():
                return
            blocked = blocked_pools(self.instance, self.run_id)
            now = time.monotonic()
            for pool, holders in blocked.items():
                if now - reported.get(pool, -self.report_every_s) >= self.report_every_s:
                    reported[pool] = now
                    self.log(f"run {self.run_id} waits for a slot of pool {pool}, held by "
                             f"{', '.join(holders) or 'no run (being assigned)'}")
            if blocked and stop:
                self.interrupted_by = min(stop)
                run = self.instance.get_run_by_id(self.run_id)
                self.instance.report_run_canceling(
                    run, message=f"{signal.Signals(self.interrupted_by).name} while waiting for pool "
                                 f"{', '.join(blocked)}: canceled")
                os.kill(os.getpid(), INTERRUPT_SIGNAL)  # Python runs the handler in the main thread
                return


@contextmanager
def watch_slot_waits(instance: DagsterInstance, run_id: str, log: Callable[[str], None],
                     poll_s: float = 1.0, report_every_s: float = 60.0) -> Iterator[_Watcher]:
    """Watch the run `run_id` while the block executes it. Signals are seen only from the
    main thread (Python delivers them there); elsewhere the wait is still reported."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    main = threading.current_thread() is threading.main_thread()
    if main:
        previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        previous_handler = signal.signal(INTERRUPT_SIGNAL, _interrupt_main)
    watcher = _Watcher(instance, run_id, log, read_fd, poll_s, report_every_s)
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.done.set()
        os.write(write_fd, b"\0")  # wake it
        watcher.join()
        if main:
            signal.signal(INTERRUPT_SIGNAL, previous_handler)
            signal.set_wakeup_fd(previous_fd)
        os.close(read_fd)
        os.close(write_fd)
