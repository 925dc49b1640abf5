"""WeCom group robot, DingTalk robot and Feishu: the real Apprise plugins, their payloads sent
to a local HTTP receiver standing in for the platforms.

The three plugins hard-code their host in the class attribute `notify_url`; the test (only the
test) points it at the receiver with monkeypatch, so what arrives is exactly the JSON the plugin
would post to qyapi.weixin.qq.com, oapi.dingtalk.com and open.feishu.cn."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.feishu import NotifyFeishu
from apprise.plugins.wecombot import NotifyWeComBot
from sqlalchemy import select

from tests.rules import CADENCE
from wufei.notices.service import create_intents
from wufei.notify.models import Delivery
from wufei.notify.service import deliver, retry

from .conftest import DAY, intent, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN = (
    "WECOMKEY0123456789",
    "dingtoken0123456789",
    "SEC9876543210",
    "feishu-token-0123456789",
)


WECOM_TEXT_BYTES, DING_REQUEST_BYTES, FEISHU_REQUEST_BYTES = 2048, 20000, 20 * 1024  # the platforms' limits


def _answer(path: str, raw: bytes, payload: dict, refusal: dict | None, too_fast: bool = False) -> dict:
    """What the platform answers, with HTTP 200 either way: its documented refusals of a message
    too long (企业微信 40058, 钉钉 460101, 飞书 9499) or of one too many in its window (`too_fast`:
    企业微信 45009, 钉钉 130101), or `refusal`, or its acceptance."""
    if refusal is not None:
        return refusal
    if too_fast:
        if path.startswith("/dingtalk"):
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        return {"errcode": 45009, "errmsg": "api freq out of limit"}
    if path.startswith("/wecom") and len(payload["text"]["content"].encode("utf-8")) > WECOM_TEXT_BYTES:
        return {"errcode": 40058, "errmsg": "text.content exceed max length 2048"}
    if path.startswith("/dingtalk") and len(raw) > DING_REQUEST_BYTES:
        return {"errcode": 460101, "errmsg": "message too long, exceed 20000 bytes"}
    if path.startswith("/feishu") and len(raw) > FEISHU_REQUEST_BYTES:
        return {"code": 9499, "msg": "request body too large"}
    return {"errcode": 0, "errmsg": "ok"} if "feishu" not in path else {"code": 0, "msg": "success"}


class Receiver:
    """A real HTTP server on 127.0.0.1 that records each POST (path, query, JSON body, size, when)
    and answers as the platform would (`_answer`; `refusal`: every message refused with it; `rate`:
    (messages, seconds) one robot takes, as the platforms' 20 a minute, a message past it refused)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.refusal: dict | None = None
        self.rate: tuple[int, float] | None = None
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                payload = json.loads(raw.decode("utf-8"))
                with receiver._lock:
                    now, query = time.monotonic(), parse_qs(parts.query)
                    robot = (parts.path, query.get("key"), query.get("access_token"))  # not 钉钉's signature
                    too_fast = receiver.rate is not None and receiver.rate[0] <= sum(
                        1
                        for r in receiver.requests
                        if (r["path"], r["query"].get("key"), r["query"].get("access_token")) == robot
                        and r["accepted"]
                        and now - r["at"] < receiver.rate[1]
                    )
                    answer = _answer(parts.path, raw, payload, receiver.refusal, too_fast)
                    receiver.requests.append(
                        {
                            "path": parts.path,
                            "query": query,
                            "content_type": self.headers.get("Content-Type"),
                            "json": payload,
                            "size": len(raw),
                            "at": now,
                            "accepted": answer.get("errcode", answer.get("code")) == 0,
                        }
                    )
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _three_robots(department_id: int, outbox, *, outbox_tags: str) -> str:
    """The channels file of a department reached by its three robots, and the outbox."""
    return f"""
version: 1
urls:
  - wecombot://{WECOM_KEY}:
      - tag: dept-{department_id}
  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:
      - tag: dept-{department_id}
  - feishu://{FEISHU_TOKEN}:
      - tag: dept-{department_id}
  - outbox://localhost{outbox}:
      - tag: {outbox_tags}
"""


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    with Receiver() as server:
        monkeypatch.setattr(NotifyWeComBot, "notify_url", server.base + "/wecom/send?key={key}")
        monkeypatch.setattr(NotifyDingTalk, "notify_url", server.base + "/dingtalk/send?access_token={token}")
        monkeypatch.setattr(NotifyFeishu, "notify_url", server.base + "/feishu/hook/{token}/")
        yield server


def test_wecom_dingtalk_and_feishu_robots_receive_the_chinese_digest(
    session, departments, channels_from, outbox, receiver
):
    env, _ = departments
    create_intents(
        session,
        [
            intent(
                "w",
                "red_slip",
                env.id,
                title="建设危险废物集中处置中心",
                due_date_cn="2024年5月31日",
                days_overdue=20,
                light="red",
                reason="逾期20个工作日",
            )
        ],
    )
    channels = channels_from(_three_robots(env.id, outbox, outbox_tags="office, fallback"))
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["messages"]) == (1, 3)

    by_platform = {r["path"].split("/")[1]: r for r in receiver.requests}
    assert set(by_platform) == {"wecom", "dingtalk", "feishu"} and len(receiver.requests) == 3

    wecom = by_platform["wecom"]
    assert wecom["query"] == {"key": [WECOM_KEY]}
    assert wecom["json"]["msgtype"] == "text" and set(wecom["json"]) == {"msgtype", "text"}
    ding = by_platform["dingtalk"]
    assert ding["query"]["access_token"] == [DING_TOKEN]
    assert ding["query"]["timestamp"] and ding["query"]["sign"]  # 加签: the secret signs, it is not sent
    assert ding["json"]["msgtype"] == "text" and ding["json"]["at"] == {"atMobiles": [], "isAtAll": False}
    feishu = by_platform["feishu"]
    assert feishu["path"] == f"/feishu/hook/{FEISHU_TOKEN}/"
    assert feishu["json"]["msg_type"] == "text" and set(feishu["json"]) == {"msg_type", "content"}

    for text in (wecom["json"]["text"]["content"], ding["json"]["text"]["content"], feishu["json"]["content"]["text"]):
        assert text.startswith("【红色督办单】市生态环境局：建设危险废物集中处置中心")  # the subject leads
        assert "市生态环境局专班联系人：" in text
        assert "红色督办：「建设危险废物集中处置中心」（期限2024年5月31日）已逾期20个工作日。" in text
        assert DING_SECRET not in text

    records = session.scalars(select(Delivery)).all()
    assert {r.status for r in records} == {"sent"} and len(records) == 3
    for secret in (WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN):  # privacy URLs only
        assert not any(secret in r.service_url for r in records)
    assert {r.service_url.split("://")[0] for r in records} == {"wecombot", "dingtalk", "feishu"}


