"""A bulletin names the work its plans are about. 洋县's 2024年十大民生实事项目 (tests/walk/, a county
government's 民生实事 divided among its bureaus) is supervised by the county government, not by a
“无废城市” leading group: its bulletins are not titled “无废城市”建设, not issued by a 领导小组办公室,
not addressed to 领导小组各成员单位, and carry no indicator or 无废细胞 section when the plan has
neither (「纳入监测的指标0项，按各指标最新数值：。」 and 「暂无无废细胞建设数据。」 were printed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.bulletins.helpers import by_suffix, docx_paragraphs
from tests.bulletins.issuing import issue_bulletin

YANGXIAN = Path(__file__).resolve().parents[1] / "walk" / "sn_yangxian_yangzhengfa_2024_8.txt"
TITLE = "洋县2024年十大民生实事项目"


@pytest.mark.parametrize(
    ("kind", "period", "as_of", "title"),
    [
        ("monthly", "2024-05", date(2024, 6, 5), f"{TITLE}2024年5月调度通报"),
        ("quarterly", "2024-Q2", date(2024, 7, 5), f"关于{TITLE}2024年第2季度工作推进情况的通报"),
        ("half-year", "2024-H1", date(2024, 7, 12), f"{TITLE}2024年上半年观摩项目清单"),
        ("annual", "2024", date(2025, 1, 22), f"{TITLE}2024年度考核结果"),
    ],
)
def test_a_county_governments_plan_is_not_called_a_zero_waste_city_in_its_bulletins(
    session, load, tmp_path, kind, period, as_of, title
):
    load(YANGXIAN)
    issued = issue_bulletin(session, kind=kind, period=period, scope="洋县", out_dir=tmp_path, as_of=as_of)
    text = by_suffix(issued.paths, ".md").read_text(encoding="utf-8")
    word = "\n".join(docx_paragraphs(by_suffix(issued.paths, ".docx")))
    for shown in (text, word):
        assert "无废" not in shown and "领导小组" not in shown, shown
        assert title in shown.replace("\n", "")  # Word breaks a long title before its period
        assert "洋县人民政府督查室" in shown  # the issuer, at the head and under the text
        assert "各责任单位，各乡镇人民政府、街道办事处：" in shown
        # no indicator section of nothing, no 无废细胞 section
        assert "指标进展" not in shown and "指标完成情况" not in shown and "指标填报与序时进度" not in shown
        assert "指标0项" not in shown and "：。" not in shown and "细胞" not in shown
        assert "成员单位" not in shown


def test_a_zero_waste_plan_keeps_its_leading_groups_wording(issue):
    """衡水市's plan (tests/bulletins/world.py) is a 无废城市 plan: its bulletin is as before."""
    issued = issue("monthly", "2024-05", date(2024, 6, 5))
    text = by_suffix(issued.paths, ".md").read_text(encoding="utf-8")
    assert "# 衡水市“无废城市”建设2024年5月调度通报" in text
    assert "衡水市“无废城市”建设工作领导小组办公室" in text
    assert "领导小组各成员单位，各县（市、区）人民政府，各功能区管委会：" in text
    assert "各成员单位推进情况" in text and "无废细胞建设" in text
