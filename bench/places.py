"""Places: what reading the division data, finding a document's place and resolving owners anywhere cost.

Prints the time to read the division list and the standard agencies (once per process), to find
the place of each seed (median of several runs), to find it in a 200-page document that names it
only in its body (the worst case: every line is scanned for place names), to build the generic
registry of every place of China, and to resolve owner names in a city without a registry file.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wufei.departments.agencies import standard_agencies  # noqa: E402
from wufei.departments.registry import Registry  # noqa: E402
from wufei.importers.text.metadata import document_metadata  # noqa: E402
from wufei.places import Divisions  # noqa: E402

SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
RUNS = 5
PAGES = 200
KNOWN = ["深圳市生态环境局", "市发改委", "各区人民政府", "南山区政府", "省生态环境厅", "有关部门"]
UNKNOWN = ["市住房和建设局"]  # 深圳's own name: kept, with close matches looked up among every name


def median_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    started = time.perf_counter()
    china = Divisions.load()
    standard_agencies()
    print(f"read {len(china)} places and the standard agencies: {time.perf_counter() - started:.3f} s")

    seeds = [path.read_text(encoding="utf-8").split("\n") for path in SEEDS]
    seconds = median_of(RUNS, lambda: [document_metadata(lines) for lines in seeds])
    print(f"metadata with place of the five seeds: {seconds * 1000:.1f} ms median of {RUNS}")

    # A 200-page plan (about 40 lines of 50 characters a page) whose only place is in its body.
    page = ["推进固体废物源头减量和资源化利用，完善收运体系，强化监管能力建设。拉萨市各县区落实。"] * 40
    long = ["“无废城市”建设实施方案", *(line for _ in range(PAGES) for line in page)]
    seconds = median_of(RUNS, lambda: document_metadata(long))
    found = document_metadata(long).jurisdiction
    print(f"place of a {PAGES}-page document named only in its body ({found}): {seconds * 1000:.1f} ms median")

    registry = Registry.load()
    started = time.perf_counter()
    for place in china:
        registry.collectives(china.unique_name(place))
    print(f"generic registries of all {len(china)} places: {time.perf_counter() - started:.2f} s")

    fresh = Registry.load()
    for label, names in (("known", KNOWN), ("unknown", UNKNOWN)):
        per = median_of(RUNS, lambda names=names: [fresh.resolve(n, "深圳市") for n in names * 100]) / (
            100 * len(names)
        )
        print(f"resolve an owner name in 深圳市 (no registry file), {label}: {per * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
