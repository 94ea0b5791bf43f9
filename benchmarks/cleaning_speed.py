"""Cleaning throughput on one core: the project's clean_html over the 181 pages of
../shared/bench/article-extraction-benchmark, decoded once beforehand (gunzip and decoding
are not timed), median of --repeat passes. Pages per second of CPU time (time.process_time)
is the per-core figure: on a busy machine, wall time also counts the waits for a core; both
are printed.

    .venv/bin/python benchmarks/cleaning_speed.py                  # project's cleaning
    .venv/bin/python benchmarks/cleaning_speed.py --variants       # + what its parts cost

--variants also times, in the same process and interleaved pass by pass (the machine is
shared, so figures from separate runs drift): trafilatura.bare_extraction with the project's
text options alone (no title or date), the same with trafilatura's full metadata pass
(with_metadata=True), and parsing alone. Prints the load average before and after.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402
from trafilatura.utils import load_html  # noqa: E402

from benchmarks.corpus import BENCH  # noqa: E402
from pipeline.cleaning.decode import decode_bytes  # noqa: E402
from pipeline.cleaning.html import DATE_OPTIONS, EXTRACT_OPTIONS, clean_html  # noqa: E402

TEXT_ONLY = {**EXTRACT_OPTIONS, "with_metadata": False}
FULL_METADATA = {**EXTRACT_OPTIONS, "with_metadata": True}


def variants(all_of_them: bool) -> dict:
    out = {"clean_html (project)": clean_html}
    if all_of_them:
        out["bare_extraction, text only"] = lambda markup: trafilatura.bare_extraction(markup, **TEXT_ONLY)
        out["bare_extraction, with_metadata=True"] = lambda markup: trafilatura.bare_extraction(
            markup, date_extraction_params=DATE_OPTIONS, **FULL_METADATA)
        out["load_html (parse only)"] = load_html
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", action="store_true", help="also time the parts (see above)")
    args = parser.parse_args()
    pages = [decode_bytes(gzip.decompress(p.read_bytes())) for p in sorted((BENCH / "html").glob("*.html.gz"))]
    runs = variants(args.variants)
    for function in runs.values():  # warm-up: imports, caches, lazily compiled patterns
        function(pages[0])
    print(f"EXTRACT_OPTIONS = {EXTRACT_OPTIONS}; {len(pages)} pages; load average before {os.getloadavg()}")
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    wall: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, function in runs.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            for markup in pages:
                function(markup)
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
    for name in runs:
        rates = ", ".join(f"{len(pages) / s:.1f}" for s in cpu[name])
        print(f"{name:38s} {len(pages) / statistics.median(cpu[name]):6.1f} pages/s of CPU time, median "
              f"({1000 * statistics.median(cpu[name]) / len(pages):.2f} ms/page; passes: {rates}); "
              f"wall {len(pages) / statistics.median(wall[name]):.1f} pages/s")
    print(f"load average after {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
