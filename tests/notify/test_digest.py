from datetime import date

import pytest

from wufei.notices.models import NoticeKind
from wufei.notify.digest import PAYLOAD_FIELDS, TEMPLATES, build_digests, digest_key, environment, tag_for
from wufei.notify.mime import header_value

DAY = date(2024, 6, 3)


def row(id, kind, audience, department_id, *, created_on=DAY, resolved_on=None, **payload):
    return {
        "id": id,
        "kind": kind,
        "audience": audience,
        "department_id": department_id,
        "period": "2024-06-03",
        "created_on": created_on,
        "resolved_on": resolved_on,
        "payload": payload,
    }


NAMES = {1: "市生态环境局", 2: "市住房城乡建设局"}


def test_one_digest_per_audience_and_department_with_chinese_text():
    intents = [
        row(1, "due_soon", "liaison", 1, title="开展无废细胞建设", due_date_cn="2024年6月10日", workdays_left=5),
        row(
            2, "red_slip", "liaison", 1, title="建设危险废物集中处置中心", due_date_cn="2024年5月31日", days_overdue=20
        ),
        row(3, "red_slip", "leader", 1, title="建设危险废物集中处置中心", due_date_cn="2024年5月31日", days_overdue=20),
        row(
            4,
            "report_returned",
            "liaison",
            2,
            task_title="建筑垃圾资源化利用",
            week_cn="2024年第22周",
            version=2,
            reason="缺少佐证材料",
        ),
        row(5, "group_escalation", "office", 1, title="建设危险废物集中处置中心", days_overdue=30),
        row(6, "due_soon", "liaison", 2, title="已完成的任务", resolved_on=DAY),  # resolved: not sent
        row(7, "due_soon", "liaison", 2, title="已发送的任务"),  # already in a dispatch
        row(8, "due_soon", "liaison", 2, title="明天的任务", created_on=date(2024, 6, 4)),  # not yet
    ]
    digests = build_digests(intents, day=DAY, department_names=NAMES, delivered={7})
    by_group = {(d.audience, d.department_id): d for d in digests}
    assert set(by_group) == {("liaison", 1), ("leader", 1), ("liaison", 2), ("office", 1)}

    liaison = by_group[("liaison", 1)]
    assert liaison.intent_ids == (1, 2)
    assert liaison.tag == "dept-1"
    assert liaison.key == "digest|2024-06-03|liaison|dept:1|dept-1"
    assert liaison.subject == "【无废城市建设督办】市生态环境局：2条提醒（2024年6月3日）"
    body = liaison.body
    assert body.startswith("市生态环境局专班联系人：")
    assert "【红色督办单】（1项）" in body and "【临期提醒】（1项）" in body
    assert body.index("红色督办单") < body.index("临期提醒")  # most urgent first
    assert "「建设危险废物集中处置中心」" in body and "已逾期20个工作日" in body
    assert "将于2024年6月10日到期（还剩5个工作日）" in body

    assert by_group[("leader", 1)].tag == "leader-1"
    assert by_group[("office", 1)].tag == "office"
    returned = by_group[("liaison", 2)]
    assert returned.intent_ids == (4,)  # 6 resolved, 7 delivered, 8 tomorrow
    assert returned.subject == "【报告退回】市住房城乡建设局：建筑垃圾资源化利用"
    assert "被退回，理由：缺少佐证材料" in returned.body


def test_every_kind_renders_without_template_errors():
    kinds = [
        "due_soon",
        "overdue",
        "yellow_slip",
        "red_slip",
        "group_escalation",
        "report_window_open",
        "report_due",
        "report_missing",
        "report_returned",
        "extension_decided",
        "bulletin_ready",
        "delivery_failed",
        "some_new_kind",
    ]
    intents = [
        row(i, kind, "liaison", 1, title="任务甲", task_title="任务甲", message="延期申请已同意")
        for i, kind in enumerate(kinds, 1)
    ]
    [digest] = build_digests(intents, day=DAY, department_names=NAMES)
    assert digest.intent_ids == tuple(range(1, len(kinds) + 1))
    assert "None" not in digest.body and "{{" not in digest.body
    assert "延期申请已同意" in digest.body


def test_tags_and_keys():
    assert tag_for("liaison", 7) == "dept-7"
    assert tag_for("leader", 7) == "leader-7"
    assert tag_for("group", None) == "group"
    assert tag_for("liaison", None) == "office"
    assert digest_key(DAY, "office", None, "office") == "digest|2024-06-03|office|dept:-|office"


