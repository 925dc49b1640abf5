"""WeCom group robot, DingTalk robot and Feishu: the real Apprise plugins, their payloads sent
to a local HTTP receiver standing in for the platforms.

The three plugins hard-code their host in the class attribute `notify_url`; the test (only the
test) points it at the receiver with monkeypatch, so what arrives is exactly the JSON the plugin
would post to qyapi.weixin.qq.com, oapi.dingtalk.com and open.feishu.cn."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
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
from wufei.notify.service import deliver

from .conftest import DAY, intent

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN = (
    "WECOMKEY0123456789",
    "dingtoken0123456789",
    "SEC9876543210",
    "feishu-token-0123456789",
)


class Receiver:
    """A real HTTP server on 127.0.0.1 that records each POST (path, query, JSON body)."""

    def __init__(self):
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                receiver.requests.append(
                    {
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(raw.decode("utf-8")),
                    }
                )
                answer = {"errcode": 0, "errmsg": "ok"} if "feishu" not in parts.path else {"code": 0, "msg": "success"}
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
    channels = channels_from(f"""
version: 1
urls:
  - wecombot://{WECOM_KEY}:
      - tag: dept-{env.id}
  - dingtalk://{DING_SECRET}@{DING_TOKEN}/:
      - tag: dept-{env.id}
  - feishu://{FEISHU_TOKEN}:
      - tag: dept-{env.id}
  - outbox://localhost{outbox}:
      - tag: office, fallback
""")
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
