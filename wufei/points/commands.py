"""`wufei cadence …`, `wufei serve` and `wufei bulletin …`: run the cadence points by hand,
replay a period, serve them on their schedules, or issue a bulletin. Every point comes from the
registry (wufei.points.registry); the runs issue their bulletins as the flows do."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from wufei.clitools import echo_json, engine, parse_day, today
from wufei.points import registry, runs

Runner = Callable[[str, Any, date], dict[str, Any]]


class RegistryChoice(click.Choice):
    """A choice among names the registry gives when asked (a point registered later is one too)."""

    def __init__(self, names: Callable[[], list[str]]):
        self._names = names
        super().__init__([])

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @choices.setter
    def choices(self, _value: Any) -> None:
        pass


def replay(
    engine_: Any,
    start: date,
    end: date,
    *,
    runner: Runner,
    on_day: Callable[[date], None] | None = None,
) -> list[dict[str, Any]]:
    """Every cadence point on every day from start to end, in the order the schedules fire.
    `runner(name, engine, day)` runs one point: `runs.run_command` with the rules loaded once
    (the demo passes one that runs the periodic points as Prefect flows)."""
    results = []
    day = start
    with _frozen_heap():
        while day <= end:
            for name in runs.commands():
                results.append({"point": name, **runner(name, engine_, day)})
            if on_day:
                on_day(day)
            day += timedelta(days=1)
    return results


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """What the process holds before a replay (its modules, a test run's collected tests) left out
    of the cyclic garbage collector's walks while it runs: a year's replay has some twenty full
    collections, and each walked all of it again (80 ms each, 1.9 s of the 2023 replay's CPU)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class CommandError(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


class RuleFileError(CommandError):
    def format_message(self) -> str:
        return f"{self.message}（wufei config check 可检查全部规则文件）"


def command_runner(*, out_dir: Path | None = None, force: bool = False, forms: tuple[str, ...] | None = None) -> Runner:
    """Runs each point through `runs.run_command` with the rules loaded now, once (`forms`: the
    bulletins' forms, all four by default; none, `()`, issues each bulletin without writing a file)."""
    from wufei.bulletins.render import FORMS
    from wufei.ruleset import Ruleset

    try:
        rules = Ruleset.load()
        registry.check_schedules(rules.cadence)
    except ValueError as error:  # a rule file an office edited wrongly: its file and key, in one line
        raise RuleFileError(str(error)) from None
    written = FORMS if forms is None else forms

    def run(name: str, engine_: Any, day: date) -> dict[str, Any]:
        return runs.run_command(name, engine_, day, rules=rules, force=force, out_dir=out_dir, forms=written)

    return run


@click.group("cadence")
def cadence_group() -> None:
    """督查督办节奏：周报送、月调度、季通报、半年观摩、年终考核"""


@cadence_group.command("run")
@click.argument("point", type=RegistryChoice(runs.commands))
@click.option("--as-of", "as_of", help="按此日期运行（默认今天）")
@click.option("--force", is_flag=True, help="不是运行日也计算该期数据并生成通报")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="通报输出目录（默认 WUFEI_BULLETIN_DIR）")
@click.option("--json", "as_json", is_flag=True)
def run_command(point: str, as_of: str | None, force: bool, out_dir: Path | None, as_json: bool) -> None:
    """运行一个环节（不经 Prefect，便于补跑和排查；月调度等环节同时生成通报）"""
    runner = command_runner(out_dir=out_dir, force=force)
    result = runner(point, engine(), parse_day(as_of) or today())
    if as_json:
        echo_json(result)
    else:
        click.echo(f"{point}：{result}")


@cadence_group.command("replay")
@click.option("--from", "start", required=True, help="起始日期")
@click.option("--to", "end", required=True, help="结束日期")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="通报输出目录（默认 WUFEI_BULLETIN_DIR）")
def replay_command(start: str, end: str, out_dir: Path | None) -> None:
    """按日回放一段时间的全部环节（可重复运行，不会重复产生提醒；通报照常生成）"""
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    assert first is not None and last is not None  # both options are required
    if last < first:
        raise CommandError(f"--to（{last}）早于 --from（{first}）：回放的结束日期不能早于起始日期")
    runner = command_runner(out_dir=out_dir)
    with click.progressbar(length=(last - first).days + 1, label="回放中") as bar:
        results = replay(engine(), first, last, runner=runner, on_day=lambda _day: bar.update(1))
    ran = [r for r in results if not r.get("skipped")]
    click.echo(f"已回放 {first} 至 {last}：共运行 {len(ran)} 个环节")


