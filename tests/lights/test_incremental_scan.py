"""The daily scan judges again only the tasks whose inputs changed or whose light can change with
the date; the others keep their state. Over the 2023 replay shared with tests/cadence/
test_replay_2023.py (tests/replay_2023.py: Hengshui's plan, generated department behaviour with
reports, late reports, silences, a return and an extension, every cadence point), every working
day's incremental scan must leave each task with the light and rules a full judgement of that day
gives, and write the same history rows; its escalation, which looks only at the tasks judged again
or whose `escalate_on` came, must leave nothing for a full escalation of that day to create or
resolve."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # the year is replayed once for the run (minutes): tests/replay_2023.py


@pytest.fixture(scope="module")
def replayed(replay_2023):
    """Each working day of 2023 after its points ran (tests/replay_2023.py `ScanDay`)."""
    return replay_2023.days


def test_each_day_every_task_keeps_the_light_a_full_judgement_gives(replayed):
    assert len(replayed) > 240
    for scanned in replayed:
        assert scanned.states == scanned.full, scanned.day
        counts: dict[str, int] = {}
        for light, _codes in scanned.full.values():
            counts[light] = counts.get(light, 0) + 1
        assert scanned.scan["lights"] == counts, scanned.day


def test_each_day_the_history_rows_are_the_ones_a_full_scan_writes(replayed):
    changes = 0
    for scanned in replayed:
        assert scanned.written == scanned.expected, scanned.day
        changes += len(scanned.written)
    assert changes > 100  # the year moves lights: the comparison is not about empty days


def test_most_days_most_tasks_are_carried_forward(replayed):
    judged = [scanned.scan["lights_judged"] for scanned in replayed[1:]]
    tasks = len(replayed[0].full)
    assert replayed[0].scan["lights_judged"] == tasks  # the first scan judges every task
    assert sum(judged) < 0.5 * tasks * len(judged)
    assert min(judged) < 0.2 * tasks


def test_each_day_the_escalation_leaves_nothing_for_a_full_one_to_do(replayed):
    undone = {scanned.day: scanned.left_undone for scanned in replayed if scanned.left_undone != (0, 0)}
    assert undone == {}
    created = sum(scanned.scan["escalation"]["created"] for scanned in replayed)
    resolved = sum(scanned.scan["escalation"]["resolved"] for scanned in replayed)
    assert created > 200 and resolved > 0  # the year escalates: the comparison is not about empty days


def test_most_days_the_escalation_looks_at_few_tasks(replayed):
    looked = [scanned.scan["escalation"]["tasks"] for scanned in replayed[1:]]
    open_tasks = [scanned.open_tasks for scanned in replayed[1:]]
    assert sum(looked) < 0.6 * sum(open_tasks)  # every task is looked at after each window closes
    assert min(looked) < 0.2 * max(open_tasks)
