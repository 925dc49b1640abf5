"""Channel errors name only their own send: concurrent sends do not leak each other's warnings
(hosts, recipients) into the stored error, and a YAML error does not quote the file's text."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from apprise.decorators import notify as apprise_notify

from wufei.notify.channels import ChannelError

_both_sending = threading.Barrier(2)


@apprise_notify(on="wufeilogtest")
def _failing(body, title, notify_type, meta, *args, **kwargs):
    host = meta.get("host")
    logging.getLogger("apprise").warning("connection refused by %s (to: someone@%s)", host, host)
    _both_sending.wait(timeout=10)  # the other thread logs while this send is still running
    logging.getLogger("apprise").warning("giving up on %s", host)
    return False


def test_concurrent_sends_keep_their_own_errors(channels_from):
    channels = channels_from(
        "version: 1\nurls:\n  - wufeilogtest://alpha.example:\n      - tag: fallback\n"
        "  - wufeilogtest://beta.example:\n      - tag: fallback\n"
    )
    targets = channels.targets("fallback")
    assert len(targets) == 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda target: channels.send_to(*target, "主题", "正文"), targets))
    errors = {result.service_url: result.error for result in results}
    for (service, name), other in zip(targets, ("beta.example", "alpha.example")):
        own = service.host
        assert not any(r.ok for r in results) and own in errors[name] and "giving up on " + own in errors[name]
        assert other not in errors[name], errors[name]


def test_a_yaml_error_gives_the_position_not_the_secret_line(channels_from):
    with pytest.raises(ChannelError) as raised:
        channels_from("version: 1\nurls:\n  - mailto://user:s3cret-pass@smtp.example:\n   - tag: [office\n")
    assert "s3cret" not in str(raised.value) and "行" in str(raised.value) and "列" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
