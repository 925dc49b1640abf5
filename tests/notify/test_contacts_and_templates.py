"""Contacts from the office's spreadsheet become Apprise services; templates name the task, the
deadline, the light and its reason, the next step and the portal link; bulletins arrive by email
with their Chinese file names."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.rules import CADENCE
from wufei import migrate
from wufei.contacts.commands import contacts_group, contacts_template
from wufei.contacts.models import Contact
from wufei.contacts.service import HEADERS, ContactsError, import_contacts
from wufei.db import transaction
from wufei.departments.models import Department
from wufei.lights.models import LightRecord
from wufei.notices.service import create_intents
from wufei.notify.digest import build_digests
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.service import deliver, retry
from wufei.plans.models import Jurisdiction
from wufei.tasks.models import Task

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY123"


def _sheet(path, rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.title = "联系人"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    book.save(path)
    return path


def test_the_blank_form_has_the_chinese_headers(tmp_path):
    result = CliRunner().invoke(contacts_template, [str(tmp_path / "联系人.xlsx")], catch_exceptions=False)
    assert result.exit_code == 0 and "已生成联系人表" in result.output
    book = load_workbook(tmp_path / "联系人.xlsx")
    assert [c.value for c in book["联系人"][1]] == HEADERS
    assert HEADERS[:3] == ["部门", "标签", "专班联系人"] and "企业微信机器人" in HEADERS and "飞书机器人" in HEADERS
    assert "填写说明" in book.sheetnames


def test_a_bad_sheet_writes_nothing_and_names_file_row_column_and_text(session, departments, tmp_path, monkeypatch):
    monkeypatch.setenv("WUFEI_SMTP_URL", "mailto://127.0.0.1:25?from=office@wufei.test")
    path = _sheet(
        tmp_path / "联系人.xlsx",
        [
            {"部门": "市生态环境局", "专班联系人": "张三", "联系人邮箱": "zhang@wufei.test"},  # good
            {"部门": "市不存在局", "专班联系人": "李四"},
            {
                "部门": "市住房城乡建设局",
                "联系人邮箱": "not-an-email",
                "企业微信机器人": "https://example.com/hook?key=SECRET1",
            },
        ],
    )
    with pytest.raises(ContactsError) as caught:
        import_contacts(session, path)
    message = str(caught.value)
    assert message.startswith("联系人表「联系人.xlsx」有3处错误，未写入任何内容")
    assert "第3行 A列：部门在系统中找不到（请先导入方案或检查名称）：「市不存在局」" in message
    assert "第4行 E列：联系人邮箱不是有效的邮箱地址：「not-an-email」" in message
    assert (
        "第4行 I列：企业微信机器人不是有效的群机器人地址（应为平台给出的 Webhook 地址或 Apprise 地址）：「https://example.com…」"
        in message
    )
    assert "SECRET1" not in message  # a webhook key is masked even when it is wrong
    assert session.scalar(select(func.count()).select_from(Contact)) == 0


def test_unknown_column_is_an_error(session, departments, tmp_path):
    path = _sheet(tmp_path / "c.xlsx", [{"部门": "市生态环境局"}], headers=["部门", "传真"])
    with pytest.raises(ContactsError, match="第1行 B列：未知的列「传真」"):
        import_contacts(session, path)


def test_contacts_add_services_by_department_and_alias_and_email_arrives(
    session, departments, tmp_path, outbox, smtp, monkeypatch
):
    env, _build = departments
    smtp.start()
    monkeypatch.setenv("WUFEI_SMTP_URL", f"mailto://127.0.0.1:{smtp.port}?from=office@wufei.test&format=text")
    path = _sheet(
        tmp_path / "联系人.xlsx",
        [
            {
                "部门": "市生态环境局",
                "标签": "SThjj",
                "专班联系人": "张三",
                "联系人手机": "13800000000",
                "联系人邮箱": "zhang@wufei.test",
                "负责同志": "王五",
                "负责同志邮箱": "wang@wufei.test",
                "企业微信机器人": WECOM_URL,
            },
            {
                "部门": "市住房城乡建设局",
                "专班联系人": "李四",
                "钉钉机器人": "https://oapi.dingtalk.com/robot/send?access_token=abc123",
            },
        ],
    )
    summary = import_contacts(session, path)
    assert (summary.created, summary.updated) == (2, 0)
    assert import_contacts(session, path).unchanged == 2  # importing again changes nothing
    contact = session.scalars(select(Contact).where(Contact.department_id == env.id)).one()
    assert (contact.alias, contact.liaison, contact.leader_email) == ("sthjj", "张三", "wang@wufei.test")

    from wufei.contacts.service import contact_aliases, contact_services
    from wufei.notify.channels import Channels, service_name

    config = tmp_path / "apprise.yaml"
    config.write_text(
        f"version: 1\nurls:\n  - outbox://localhost{outbox}:\n      - tag: office, fallback, leader-sthjj\n",
        encoding="utf-8",
    )
    channels = Channels.load(config, extra=contact_services(session), aliases=contact_aliases(session))
    liaison = sorted(service_name(s).split("://")[0] for s in channels.services_for(f"dept-{env.id}"))
    assert liaison == ["mailto", "wecombot"]
    assert sorted(service_name(s).split("://")[0] for s in channels.services_for(f"leader-{env.id}")) == [
        "mailto",
        "outbox",
    ]  # the leader's email, and the YAML entry tagged with the office-readable alias
    assert all("SECRETKEY123" not in service_name(s) for s in channels.services)

    # Only a leader notice: the liaison's robot (a real qyapi.weixin.qq.com address) is not called.
    create_intents(
        session,
        [
            intent(
                "r",
                "red_slip",
                env.id,
                audience="leader",
                title="危废处置中心",
                due_date_cn="2024年5月31日",
                days_overdue=20,
            )
        ],
    )
    assert deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)["sent"] == 1
    [mail] = smtp.inbox.messages
    assert mail["to"] == "wang@wufei.test" and mail["subject"] == "【红色督办单】市生态环境局：危废处置中心"
    assert [m["subject"] for m in outbox_messages(outbox)] == ["【红色督办单】市生态环境局：危废处置中心"]


def test_contacts_cli_import_and_list_hide_the_robot_key(fresh_engine, tmp_path, monkeypatch):
    migrate.upgrade(fresh_engine)
    with transaction(fresh_engine) as session:
        session.add(
            Department(jurisdiction=Jurisdiction(name="测试市", level="city"), name="市生态环境局", kind="bureau")
        )
    monkeypatch.setenv("WUFEI_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False))
    path = _sheet(
        tmp_path / "联系人.xlsx", [{"部门": "市生态环境局", "专班联系人": "张三", "企业微信机器人": WECOM_URL}]
    )
    result = CliRunner().invoke(contacts_group, ["import", str(path)], catch_exceptions=False)
    assert result.exit_code == 0 and "新增 1 个部门" in result.output, result.output
    listed = CliRunner().invoke(contacts_group, ["list", "--json"], catch_exceptions=False).output
    assert "SECRETKEY123" not in listed
    [row] = json.loads(listed)
    assert row["liaison"] == "张三" and row["wecom_robot"].startswith("wecombot://")
    bad = _sheet(tmp_path / "坏表.xlsx", [{"部门": "市不存在局"}])
    failed = CliRunner().invoke(contacts_group, ["import", str(bad)])
    assert failed.exit_code == 1 and "坏表.xlsx" in failed.output and "第2行 A列" in failed.output


KIND_PAYLOADS = {
    "due_soon": {"title": "开展无废细胞建设", "due_date_cn": "2024年6月10日", "workdays_left": 5, "task_id": 7},
    "overdue": {"title": "开展无废细胞建设", "due_date_cn": "2024年5月31日", "days_overdue": 2, "task_id": 7},
    "yellow_slip": {"title": "开展无废细胞建设", "due_date_cn": "2024年5月31日", "days_overdue": 3, "task_id": 7},
    "red_slip": {"title": "开展无废细胞建设", "due_date_cn": "2024年5月31日", "days_overdue": 7, "task_id": 7},
    "report_missing": {
        "title": "开展无废细胞建设",
        "due_date_cn": "2024年5月31日",
        "week_cn": "2024年第22周",
        "streak": 2,
        "task_id": 7,
    },
    "report_returned": {
        "task_title": "开展无废细胞建设",
        "week_cn": "2024年第22周",
        "version": 1,
        "reason": "缺少佐证材料",
        "task_id": 7,
    },
    "extension_decided": {
        "task_title": "开展无废细胞建设",
        "message": "延期申请已同意：任务「开展无废细胞建设」的完成期限由2024年5月31日延至2024年9月30日。",
        "approved": True,
        "task_id": 7,
    },
    "bulletin_ready": {"title": "2024年5月无废城市建设工作通报", "period": "2024年5月", "files": ["/x/b.docx"]},
}
NEXT_STEP = {
    "due_soon": "下一步：",
    "overdue": "下一步：",
    "yellow_slip": "下一步：",
    "red_slip": "下一步：",
    "report_missing": "下一步：",
    "report_returned": "下一步：",
    "extension_decided": "下一步：",
    "bulletin_ready": "下一步：",
}
LINKS = {
    "due_soon": "/tasks/7",
    "overdue": "/tasks/7",
    "yellow_slip": "/tasks/7",
    "red_slip": "/tasks/7",
    "report_missing": "/my/report",
    "report_returned": "/my/report",
    "extension_decided": "/my/extensions",
    "bulletin_ready": "/bulletins",
}


@pytest.mark.parametrize("kind", sorted(KIND_PAYLOADS))
def test_every_kind_names_the_task_the_light_and_reason_the_next_step_and_the_portal_link(kind, monkeypatch):
    monkeypatch.setenv("WUFEI_PORTAL_URL", "https://wfc.example.gov.cn/")
    payload = KIND_PAYLOADS[kind] | {"light": "red", "light_reason": "已逾期且未报送"}
    [digest] = build_digests(
        [
            {
                "id": 1,
                "kind": kind,
                "audience": "liaison",
                "department_id": 1,
                "period": "p",
                "created_on": DAY,
                "resolved_on": None,
                "payload": payload,
            }
        ],
        day=DAY,
        department_names={1: "市生态环境局"},
    )
    body = digest.body
    assert ("「开展无废细胞建设」" in body) or kind == "bulletin_ready"
    if "due_date_cn" in payload:
        assert payload["due_date_cn"] in body
    if kind != "bulletin_ready":
        assert "当前红灯（已逾期且未报送）。" in body
    assert NEXT_STEP[kind] in body
    if kind == "report_missing":  # the streak counts weeks without a report on time (late ones too, by default)
        assert "2024年第22周进展未报送（连续2周未按时报送）" in body
    assert f"详情：https://wfc.example.gov.cn{LINKS[kind]}" in body
    assert "请登录督办平台办理：https://wfc.example.gov.cn/my/reminders" in body
    assert "None" not in body and "{{" not in body


def test_without_a_portal_there_is_no_link(monkeypatch):
    monkeypatch.delenv("WUFEI_PORTAL_URL", raising=False)
    [digest] = build_digests(
        [
            {
                "id": 1,
                "kind": "overdue",
                "audience": "liaison",
                "department_id": 1,
                "period": "p",
                "created_on": DAY,
                "resolved_on": None,
                "payload": KIND_PAYLOADS["overdue"],
            }
        ],
        day=DAY,
        department_names={1: "市生态环境局"},
    )
    assert "http" not in digest.body and "详情" not in digest.body and "当前" not in digest.body


def test_delivery_adds_the_tasks_current_light_and_reason(session, load, outbox):
    from tests.seed_files import HENGSHUI_PLAN
    from wufei.departments.naming import resolve_department
    from wufei.notify.channels import Channels

    load(HENGSHUI_PLAN)
    task = session.scalars(select(Task).order_by(Task.id)).first()
    ecology = resolve_department(session, "衡水市/市生态环境局")
    session.add(
        LightRecord(
            task_id=task.id, milestone_id=None, as_of=DAY, light="yellow", rules="lag", reason="序时进度落后15个百分点"
        )
    )
    create_intents(
        session,
        [
            intent(
                "l",
                "overdue",
                ecology.id,
                title=task.title,
                task_id=task.id,
                due_date_cn="2024年5月31日",
                days_overdue=2,
            )
            | {"task_id": task.id}
        ],
    )
    deliver(session, day=DAY, channels=Channels.load(), now=T0, zone=CADENCE.timezone)
    [message] = outbox_messages(outbox)
    assert "当前黄灯（序时进度落后15个百分点）。" in message["body"]


def test_bulletin_arrives_by_email_as_an_attachment_with_its_chinese_name(
    session, departments, channels_from, outbox, smtp, tmp_path
):
    env, _ = departments
    document = tmp_path / "bulletin-2024-05.docx"  # ASCII on disk
    document.write_bytes(b"PK\x03\x04 fake docx")
    create_intents(
        session,
        [
            intent(
                "b",
                "bulletin_ready",
                env.id,
                title="2024年5月无废城市建设工作通报",
                period="2024年5月",
                path=str(tmp_path / "b.html"),
                files=[str(document)],
            )
        ],
    )
    smtp.start()
    channels = channels_from(f"""
