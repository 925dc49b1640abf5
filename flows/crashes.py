"""Stuck runs: Prefect's own zombie detection and a retry of crashed runs, as two automations on
the server, made by the deploy step (prefect.yaml's build step, `wufei serve` at start).

A flow run whose process dies without a word (kill -9, the machine lost, the OOM killer) stays
`Running` on the server forever, and its retries never fire: the retry policy runs inside the
dead process. Prefect's answer (docs: "Detect zombie flows"): every flow run emits a heartbeat
event every PREFECT_FLOWS_HEARTBEAT_FREQUENCY seconds (180 by default, at least 30), and an
automation that expects another heartbeat (or a final state) within a window marks the run
`Crashed` when none comes. The second automation retries a crashed run of a wufei deployment:
it puts it back to `Scheduled` (named AwaitingRetry), so a worker (or `wufei serve`) runs it again
under the same flow run id, at most CRASH_RETRIES times (the state event's run count). Every
wufei flow is idempotent; the delivery flow's retry releases the claims its dead attempt held
(flows/notify.py).

Both automations match runs tagged `wufei` that belong to a deployment, and are kept by name:
deploying again updates them (a changed heartbeat frequency changes the window).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from prefect.automations import AutomationCore
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification

CRASH_ZOMBIES = "wufei: mark runs whose heartbeats stopped as crashed"
RETRY_CRASHED = "wufei: retry crashed runs"
CRASH_RETRIES = 2  # crashed runs are run again at most this often (their run count says how often they ran)
TAG = "wufei"
FINAL_EVENTS = {f"prefect.flow-run.{name}" for name in ("Completed", "Failed", "Cancelled", "Crashed")}
HEARTBEAT = "prefect.flow-run.heartbeat"


def heartbeat_seconds() -> int:
    """The heartbeat frequency flow runs use here: Prefect's setting PREFECT_FLOWS_HEARTBEAT_FREQUENCY.
    Workers and the deploy step must see the same value (the window below is made from it)."""
    from prefect.settings import get_current_settings

    return get_current_settings().flows.heartbeat_frequency or 180


def missed_window(heartbeat: int) -> timedelta:
    """How long without a heartbeat before a run is taken for dead: two beats missed. A busy
    machine delays a beat by seconds, not by a whole period."""
    return timedelta(seconds=2 * heartbeat)


def automations(heartbeat: int) -> list[AutomationCore]:
    """The two automations (see the module's docstring)."""
    wufei_deployment_runs: list[ResourceSpecification | dict[str, str | list[str]]] = [
        {"prefect.resource.role": "tag", "prefect.resource.id": f"prefect.tag.{TAG}"},
        {"prefect.resource.role": "deployment"},  # only a deployment's run can be scheduled again
    ]
    window = missed_window(heartbeat)
    crash = AutomationCore(
        name=CRASH_ZOMBIES,
        description=f"A wufei flow run with no heartbeat (every {heartbeat} s) for {window.seconds} s is Crashed.",
        trigger=EventTrigger(
            after={HEARTBEAT},
            expect={HEARTBEAT, *FINAL_EVENTS},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related=wufei_deployment_runs,
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=window,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                name=None,
                force=False,
                message=f"{window.seconds} 秒内没有收到心跳：运行进程已终止（kill -9、机器宕机等），标记为崩溃",
            )
        ],
    )
    retry = AutomationCore(
        name=RETRY_CRASHED,
        description=f"A crashed wufei deployment run is scheduled again, at most {CRASH_RETRIES} times.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match={
                "prefect.resource.id": "prefect.flow-run.*",
                "prefect.run-count": [str(count) for count in range(CRASH_RETRIES + 1)],
            },
            match_related=wufei_deployment_runs,
            for_each={"prefect.resource.id"},
            posture=Posture.Reactive,
            threshold=1,
            within=timedelta(0),
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.SCHEDULED,
                name="AwaitingRetry",
                force=False,
                message="运行崩溃后自动重试（流程幂等：已完成的部分不会重复）",
            )
        ],
    )
    return [crash, retry]


def ensure_crash_handling(heartbeat: int | None = None) -> dict[str, Any]:
    """Create the automations on the server PREFECT_API_URL names, or update those of the same
    name. A deploy step (prefect.yaml `build:`; it must return a dict): returns their ids."""
    from prefect.client.orchestration import get_client

    heartbeat = heartbeat or heartbeat_seconds()
    made: dict[str, Any] = {}
    with get_client(sync_client=True) as client:
        for automation in automations(heartbeat):
            existing = client.read_automations_by_name(automation.name)
            if existing:
                client.update_automation(existing[0].id, automation)
                for extra in existing[1:]:  # two deploys at once: keep one
                    client.delete_automation(extra.id)
                made[automation.name] = str(existing[0].id)
            else:
                made[automation.name] = str(client.create_automation(automation))
    return {"crash_automations": made, "heartbeat_seconds": heartbeat}
