"""`wufei cadence …` and `wufei serve`: run the cadence by hand, replay a period, or serve it."""

from __future__ import annotations

from datetime import date, timedelta

import click

from wufei.clitools import echo_json, engine, parse_day

POINTS = (
    "daily-scan",
    "weekly-report",
    "monthly-dispatch",
    "quarterly-circular",
    "half-year-review",
    "annual-assessment",
)


def run_point(name: str, engine_, day: date, *, force: bool = False) -> dict:
    from wufei.cadence import runs, schedule

    kinds = {
        "monthly-dispatch": schedule.MONTHLY,
        "quarterly-circular": schedule.QUARTERLY,
        "half-year-review": schedule.HALF_YEAR,
        "annual-assessment": schedule.ANNUAL,
    }
    if name == "daily-scan":
        return runs.daily_scan(engine_, day)
    if name == "weekly-report":
        return runs.weekly_report(engine_, day)
    return runs.period_run(engine_, kinds[name], day, force=force)


def replay(engine_, start: date, end: date, *, on_day=None, runner=run_point) -> list[dict]:
    """Every cadence point on every day from start to end, in the order the schedules fire.
    `runner(name, engine, day)` runs one point (the demo passes one that runs Prefect flows)."""
    results = []
    day = start
    while day <= end:
        for name in POINTS:
            results.append({"point": name, **runner(name, engine_, day)})
        if on_day:
            on_day(day)
        day += timedelta(days=1)
    return results


@click.group("cadence")
def cadence_group() -> None:
    """督查督办节奏：周报送、月调度、季通报、半年观摩、年终考核"""


@cadence_group.command("run")
@click.argument("point", type=click.Choice(POINTS))
@click.option("--as-of", "as_of", help="按此日期运行（默认今天）")
@click.option("--force", is_flag=True, help="不是运行日也计算该期数据")
@click.option("--json", "as_json", is_flag=True)
def run_command(point: str, as_of: str | None, force: bool, as_json: bool) -> None:
    """运行一个环节（不经 Prefect，便于补跑和排查）"""
    result = run_point(point, engine(), parse_day(as_of) or date.today(), force=force)
    if as_json:
        echo_json(result)
    else:
        click.echo(f"{point}：{result}")


@cadence_group.command("replay")
@click.option("--from", "start", required=True, help="起始日期")
@click.option("--to", "end", required=True, help="结束日期")
def replay_command(start: str, end: str) -> None:
    """按日回放一段时间的全部环节（可重复运行，不会重复产生提醒）"""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    with click.progressbar(length=(last - first).days + 1, label="回放中") as bar:
        results = replay(engine(), first, last, on_day=lambda _day: bar.update(1))
    ran = [r for r in results if not r.get("skipped")]
    click.echo(f"已回放 {first} 至 {last}：共运行 {len(ran)} 个环节")


@click.command("serve")
def serve_command() -> None:
    """按计划运行全部督查督办流程（需 Prefect 服务器，PREFECT_API_URL）"""
    from flows.deployments import serve_all

    engine()  # create or check the database before the first run
    serve_all()