version: 1
urls:
  - {smtp.url("liaison@wufei.test")}:
      - tag: dept-{env.id}
  - outbox://localhost{outbox}:
      - tag: dept-{env.id}
""")
    assert deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)["sent"] == 1
    [mail] = smtp.inbox.messages
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "2024年5月无废城市建设工作通报.docx"
    # On the wire the header stays a plain `attachment; filename="…"` (an RFC 2047 word inside the
    # quotes), so a strict reader (Python's compat32 parser here) finds the name and decodes it.
    import email
    from email.header import decode_header, make_header

    [raw] = smtp.inbox.raw
    assert b'Content-Disposition: attachment; filename="=?utf-8?b?' in raw
    [strict] = [part for part in email.message_from_bytes(raw).walk() if part.get_filename()]
    assert str(make_header(decode_header(strict.get_filename()))) == "2024年5月无废城市建设工作通报.docx"
    assert attachment.get_content() == b"PK\x03\x04 fake docx"
    assert mail["subject"] == "【通报已生成】2024年5月无废城市建设工作通报"
    assert "通报文件随邮件附送" in mail.get_body(preferencelist=("plain",)).get_content()
    [written] = outbox_messages(outbox)
    assert written["attachments"] == [{"name": "2024年5月无废城市建设工作通报.docx", "path": str(document)}]


def test_a_bulletin_notice_whose_file_is_missing_is_not_sent_until_the_file_is_there(
    session, departments, channels_from, outbox, tmp_path
):
    env, _ = departments
    document = tmp_path / "bulletin-2024-05.docx"  # named, not (yet) on this machine
    create_intents(
        session,
        [intent("b", "bulletin_ready", env.id, title="2024年5月无废城市建设工作通报", files=[str(document)])],
    )
    channels = channels_from(f"""
version: 1
urls:
  - outbox://localhost{outbox}:
      - tag: dept-{env.id}
""")
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["failed"]) == (0, 1)
    assert outbox_messages(outbox) == []
    [dispatch] = session.scalars(select(Dispatch)).all()
    [record] = session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch.id)).all()
    assert record.status == "failed" and str(document) in record.error and dispatch.sent_at is None

    document.write_bytes(b"PK\x03\x04 fake docx")
    retried = retry(session, now=T0, channels=channels, zone=CADENCE.timezone, ignore_backoff=True)
    assert retried["sent"] == 1
    [message] = outbox_messages(outbox)
    assert message["attachments"] == [{"name": "2024年5月无废城市建设工作通报.docx", "path": str(document)}]
