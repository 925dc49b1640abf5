"""What `wufei import` prints: an import's summary, and a preview field by field (Chinese)."""

from __future__ import annotations

from collections import Counter

import click

from wufei.importers.preview import CHANGE_NAMES, FieldView, FilePreview, PlanView, RecordView
from wufei.importers.records import DOUBT_FIELDS

CONTENT_SHOWN = 60  # characters of 主要内容 in the text output (JSON has it whole)
FLAG = "！"


def print_previews(previews: list[FilePreview]) -> None:
    for preview in previews:
        _print_file(preview)
    _print_total(previews)


def _print_file(preview: FilePreview) -> None:
    if not preview.ok:
        click.echo(f"✗ 无法读取，导入时将被拒绝：{preview.error}", err=True)
        return
    click.echo(f"预览：{preview.file}")
    for plan in preview.plans:
        _print_plan(plan)
    if preview.departments:
        click.echo(f"  部门 {preview.departments} 个")


def _print_plan(plan: PlanView) -> None:
    change = f"[{CHANGE_NAMES[plan.change]}] " if plan.change else ""
    click.echo(f"{change}《{plan.title}》")
    for field in plan.fields:
        _print_field(field, indent="  ")
    for doubt in plan.doubts:
        if doubt.open:
            click.echo(f"  {FLAG}{DOUBT_FIELDS.get(doubt.field, doubt.field)}：{doubt.message}")
    if plan.error:
        click.echo(f"  ✗ 导入时将被拒绝：{plan.error}", err=True)
    for heading, records in (("任务和项目", plan.tasks), ("指标", plan.indicators), ("无废细胞", plan.cells)):
        if records:
            click.echo(f"{heading} {len(records)} 项")
            for record in records:
                _print_record(record)
    for warning in plan.warnings:
        click.echo(f"  ⚠ {warning}")


def _print_record(record: RecordView) -> None:
    change = f"[{CHANGE_NAMES[record.change]}] " if record.change else ""
    click.echo(f"  {change}{record.label}（{record.where}）")
    for field in record.fields:
        _print_field(field, indent="    ")
    for doubt in record.doubts:
        if doubt.open:
            click.echo(f"   {FLAG}{DOUBT_FIELDS.get(doubt.field, doubt.field)}：{doubt.message}")


def _print_field(field: FieldView, *, indent: str) -> None:
    if not field.value and not field.resolved and not field.doubts:
        return
    value = field.value or "—"
    if field.key == "content" and len(value) > CONTENT_SHOWN:
        value = value[:CONTENT_SHOWN] + "…"
    resolved = f" → {field.resolved}" if field.resolved else ""
    flagged = field.flagged
    click.echo(f"{indent[:-1]}{FLAG if flagged else ' '}{field.label}：{value}{resolved}")
    for doubt in field.doubts:
        state = "待确认" if doubt.open else {"confirmed": "已确认", "corrected": "已更正"}.get(doubt.status, "")
        click.echo(f"{indent}    {state}：{doubt.message}")


def _print_total(previews: list[FilePreview]) -> None:
    plans = [plan for preview in previews for plan in preview.plans]
    by_field: Counter = Counter()
    for plan in plans:
        by_field.update(plan.doubt_counts())
    tasks = sum(len(p.tasks) for p in plans)
    indicators = sum(len(p.indicators) for p in plans)
    cells = sum(len(p.cells) for p in plans)
    doubts = sum(by_field.values())
    detail = "，".join(f"{name} {n}" for name, n in by_field.most_common())
    refused = sum(1 for p in previews if not p.ok) + sum(1 for p in plans if p.error)
    click.echo(
        f"合计：文件 {len(previews)} 个，记录数 {tasks + indicators + cells}（任务和项目 {tasks}，指标 {indicators}，"
        f"无废细胞 {cells}），待确认项数 {doubts}" + (f"（{detail}）" if detail else "")
    )
    if refused:
        click.echo(f"其中 {refused} 个文件或方案导入时将被拒绝（见上）。")
    click.echo("仅为预览，未写入任何内容。确认后去掉 --preview 导入，或用 --out 生成导入工作簿修改后再导入。")