def test_a_robot_answering_with_an_error_code_is_a_failed_delivery(
    session, departments, channels_from, outbox, monkeypatch
):
    env, _ = departments
    create_intents(session, [intent("e", "due_soon", env.id, title="开展无废细胞建设")])
    with Receiver() as server:
        monkeypatch.setattr(NotifyWeComBot, "notify_url", server.base + "/nowhere/{key}")
        server.server.RequestHandlerClass.do_POST = lambda self: (self.send_response(404), self.end_headers())
        channels = channels_from(f"version: 1\nurls:\n  - wecombot://{WECOM_KEY}:\n      - tag: dept-{env.id}\n")
        summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["failed"], summary["messages"]) == (1, 0)
    [record] = session.scalars(select(Delivery)).all()
    assert record.status == "failed" and "404" in record.error and WECOM_KEY not in (record.error + record.service_url)


def _long_digest(session, department_id: int, count: int) -> list[str]:
    """`count` red slips for one department, with titles as long as real plans write them."""
    titles = [
        f"第{n}项 推进建筑垃圾资源化利用和工业固体废物综合利用项目建设并完善全过程监管体系" for n in range(1, count + 1)
    ]
    create_intents(
        session,
        [
            intent(f"long-{n}", "red_slip", department_id, title=title, due_date_cn="2024年5月31日", days_overdue=20)
            for n, title in enumerate(titles, 1)
        ],
    )
    return titles


