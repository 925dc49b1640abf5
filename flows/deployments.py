"""The cadence deployments, from the registry of cadence points: what `wufei serve` runs, and
what prefect.yaml declares for `prefect deploy --all` (a test keeps the two in step).

Schedules are daily in the cadence time zone (cadence.yaml `timezone`): whether today is the day
(the 3rd working day of the month, a day after 调休 …) is decided in code from the calendar.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from prefect import Flow, serve
from prefect.schedules import Cron

from flows import cadence, notify, points
from flows.crashes import ensure_crash_handling
from wufei.cadence.config import CadenceConfig
from wufei.points import registry

DAILY_SCAN_CRON = "30 8 * * *"


def deployments() -> dict[str, tuple[Flow[..., Any], str]]:
    """name → (flow, cron): the daily scan and weekly report, each cadence point that runs by
    itself, and the delivery after the scan and the weekly report (later runs retry)."""
    return {
        "daily-scan": (cadence.daily_scan, DAILY_SCAN_CRON),
        "weekly-report": (cadence.weekly_report, "0 9 * * *"),
        **{
            point.command: (
                points.POINT_FLOWS.get(point.command) or points.point_flow(point),
                point.cron or "0 10 * * *",
            )
            for point in registry.scheduled()
            if point.command
        },
        "deliver-notices": (notify.deliver_notices, "15 9,11,14,16 * * *"),
    }


# Every served deployment's name: `daily-scan/wufei-serve`, never prefect.yaml's `daily-scan/daily-scan`.
SERVED = "wufei-serve"
SCHEDULER_WAIT = 150.0  # seconds for the server's scheduler to schedule the served deployments (it loops every 60 s)


def _exit_on_sigterm(*_: Any) -> None:
    raise SystemExit(0)


class ServeError(RuntimeError):
    """`wufei serve` cannot run its schedules here; the message is Chinese and says what to do."""


def runner_deployments() -> list[Any]:
    """The deployments `wufei serve` runs, named `<flow>/wufei-serve`: `prefect deploy --all`
    creates `<flow>/<flow>` with a work pool and a pull step, and serving under that name replaced
    them (the workers' next run crashed)."""
    timezone = CadenceConfig.load().timezone_name
    return [
        flow.to_deployment(name=SERVED, schedule=Cron(cron, timezone=timezone), tags=["wufei", "cadence"])
        for flow, cron in deployments().values()
    ]


def check_server(api_url: str | None) -> None:
    """Refuse, with what to do, unless a Prefect server answers at `api_url`, its scheduler is
    enabled and no `prefect deploy --all` deployments of the same flows are on it. Without
    PREFECT_API_URL, Prefect would start a temporary server of its own with no scheduler: the
    schedules would never fire while `wufei serve` said it was serving."""
    import httpx

    if not api_url:
        raise ServeError(
            "未设置 PREFECT_API_URL：wufei serve 需要一个正在运行、启用调度器的 Prefect 服务器。"
            "请先运行 prefect server start，再设置 PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    api = api_url.rstrip("/")
    try:
        httpx.get(f"{api}/health", timeout=5).raise_for_status()
        settings = httpx.get(f"{api}/admin/settings", timeout=5).raise_for_status().json()
    except (httpx.HTTPError, ValueError) as error:
        raise ServeError(
            f"无法连接 Prefect 服务器 {api}（{type(error).__name__}）：请确认服务器已启动、地址无误"
        ) from None
    scheduler = settings.get("server", {}).get("services", {}).get("scheduler", {})
    if scheduler.get("enabled") is False:
        raise ServeError(
            f"Prefect 服务器 {api} 未启用调度器（PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED=false）："
            "按计划的流程不会运行；请启用后重启服务器"
        )
    deployed = [
        f"{flow.name}/{name}"
        for name, (flow, _cron) in deployments().items()
        if httpx.get(f"{api}/deployments/name/{flow.name}/{name}", timeout=5).status_code == 200
    ]
    if deployed:
        raise ServeError(
            f"Prefect 服务器 {api} 上已有 prefect deploy 创建的部署（{'、'.join(deployed)}），由工作池的 worker 运行；"
            "再运行 wufei serve 会让每个流程按计划运行两次。请二选一：用 worker，或删除这些部署后用 wufei serve"
        )


def scheduled_runs(api_url: str) -> int:
    """How many runs of the served deployments the server's scheduler has scheduled."""
    import httpx

    names = {"deployments": {"name": {"any_": [SERVED]}}, "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}
    response = httpx.post(f"{api_url.rstrip('/')}/flow_runs/count", json=names, timeout=10)
    response.raise_for_status()
    return int(response.json())


def served_deployments(api_url: str) -> int:
    """How many `<flow>/wufei-serve` deployments the server holds."""
    import httpx

    names = {"deployments": {"name": {"any_": [SERVED]}}}
    response = httpx.post(f"{api_url.rstrip('/')}/deployments/count", json=names, timeout=10)
    response.raise_for_status()
    return int(response.json())


def watch_scheduler(api_url: str, *, wait: float, stop: Callable[[str], None]) -> threading.Thread:
    """A thread that calls `stop(message)` when the served deployments have no scheduled run
    `wait` seconds after they all exist on the server: the server runs without its scheduler
    (`prefect server start --no-services`, or its services died), and nothing would ever run.
    The wait starts once they exist: creating them takes a while on a loaded machine, and a
    scheduler cannot schedule a deployment before it exists."""
    expected = len(deployments())

    def watch() -> None:
        while True:
            try:
                if served_deployments(api_url) >= expected:
                    break
            except Exception:  # the server restarting: ask again (serving fails by itself if it is gone)
                pass
            time.sleep(1.0)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(min(5.0, max(deadline - time.monotonic(), 0.1)))
            try:
                if scheduled_runs(api_url) > 0:
                    return
            except Exception:  # the server restarting: ask again until the deadline
                continue
        stop(
            f"Prefect 服务器 {api_url} 在 {wait:.0f} 秒内没有为 wufei serve 的部署安排任何运行："
            "服务器的调度器没有运行（如以 --no-services 启动）。wufei serve 已停止；"
            "请以默认方式启动 prefect server start"
        )

    thread = threading.Thread(target=watch, name="wufei-scheduler-watch", daemon=True)
    thread.start()
    return thread


def serve_all(*, scheduler_wait: float = SCHEDULER_WAIT) -> None:
    """Run every cadence flow on its schedule from this process, on the server PREFECT_API_URL
    names (`check_server`); stops with an error when that server's scheduler schedules nothing."""
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()
    check_server(api_url)
    ensure_crash_handling()  # runs whose process died are marked Crashed and run again (flows/crashes.py)

    stopped: list[str] = []

    def stop(message: str) -> None:
        stopped.append(message)
        os.kill(os.getpid(), signal.SIGTERM)  # the runner shuts down on SIGTERM (by SystemExit(0))

    # Until the runner installs its own SIGTERM handler (it first creates the deployments, slowly on a
    # loaded machine), ours ends serving the same way: without it the watcher's SIGTERM killed the
    # process before it could say why.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    watch_scheduler(api_url, wait=scheduler_wait, stop=stop)
    try:
        # Missed runs fire at once after a restart; the flows are idempotent, so no pause.
        serve(*runner_deployments(), pause_on_shutdown=False)
    except SystemExit:
        if not stopped:
            raise
    if stopped:
        raise ServeError(stopped[0])
