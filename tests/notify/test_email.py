"""Email through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.rules import CADENCE
from wufei.notices.service import create_intents
from wufei.notify.models import Delivery, Dispatch
from wufei.notify.service import deliver, retry

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _config(smtp, outbox, department_id):
    return f"""
version: 1
urls:
  - {smtp.url("liaison@wufei.test")}:
      - tag: dept-{department_id}
  - outbox://localhost{outbox}:
      - tag: dept-{department_id}, office, fallback
"""


def test_email_arrives_with_the_chinese_subject_and_body(session, departments, channels_from, outbox, smtp):
    env, _ = departments
    create_intents(
        session,
        [
            intent(
                "m", "red_slip", env.id, title="建设危险废物集中处置中心", due_date_cn="2024年5月31日", days_overdue=20
            )
        ],
    )
    smtp.start()
    summary = deliver(
        session, day=DAY, channels=channels_from(_config(smtp, outbox, env.id)), now=T0, zone=CADENCE.timezone
    )
    assert (summary["sent"], summary["messages"]) == (1, 2)  # email + outbox

    [message] = smtp.inbox.messages
    assert message["subject"] == "【红色督办单】市生态环境局：建设危险废物集中处置中心"
    assert message["to"] == "liaison@wufei.test"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("市生态环境局专班联系人：")
    assert "红色督办：「建设危险废物集中处置中心」（期限2024年5月31日）已逾期20个工作日。" in body
    [dispatch] = session.scalars(select(Dispatch)).all()
    records = session.scalars(select(Delivery).where(Delivery.dispatch_id == dispatch.id)).all()
    assert {r.status for r in records} == {"sent"} and len(records) == 2
    mail = next(r for r in records if r.service_url.startswith("mailto://"))
    assert "127.0.0.1" in mail.service_url


def test_smtp_down_then_up_delivers_once_without_duplicates(session, departments, channels_from, outbox, smtp):
    env, build = departments
    create_intents(
        session,
        [
            intent("m1", "due_soon", env.id, title="开展无废细胞建设", due_date_cn="2024年6月10日"),
            intent("m2", "yellow_slip", env.id, title="推进生活垃圾分类", days_overdue=6),
            intent("m3", "due_soon", build.id, title="建筑垃圾资源化利用"),
        ],
    )
    channels = channels_from(_config(smtp, outbox, env.id))

    first = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)  # SMTP server not running
    assert (first["claimed"], first["failed"], first["sent"]) == (
        2,
        1,
        1,
    )  # build's digest goes to the outbox (fallback)
    failed = session.scalars(select(Dispatch).where(Dispatch.department_id == env.id)).one()
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 1, None)
    assert failed.next_attempt_at == T0 + timedelta(minutes=5)
    records = {
        r.service_url.split(":")[0]: r
        for r in session.scalars(select(Delivery).where(Delivery.dispatch_id == failed.id))
    }
    assert records["mailto"].status == "failed" and "Connection" in records["mailto"].error
    assert records["outbox"].status == "sent"

    assert (
        retry(session, now=T0 + timedelta(minutes=1), channels=channels, zone=CADENCE.timezone)["due"] == 0
    )  # not yet due
    assert smtp.inbox.messages == []

    smtp.start()
    again = retry(session, now=T0 + timedelta(minutes=6), channels=channels, zone=CADENCE.timezone)
    assert (again["due"], again["sent"], again["messages"]) == (1, 1, 1)  # only the email was re-sent
    session.refresh(failed)
    assert (failed.status, failed.attempts, failed.sent_at) == ("sent", 2, T0 + timedelta(minutes=6))

    assert retry(session, now=T0 + timedelta(days=1), channels=channels, zone=CADENCE.timezone)["due"] == 0
    assert (
        deliver(session, day=DAY, channels=channels, now=T0 + timedelta(days=1), zone=CADENCE.timezone)["claimed"] == 0
    )

    [message] = smtp.inbox.messages  # intended: one email for env's digest; no duplicates
    assert message["subject"] == "【无废城市建设督办】市生态环境局：2条提醒（2024年6月3日）"
    assert "「推进生活垃圾分类」" in message.get_body(preferencelist=("plain",)).get_content()
    subjects = sorted(m["subject"] for m in outbox_messages(outbox))
    assert subjects.count("【无废城市建设督办】市生态环境局：2条提醒（2024年6月3日）") == 1


def test_smtp_down_for_part_of_a_run_then_every_message_arrives_once(session, channels_from, outbox, smtp, monkeypatch):
    from wufei.departments.models import Department
    from wufei.notify.channels import Channels
    from wufei.plans.models import Jurisdiction

    city = Jurisdiction(name="测试市", level="city")
    units = [Department(jurisdiction=city, name=f"测试部门{n}", kind="bureau") for n in range(6)]
    session.add_all(units)
    session.flush()
    create_intents(
        session, [intent(f"p{d.id}", "overdue", d.id, title=f"{d.name}的任务", days_overdue=2) for d in units]
    )
    urls = "".join(f"  - {smtp.url(f'dept{d.id}@wufei.test')}:\n      - tag: dept-{d.id}\n" for d in units)
    channels = channels_from(f"version: 1\nurls:\n{urls}  - outbox://localhost{outbox}:\n      - tag: office\n")

    real_send, sent = Channels.send_to, []

    def server_goes_down_after_three(self, *args, **kwargs):
        if len(sent) == 3:
            smtp.stop()  # the server dies in the middle of the run
        sent.append(args[1])
        return real_send(self, *args, **kwargs)

    smtp.start()
    monkeypatch.setattr(Channels, "send_to", server_goes_down_after_three)
    first = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (first["claimed"], first["sent"], first["failed"]) == (6, 3, 3)
    assert len(smtp.inbox.messages) == 3
    failed = session.scalars(select(Delivery).where(Delivery.status == "failed")).all()
    assert len(failed) == 3 and all("127.0.0.1" in f.service_url and f.error for f in failed)

    monkeypatch.setattr(Channels, "send_to", real_send)
    smtp.start()  # back up, on the same port, with the same inbox
    again = retry(session, now=T0 + timedelta(minutes=6), channels=channels, zone=CADENCE.timezone)
    assert (again["due"], again["sent"], again["messages"]) == (3, 3, 3)
    assert retry(session, now=T0 + timedelta(days=1), channels=channels, zone=CADENCE.timezone)["due"] == 0

    recipients = sorted(m["to"] for m in smtp.inbox.messages)
    assert recipients == sorted(f"dept{d.id}@wufei.test" for d in units)  # as many as intended, none twice
    assert {s.status for s in session.scalars(select(Dispatch))} == {"sent"}