def test_a_digest_too_long_for_a_robot_is_cut_to_what_it_takes_and_the_email_keeps_it_whole(
    session, departments, channels_from, outbox, receiver, monkeypatch
):
    """企业微信 refuses a text over 2,048 bytes: a dozen items (about 7 KB) went out every day and
    failed every day. The robots get the first items whole, a line counting the others and the
    portal's link; the outbox (as an email would) gets every item."""
    monkeypatch.setenv("WUFEI_PORTAL_URL", "https://duban.example.gov.cn")
    env, _ = departments
    titles = _long_digest(session, env.id, 12)
    channels = channels_from(_three_robots(env.id, outbox, outbox_tags=f"dept-{env.id}, fallback"))
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["failed"], summary["messages"]) == (1, 0, 4)
    assert {r.status for r in session.scalars(select(Delivery))} == {"sent"}

    [whole] = outbox_messages(outbox)
    assert all(title in whole["body"] for title in titles) and "未在此列出" not in whole["body"]
    by_platform = {r["path"].split("/")[1]: r for r in receiver.requests}
    wecom = by_platform["wecom"]["json"]["text"]["content"]
    assert len(wecom.encode("utf-8")) <= WECOM_TEXT_BYTES
    assert (
        by_platform["dingtalk"]["size"] <= DING_REQUEST_BYTES and by_platform["feishu"]["size"] <= FEISHU_REQUEST_BYTES
    )
    in_order = sorted(titles, key=whole["body"].index)  # the digest's order
    listed = [t for t in in_order if f"「{t}」" in wecom]
    assert 1 <= len(listed) < 12 and listed == in_order[: len(listed)]  # the first items, whole
    assert f"……另有{12 - len(listed)}项未在此列出，请登录督办平台查看全部。" in wecom
    assert wecom.startswith("【无废城市建设督办】市生态环境局：12条提醒")
    assert wecom.rstrip().endswith("本通知由无废城市建设督办系统自动发送。")
    assert "请登录督办平台办理：https://duban.example.gov.cn/my/reminders" in wecom


def test_a_robot_refusing_in_a_200_answer_is_a_failed_send_not_a_sent_one(
    session, departments, channels_from, outbox, receiver
):
    """The platforms answer HTTP 200 with an error code when they refuse (a security keyword
    missing, a bad signature, 20 a minute exceeded); Apprise looks at the status only. The send is
    failed, with the platform's reason, and retried like any other failure, never marked sent."""
    env, _ = departments
    create_intents(session, [intent("k", "due_soon", env.id, title="开展无废细胞建设")])
    receiver.refusal = {"errcode": 310000, "errmsg": "keywords not in content"}
    channels = channels_from(f"version: 1\nurls:\n  - wecombot://{WECOM_KEY}:\n      - tag: dept-{env.id}\n")
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["failed"]) == (0, 1) and len(receiver.requests) == 1
    [record] = session.scalars(select(Delivery)).all()
    assert record.status == "failed" and "errcode=310000" in record.error and "keywords not in content" in record.error

    receiver.refusal = None  # the office adds the keyword: the retry goes out
    retried = retry(session, now=T0 + timedelta(minutes=6), channels=channels, zone=CADENCE.timezone)
    assert retried["sent"] == 1 and len(receiver.requests) == 2


