"""The charts' legends sit beside the data, never over it."""

from __future__ import annotations

import pytest

from wufei.bulletins import charts


@pytest.mark.nodb
def test_the_units_legend_covers_no_bar_when_every_unit_has_as_many_tasks(monkeypatch):
    """应城市's March bulletin: two units, one task each, all bars full width; the legend drawn in
    the lower right corner (where bars are shortest when counts differ) hid the 黄灯 swatch on the
    yellow bar."""
    drawn = []
    monkeypatch.setattr(charts, "_png", lambda figure: drawn.append(figure) or b"")
    charts.lights_by_unit.__wrapped__(
        "各单位牵头任务完成及亮灯情况（图例）",
        [{"name": "市发展和改革局", "red": 1}, {"name": "市生态环境局", "yellow": 1}],
    )
    [figure] = drawn
    figure.canvas.draw()
    [ax] = figure.axes
    legend = ax.get_legend().get_window_extent()
    bars = [patch.get_window_extent() for patch in ax.patches if patch.get_width() > 0]
    assert bars and not any(legend.overlaps(bar) for bar in bars)
