"""Charts as PNG bytes (matplotlib, Agg): completion by department, lights over time, indicator
progress. Chinese labels need a CJK font: the first of CJK_FAMILIES matplotlib can find is used
(wufei/bulletins/fonts.py), and `ChartFontError` says what to install when there is none.

The PNG bytes are deterministic (no timestamp or software metadata), so a document regenerated
from a snapshot embeds the very same images.
"""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # matplotlib is imported when the first chart is drawn: it takes a second
    from matplotlib.figure import Figure

from wufei.bulletins.fonts import CJK_FAMILIES, FontError, cjk_family

LIGHT_COLOURS = {"done": "#4e79a7", "green": "#59a14f", "yellow": "#edc948", "red": "#e15759"}
LIGHT_LABELS = {"done": "已完成", "green": "绿灯", "yellow": "黄灯", "red": "红灯"}
DPI = 150


ChartFontError = FontError


@lru_cache(maxsize=1)
def cjk_font() -> str:
    return cjk_family(CJK_FAMILIES)


_DRAWN: OrderedDict[str, bytes] = OrderedDict()


def _memo(draw: Callable[..., bytes]) -> Callable[..., bytes]:
    """Charts are pure functions of their data: a bulletin regenerated in the same process (the
    CLI writing several forms, a flow retried, the tests) reuses the PNG instead of drawing it
    again (a third of a second each)."""

    @wraps(draw)
    def memoised(*args: Any, **kwargs: Any) -> bytes:
        key = draw.__name__ + json.dumps([args, kwargs], ensure_ascii=False, sort_keys=True, default=str)
        if key not in _DRAWN:
            _DRAWN[key] = draw(*args, **kwargs)
            while len(_DRAWN) > 64:
                _DRAWN.popitem(last=False)
        return _DRAWN[key]

    return memoised


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    family = cjk_font()
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    figure.set_facecolor("white")
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212
    figure._wufei_font = family  # type: ignore[attr-defined]
    return figure


def _font(figure: Figure, size: float = 9) -> dict[str, Any]:
    return {"family": figure._wufei_font, "size": size}  # type: ignore[attr-defined]


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _style(ax, figure: Figure) -> None:
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontfamily(figure._wufei_font)  # type: ignore[attr-defined]
        label.set_fontsize(8)
    ax.spines[["top", "right"]].set_visible(False)


def _legend(ax, figure: Figure, **kwargs) -> None:
    ax.legend(prop=_font(figure, 8), frameon=False, **kwargs)


def _integer_ticks(axis: Any) -> None:
    """Whole numbers only on a count axis (its default locator, a MaxNLocator, takes `integer`)."""
    axis.get_major_locator().set_params(integer=True)


def short(name: str, limit: int = 14) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