def test_a_robot_in_html_format_gets_a_digest_that_fits_once_converted(
    session, departments, channels_from, outbox, receiver
):
    """With ?format=html each line break is sent as <br/>: cut on the plain text, a dozen items came
    to 2,185 bytes and were refused every day."""
    env, _ = departments
    _long_digest(session, env.id, 12)
    channels = channels_from(
        f"version: 1\nurls:\n  - wecombot://{WECOM_KEY}?format=html:\n      - tag: dept-{env.id}\n"
    )
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["failed"]) == (1, 0)
    [request] = receiver.requests
    content = request["json"]["text"]["content"]
    assert "<br/>" in content and len(content.encode("utf-8")) <= WECOM_TEXT_BYTES and "未在此列出" in content


@pytest.mark.parametrize(
    ("answer", "refused"),
    [
        ({"errcode": 0, "errmsg": "ok"}, None),
        ({"code": 0, "msg": "success"}, None),
        ({"StatusCode": 0, "StatusMessage": "success"}, None),
        ({"code": 0, "StatusCode": 9499, "StatusMessage": "Bad Request"}, "StatusCode=9499"),
        ({"errcode": 130101, "errmsg": "send too fast"}, "errcode=130101"),
        ([], None),  # not an object: nothing a platform says
    ],
)
def test_a_platform_refusal_is_any_error_code_in_the_answer(answer, refused):
    from wufei.notify.wire import _platform_refusal

    class Answer:
        status_code = 200

        def json(self):
            return answer

    found = _platform_refusal(Answer())
    assert (
        (found is None)
        if refused is None
        else (found is not None and refused in found[1] and found[0] == refused.split("=")[1])
    )


def test_the_liaisons_mobile_is_mentioned_in_the_dingtalk_group_even_in_a_cut_digest(
    session, departments, outbox, receiver, tmp_path
):
    """A department's 钉钉 robot posts in a group of many; the liaison's mobile from the contacts
    sheet makes the message @-mention them (钉钉 rings only for a mobile both in `atMobiles` and in
    the text). A digest too long for the robot is cut and still names them; a landline is no mobile."""
    from wufei.contacts.models import Contact
    from wufei.contacts.service import contact_services
    from wufei.notify.channels import Channels

    env, build = departments
    session.add_all(
        [
            Contact(
                department_id=env.id,
                liaison="张三",
                liaison_phone="138-0013-8000",
                dingtalk_robot=f"dingtalk://{DING_SECRET}@{DING_TOKEN}/",
                source="联系人.xlsx",
                source_row=2,
            ),
            Contact(
                department_id=build.id,
                liaison="李四",
                liaison_phone="0318-2123456",
                dingtalk_robot="dingtalk://othertoken0123/",
                source="联系人.xlsx",
                source_row=3,
            ),
        ]
    )
    session.flush()
    _long_digest(session, env.id, 60)
    create_intents(session, [intent("b", "due_soon", build.id, title="开展无废细胞建设")])
    config = tmp_path / "apprise.yaml"
    config.write_text(f"version: 1\nurls:\n  - outbox://localhost{outbox}:\n      - tag: office\n", encoding="utf-8")
    channels = Channels.load(config, extra=contact_services(session))
    summary = deliver(session, day=DAY, channels=channels, now=T0, zone=CADENCE.timezone)
    assert (summary["sent"], summary["failed"]) == (2, 0)

    by_token = {r["query"]["access_token"][0]: r for r in receiver.requests}
    mentioned = by_token[DING_TOKEN]
    assert mentioned["json"]["at"]["atMobiles"] == ["13800138000"]
    content = mentioned["json"]["text"]["content"]
    assert "未在此列出" in content and content.rstrip().endswith("@13800138000")
    assert mentioned["size"] <= DING_REQUEST_BYTES
    landline = by_token["othertoken0123"]
    assert landline["json"]["at"]["atMobiles"] == [] and "@" not in landline["json"]["text"]["content"]