@click.command("serve")
@click.option(
    "--scheduler-wait",
    type=click.FloatRange(1),
    default=150,
    show_default=True,
    help="等待服务器调度器安排首批运行的秒数，超时即停止",
)
def serve_command(scheduler_wait: float) -> None:
    """按计划运行全部督查督办流程（需已启动并启用调度器的 Prefect 服务器，PREFECT_API_URL）"""
    from flows.deployments import ServeError, serve_all

    engine()  # create or check the database before the first run
    try:
        serve_all(scheduler_wait=scheduler_wait)
    except ServeError as error:
        raise click.ClickException(str(error)) from None


@click.command("work-pool")
@click.option("--name", default="wufei", show_default=True, help="工作池名称（prefect.yaml 的部署用 wufei）")
def work_pool_command(name: str) -> None:
    """建立或更新 Prefect 进程工作池：每个流程运行由本环境的 Python 直接启动引擎（需 PREFECT_API_URL）"""
    import asyncio

    from flows.pool import PoolError, engine_command, ensure_work_pool

    try:
        outcome = asyncio.run(ensure_work_pool(name))
    except PoolError as error:
        raise click.ClickException(str(error)) from None
    done = {"created": "已建立", "updated": "已更新", "unchanged": "已是最新"}[outcome]
    click.echo(f"工作池 {name} {done}：worker 为每个流程运行执行 {engine_command()}")


@click.command("bulletin")
@click.argument("kind", type=RegistryChoice(registry.bulletin_kinds))
@click.option("--period", required=True, help="期间：2024-05、2024-Q2、2024-H1 或 2024")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="输出目录")
@click.option("--jurisdiction", help="地区，如 衡水市；省级汇总为省，如 河北省（默认：全部）")
@click.option("--refresh", is_flag=True, help="按当前台账重新取数（生成新的数据快照）")
@click.option("--as-of", "as_of", help="取数日期（默认：该环节的运行日，或已保存的该期数据）")
def bulletin_command(
    kind: str, period: str, out_dir: Path, jurisdiction: str | None, refresh: bool, as_of: str | None
) -> None:
    """生成通报（Markdown、HTML、Word、Excel 附件），基于锁定的数据快照

    self-assessment：年度自评估（--period 2024）；province：省级汇总（期间决定月、季、半年或年度）
    """
    from wufei.cadence.periods import PeriodError
    from wufei.points.issue import issue_bulletins
    from wufei.ruleset import Ruleset

    try:
        point = registry.for_bulletin(kind, period)
        issued = issue_bulletins(
            engine(),
            point,
            period=point.period(period),
            rules=Ruleset.load(),
            out_dir=out_dir,
            jurisdiction=jurisdiction,
            refresh=refresh,
            figures_as_of=parse_day(as_of),
            asked=True,
        )
    except (registry.PointError, PeriodError) as exc:
        raise click.ClickException(str(exc)) from None
    if not issued:
        raise click.ClickException("该期间结束前没有已印发、纳入督办的方案，未生成通报")
    for item in issued:
        doc = item.document
        click.echo(f"已生成《{doc.title}》")
        click.echo(f"  数据快照：{item.snapshot_id}（数据截至{doc.data_as_of_cn}，取数日期{doc.date_cn}）")
        for path in item.paths:
            click.echo(f"  {path}")
        click.echo(f"  通知：新建「通报已生成」提醒 {item.notices} 条")
        for note in doc.notes:
            click.echo(f"  {note}")