@_memo
def lights_by_unit(title: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """Horizontal stacked bars: each unit's lead tasks by light (done, green, yellow, red)."""
    rows = list(rows)[:25]
    figure = _figure(7.2, max(2.4, 0.32 * len(rows) + 1.3))
    ax = figure.add_subplot()
    names = [short(row["name"]) for row in rows][::-1]
    left = [0] * len(rows)
    for light in ("done", "green", "yellow", "red"):
        values = [row.get(light, 0) for row in rows][::-1]
        ax.barh(names, values, left=left, color=LIGHT_COLOURS[light], label=LIGHT_LABELS[light], height=0.6)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("牵头任务数（项）", **_font(figure))
    ax.set_title(title, **_font(figure, 11))
    _integer_ticks(ax.xaxis)
    _style(ax, figure)
    # Beside the bars: units with as many tasks each fill the whole width, corners included.
    _legend(ax, figure, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(figure)


@_memo
def rates_by_unit(title: str, rows: Sequence[dict[str, Any]], xlabel: str = "完成率（%）") -> bytes:
    """Horizontal bars of a rate (0–100) per unit, highest first."""
    rows = list(rows)[:25]
    figure = _figure(7.2, max(2.4, 0.32 * len(rows) + 1.0))
    ax = figure.add_subplot()
    names = [short(row["name"]) for row in rows][::-1]
    values = [row["value"] for row in rows][::-1]
    bars = ax.barh(names, values, color="#4e79a7", height=0.6)
    for bar, value in zip(bars, values):
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, f"{value:g}", va="center", **_font(figure, 7))
    ax.set_xlim(0, 112)
    ax.set_xlabel(xlabel, **_font(figure))
    ax.set_title(title, **_font(figure, 11))
    _style(ax, figure)
    return _png(figure)


@_memo
def lights_over_time(title: str, history: Sequence[dict[str, Any]]) -> bytes:
    """Stacked columns: supervised tasks by light at each month end."""
    figure = _figure(7.2, 3.2)
    ax = figure.add_subplot()
    labels = [item["period"][2:].replace("-", ".") for item in history]  # 24.05: short enough for 12 months
    bottom = [0] * len(history)
    for light in ("done", "green", "yellow", "red"):
        values = [item["by_light"].get(light, 0) for item in history]
        ax.bar(labels, values, bottom=bottom, color=LIGHT_COLOURS[light], label=LIGHT_LABELS[light], width=0.6)
        bottom = [a + b for a, b in zip(bottom, values)]
    if not history:
        ax.text(0.5, 0.5, "暂无月度数据", ha="center", va="center", transform=ax.transAxes, **_font(figure, 10))
    ax.set_ylabel("任务数（项）", **_font(figure))
    ax.set_xlabel("月份（年.月）", **_font(figure))
    ax.set_title(title, **_font(figure, 11))
    _integer_ticks(ax.yaxis)
    _style(ax, figure)
    _legend(ax, figure, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(figure)


@_memo
def indicator_progress(title: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """Horizontal bars: each numeric indicator's latest value as a share of its target (in the
    indicator's direction: a value to fall is shown as target ÷ value), capped at 150%."""
    rows = list(rows)[:25]
    figure = _figure(7.2, max(2.4, 0.32 * len(rows) + 1.2))
    ax = figure.add_subplot()
    names = [short(row["name"], 18) for row in rows][::-1]
    values = [min(row["share"], 150.0) for row in rows][::-1]
    colours = [
        "#59a14f" if row["on_track"] else ("#e15759" if row["on_track"] is False else "#bab0ac") for row in rows
    ][::-1]
    bars = ax.barh(names, values, color=colours, height=0.6)
    for bar, row in zip(bars, rows[::-1]):
        ax.text(
            bar.get_width() + 1.5, bar.get_y() + bar.get_height() / 2, row["label"], va="center", **_font(figure, 7)
        )
    ax.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_xlim(0, 185)
    ax.set_xlabel("最新值相对目标值（%，虚线为目标）", **_font(figure))
    ax.set_title(title, **_font(figure, 11))
    if not rows:
        ax.text(0.5, 0.5, "暂无可比较的数值指标", ha="center", va="center", transform=ax.transAxes, **_font(figure, 10))
    _style(ax, figure)
    return _png(figure)


@_memo
def indicator_trajectories(title: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """Small multiples, one per indicator: the reported values (dots, hollow while awaiting review)
    against the trajectory from baseline through milestones to target (dashed)."""
    from datetime import date as _date

    from matplotlib.dates import DateFormatter, date2num

    rows = list(rows)[:6]
    columns = 2 if len(rows) > 1 else 1
    lines = (len(rows) + columns - 1) // columns
    figure = _figure(7.2, 2.3 * lines + 0.6)
    for index, row in enumerate(rows, start=1):
        ax = figure.add_subplot(lines, columns, index)
        path = row["path"]
        ax.plot(
            date2num([_date.fromisoformat(p["end"]) for p in path]),
            [p["value"] for p in path],
            color="#888888",
            linestyle="--",
            linewidth=1,
            label="序时进度轨迹",
        )
        points = row["series"]
        colour = {"green": "#59a14f", "yellow": "#edc948", "red": "#e15759"}.get(row["colour"], "#bab0ac")
        ax.plot(
            date2num([_date.fromisoformat(p["end"]) for p in points]),
            [p["value"] for p in points],
            color=colour,
            marker="o",
            linewidth=1.2,
            label="填报数值",
        )
        ax.set_title(f"{short(row['name'], 16)}（{row['unit'] or ''}）{row['standing_cn']}", **_font(figure, 8))
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        _style(ax, figure)
        if index == 1:
            _legend(ax, figure)
    figure.suptitle(title, **_font(figure, 11))
    return _png(figure)
