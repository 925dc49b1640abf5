"""wufei.notify.fit: a message cut to a robot's limit keeps whole items, says how many it left
out, keeps its closing; anything else is cut with 「…」; the limit is counted as the platform does."""

from __future__ import annotations

import json

from wufei.notify.fit import Limit, fit

UTF8, ESCAPED = Limit(2048, json_escaped=False), Limit(19_500, json_escaped=True)
DIGEST = "\n".join(
    [
        "市生态环境局专班联系人：",
        "",
        "截至2024年6月3日，市生态环境局有以下5项事项需要办理：",
        "",
        "【红色督办单】（2项）",
        "1. 红色督办：「建设危险废物集中处置中心」已逾期20个工作日。",
        "2. 红色督办：「推进建筑垃圾资源化利用」已逾期20个工作日。",
        "",
        "【临期提醒】（3项）",
        "1. 「开展无废细胞建设」将于2024年6月10日到期。",
        "2. 「完善生活垃圾分类投放系统」将于2024年6月10日到期。",
        "3. 「提升农村生活垃圾处理体系覆盖率」将于2024年6月10日到期。",
        "",
        "请登录督办平台办理：https://duban.example.gov.cn/my/reminders",
        "如有疑问，请联系领导小组办公室。本通知由无废城市建设督办系统自动发送。",
    ]
)


def test_a_text_within_the_limit_is_left_as_it_is():
    assert fit(DIGEST, UTF8.measure(DIGEST), UTF8.measure) == DIGEST


def test_a_digest_keeps_its_opening_whole_items_a_count_and_its_closing():
    last = "3. 「提升农村生活垃圾处理体系覆盖率」将于2024年6月10日到期。"
    expected = DIGEST.replace(last, "……另有1项未在此列出，请登录督办平台查看全部。")
    assert fit(DIGEST, UTF8.measure(expected), UTF8.measure) == expected  # room for all but the last item
    assert fit(DIGEST, UTF8.measure(expected) - 1, UTF8.measure).count("……另有2项未在此列出") == 1


def test_a_section_whose_items_are_all_left_out_loses_its_heading():
    room = UTF8.measure(DIGEST.split("【临期提醒】")[0]) + 250
    cut = fit(DIGEST, room, UTF8.measure)
    assert "【临期提醒】" not in cut and "……另有3项未在此列出" in cut and UTF8.measure(cut) <= room


def test_the_escaped_measure_is_what_json_sends():
    text = "红色督办：建设危险废物集中处置中心 A-1"
    assert ESCAPED.measure(text) == len(json.dumps(text)) - 2 == 17 * 6 + 4
    assert UTF8.measure(text) == 17 * 3 + 4


def test_a_text_that_is_no_digest_or_cannot_fit_as_one_is_cut_with_an_ellipsis():
    single = "红色督办：「" + "建设危险废物集中处置中心" * 100 + "」已逾期20个工作日。"
    cut = fit(single, 300, UTF8.measure)
    assert cut.endswith("…") and single.startswith(cut[:-1]) and 297 <= UTF8.measure(cut) <= 300
    tiny = fit(DIGEST, 120, UTF8.measure)  # not even the opening and the closing fit
    assert tiny.endswith("…") and DIGEST.startswith(tiny[:-1]) and UTF8.measure(tiny) <= 120


def test_one_item_too_big_leaves_no_heading_without_items():
    big = DIGEST.replace("建设危险废物集中处置中心", "建设危险废物集中处置中心" * 60)
    room = UTF8.measure(big.split("【红色督办单】")[0]) + 400
    cut = fit(big, room, UTF8.measure)
    assert UTF8.measure(cut) <= room and "……另有" in cut
    for heading in ("【红色督办单】（2项）", "【临期提醒】（3项）"):  # each only with an item of its own
        assert heading not in cut or cut.index(heading) < cut.index("……另有")
    assert "【红色督办单】（2项）" not in cut  # its first item does not fit: its heading goes with it


def test_the_size_is_measured_as_the_channel_sends_it():
    """HTML writes each line break as <br/>: a cut measured on the text alone came out too long."""

    def as_html(text: str) -> int:
        return UTF8.measure(text.replace("\n", "<br/>\n"))

    room = as_html(DIGEST) - 30
    assert as_html(fit(DIGEST, room, UTF8.measure)) > room  # measured on the text alone: refused
    cut = fit(DIGEST, room, as_html)
    assert as_html(cut) <= room and "……另有" in cut