FULL_PAYLOAD = {
    "task_id": 66,
    "plan": "衡政办字〔2022〕57号",
    "number": "3",
    "title": "严把环境准入关",
    "task_title": "严把环境准入关",
    "due_date": "2024-06-30",
    "due_date_cn": "2024年6月30日",
    "due_rolled_cn": "2024年7月1日（完成期限2024年6月30日为节假日，顺延）",
    "days_overdue": 3,
    "workdays_left": 2,
    "action": "请尽快完成。",
    "light": "red",
    "light_reason": "已逾期3个工作日",
    "week": "2024-W23",
    "week_cn": "2024年第23周",
    "due_at": "2024-06-07T17:00:00+08:00",
    "due_at_cn": "2024年6月7日（星期五）17:00",
    "task_titles": ["严把环境准入关", "建设无废学校"],
    "streak": 2,
    "version": 2,
    "reason": "佐证材料不足",
    "message": "延期申请已同意。",
    "decision_text": "同意延期",
    "approved": True,
    "new_due_date_cn": "2024年9月30日",
    "period": "2024年5月",
    "files": ["/tmp/monthly-2024-05.docx"],
    "path": "/tmp/monthly-2024-05.html",
    "outcome": "unknown",
    "recipient": "dept-1",
    "tag": "dept-1",
    "day": "2024-06-03",
    "subject": "【逾期提醒】",
    "error": "连接超时",
    "dispatch_id": 7,
    "attempts": 5,
    "indicator_id": 14,
    "indicator_name": "一般工业固体废物综合利用率",
    "period_cn": "2024年第2季度",
    "step_title": "指标逾期未报",
    "forecast": "存在不确定性",
    "cell_id": 3,
    "cell_name": "衡水市第一中学",
    "category": "无废学校",
    "county": "桃城区",
    "state_cn": "申报",
    "since_cn": "2024年3月1日",
    "days": 31,
    "limit_days": 30,
}


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_kind_renders_its_own_subject_and_body_with_strict_templates(kind):
    assert set(FULL_PAYLOAD) == PAYLOAD_FIELDS
    for payload in ({}, FULL_PAYLOAD):  # a payload may lack any field; none is printed as "None"
        intent = {
            "id": 1,
            "kind": str(kind),
            "audience": "liaison",
            "department_id": 1,
            "created_on": DAY,
            "period": "2024-W23",
            "resolved_on": None,
            "payload": payload,
        }
        [digest] = build_digests([intent], day=DAY, department_names={1: "市生态环境局"})
        assert digest.subject.startswith("【") and "市生态环境局" in digest.body
        assert "None" not in digest.subject + digest.body
        if payload:  # weeks the Chinese way (2024年第23周), never the ISO key the payload also carries
            assert "2024-W23" not in digest.subject + digest.body
    assert (TEMPLATES / str(kind) / "subject.j2").is_file() and (TEMPLATES / str(kind) / "body.j2").is_file()


def test_a_template_naming_a_field_no_payload_carries_fails_loudly(tmp_path):
    import shutil

    from jinja2 import UndefinedError

    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "templates" / "overdue" / "body.j2").write_text("{{ p.tittle }}已逾期。", encoding="utf-8")
    intent = {
        "id": 1,
        "kind": "overdue",
        "audience": "liaison",
        "department_id": 1,
        "created_on": DAY,
        "period": "2024-06-30",
        "resolved_on": None,
        "payload": {"title": "严把环境准入关"},
    }
    with pytest.raises(UndefinedError, match="tittle"):
        build_digests([intent], day=DAY, department_names={}, env=environment(tmp_path / "templates"))


def test_a_long_task_title_is_cut_in_the_subject_and_whole_in_the_body():
    """A task's title can run to 150 characters; a subject of it whole was a header line of about
    1,400 characters once encoded, past RFC 5322's 998. The subject keeps its first 59 and 「…」."""
    title = "推进" + "建筑垃圾资源化利用和工业固体废物综合利用" * 7 + "项目建设"
    [digest] = build_digests(
        [row(1, "red_slip", "liaison", 1, title=title, due_date_cn="2024年5月31日", days_overdue=20)],
        day=DAY,
        department_names=NAMES,
    )
    assert len(digest.subject) == 60 and digest.subject.endswith("…")
    assert digest.subject.startswith("【红色督办单】市生态环境局：推进建筑垃圾") and title in digest.body
    assert len(f"Subject: {header_value(digest.subject)}") < 998  # the header line the email carries

    [short] = build_digests(
        [row(2, "red_slip", "liaison", 1, title="建设危险废物集中处置中心")], day=DAY, department_names=NAMES
    )
    assert short.subject == "【红色督办单】市生态环境局：建设危险废物集中处置中心"  # short ones are left whole


def test_a_missed_report_links_the_liaison_to_the_form_and_the_others_to_the_task(monkeypatch):
    """The liaison files the report on that week's form (/my/report?week=…: the form without it is
    the current week's, where the missed week cannot be filed); the leader and the office, told of
    the streak, cannot file it: their link is the task's page, where its reports and light are."""
    monkeypatch.setenv("WUFEI_PORTAL_URL", "https://duban.example.gov.cn")
    kwargs = {
        "task_id": 42,
        "title": "建设危险废物集中处置中心",
        "week": "2024-W22",
        "week_cn": "2024年第22周",
        "streak": 3,
    }
    digests = build_digests(
        [row(1, "report_missing", a, 1, **kwargs) for a in ("liaison", "leader", "office")],
        day=DAY,
        department_names=NAMES,
    )
    links = {d.audience: d.body.split("详情：")[1].split()[0] for d in digests if "详情：" in d.body}
    portal = "https://duban.example.gov.cn"
    assert links == {
        "liaison": f"{portal}/my/report?week=2024-W22",
        "leader": f"{portal}/tasks/42",
        "office": f"{portal}/tasks/42",
    }
