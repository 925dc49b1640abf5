"""A notice heading broken over two lines, and the plan's own heading preferred to the notice's copy of it."""

from __future__ import annotations

from wufei.importers.text.metadata import document_metadata


def test_a_notice_heading_broken_over_two_lines_gives_the_plan_title_as_its_own_heading_prints_it():
    lines = [
        "某政发〔2027〕3号",
        "某某省人民政府关于印发《2027 年",
        "省〈政府工作报告〉重点工作分工方案》的通知",
        "各市人民政府，省政府各厅委、各直属机构：",
        "现将《2027年省〈政府工作报告〉重点工作分工方案》印发给你们，请认真贯彻执行。",
        "2027 年省《政府工作报告》重点工作分工方案",
        "一、推动完成经济社会发展主要预期目标。（省发展改革委牵头）",
    ]
    meta = document_metadata(lines)
    assert meta.title == "2027年省《政府工作报告》重点工作分工方案"
    assert (meta.period_start, meta.period_end) == (2027, 2027)


def test_without_its_own_heading_the_title_stays_as_the_notice_prints_it():
    lines = [
        "某某市人民政府关于印发《2027年市〈政府工作报告〉",
        "重点工作分工方案》的通知",
        "各区人民政府：",
        "一、推动完成经济社会发展主要预期目标。（市发展改革委牵头）",
    ]
    assert document_metadata(lines).title == "2027年市〈政府工作报告〉重点工作分工方案"
