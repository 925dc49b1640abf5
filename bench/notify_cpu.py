"""Where a delivery run's CPU goes, per thread: the CPU time of each thread of `deliver_day` (the
claims, the thread opening attempts and building the emails, the sending threads, the writer) and
of its courier processes, in milliseconds a message, with the run's wall time.

The set-up is bench/notify_smtp.py's (departments, one overdue intent each, one mailto:// service,
aiosmtpd in a child process), on WUFEI_BENCH_DATABASES (default SQLite and PostgreSQL) with
WUFEI_BENCH_DIGESTS digests (default 3,000) and WUFEI_BENCH_CONCURRENCY threads (default 4). Each
thread's CPU is `time.thread_time()` over its life; the couriers' is RUSAGE_CHILDREN's growth over
the run (the aiosmtpd child is still running, so it is not counted), start-up included.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import databases, env_int  # noqa: E402
from notify_smtp import DAY, _build, smtp_server_as_fallback  # noqa: E402

_cpu: dict[str, float] = {}
_lock = threading.Lock()
_run = threading.Thread.run


def _timed_run(self: threading.Thread) -> None:
    started = time.thread_time()
    try:
        _run(self)
    finally:
        role = "sending threads" if self.name.startswith("wufei-notify-") and self.name[-1].isdigit() else self.name
        with _lock:
            _cpu[role] = _cpu.get(role, 0.0) + time.thread_time() - started


threading.Thread.run = _timed_run  # type: ignore[method-assign]  # counts each thread's CPU, then runs it


def _used(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _measure(label: str, url: str, *, count: int, concurrency: int) -> None:
    from wufei.cadence.config import CadenceConfig
    from wufei.db import make_engine
    from wufei.notify import service
    from wufei.notify.runs import deliver_day, load_channels

    engine = make_engine(url)
    _build(engine, count)
    channels = load_channels(engine)
    for each in channels.services:
        each.request_rate_per_sec = 0
    claim = service.claim_digests

    def timed_claim(*args, **kwargs):
        started = time.thread_time()
        try:
            return claim(*args, **kwargs)
        finally:
            _cpu["claims"] = time.thread_time() - started

    service.claim_digests = timed_claim
    _cpu.clear()
    process, children, wall = _used(resource.RUSAGE_SELF), _used(resource.RUSAGE_CHILDREN), time.perf_counter()
    calling = time.thread_time()
    summary = deliver_day(
        engine, DAY, cadence=CadenceConfig.load(), channels=channels, now=datetime.now(UTC), concurrency=concurrency
    )
    _cpu["calling thread (opening, building)"] = time.thread_time() - calling - _cpu.get("claims", 0.0)
    wall = time.perf_counter() - wall
    process, children = _used(resource.RUSAGE_SELF) - process, _used(resource.RUSAGE_CHILDREN) - children
    service.claim_digests = claim
    assert summary["sent"] == count, summary
    per = 1000 / count
    threads = ", ".join(f"{role} {seconds * per:.3f}" for role, seconds in sorted(_cpu.items()))
    print(
        f"{label}: {count:,} digests in {wall:.1f} s ({count / wall:,.0f} messages/s), load "
        f"{os.getloadavg()[0]:.1f}; CPU ms a message: this process {process * per:.3f} ({threads}), "
        f"the couriers {children * per:.3f}",
        flush=True,
    )
    engine.dispose()


def main() -> None:
    count = env_int("WUFEI_BENCH_DIGESTS", 3_000)
    concurrency = env_int("WUFEI_BENCH_CONCURRENCY", 4)
    with smtp_server_as_fallback(), databases() as backends:
        for label, new_url in backends:
            _measure(label, new_url(), count=count, concurrency=concurrency)


if __name__ == "__main__":
    main()
