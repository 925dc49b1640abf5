"""A crashed run's retry releases the claims its dead attempt held (service.release): what never
left goes out at once, not after the 10-minute lease; what was on the wire stays `unknown`; claims
of other runs are left alone."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.rules import CADENCE
from wufei.notify.channels import Channels
from wufei.notify.models import Delivery, DeliveryStatus, Dispatch
from wufei.notify.service import claim_digests, release, retry

from .conftest import DAY, outbox_messages

T0 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
pytestmark = pytest.mark.faults  # the fault suite of issue 14: `pytest -m faults`

RUN = "0f6f3c1e-5a7b-4c8d-9e0f-123456789abc"


def test_a_retry_of_the_same_run_releases_its_claims_and_sends_only_what_never_left(session, some_intents, outbox):
    claims = claim_digests(session, day=DAY, now=T0, holder=RUN)
    first, second = claims["claimed"]
    # The dead attempt had written `sending` for the first dispatch (its message may have left).
    session.add(
        Delivery(
            dispatch_id=first, service_url=f"outbox://localhost{outbox}", status=DeliveryStatus.SENDING, duration_ms=0
        )
    )
    session.flush()
    later = T0 + timedelta(minutes=2)  # well inside the lease
    assert retry(session, now=later, channels=Channels.load(), zone=CADENCE.timezone)["due"] == 0

    assert release(session, "another-run", now=later) == 0  # someone else's claims are not touched
    assert release(session, RUN, now=later) == 2
    summary = retry(session, now=later, channels=Channels.load(), zone=CADENCE.timezone)
    assert (summary["due"], summary["sent"], summary["unknown"]) == (2, 1, 1)
    statuses = dict(session.execute(select(Dispatch.id, Dispatch.status)).tuples().all())
    assert (statuses[first], statuses[second]) == ("unknown", "sent")
    assert len(outbox_messages(outbox)) == 1  # only the one that never left
    assert release(session, RUN, now=later) == 0  # nothing held any more


def test_a_run_s_sent_dispatches_are_not_released(session, some_intents, outbox):
    claimed = claim_digests(session, day=DAY, now=T0, holder=RUN)["claimed"]
    release(session, RUN, now=T0)
    retry(session, now=T0, channels=Channels.load(), zone=CADENCE.timezone)
    assert [session.get(Dispatch, d).status for d in claimed] == ["sent", "sent"]
    assert release(session, RUN, now=T0 + timedelta(minutes=1)) == 0
