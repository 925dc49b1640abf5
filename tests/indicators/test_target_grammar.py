"""Target wordings beyond the seeds: a level said with a verb, an approximate level, a note."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wufei.indicators.targets import TargetError, TargetKind, parse_target


@pytest.mark.parametrize(
    ("raw", "comparator", "value"),
    [
        ("稳定在95%以上", ">=", Decimal(95)),
        ("保持100%", None, Decimal(100)),
        ("力争达到60%", None, Decimal(60)),
        ("确保达到90%以上", ">=", Decimal(90)),
        ("控制在0.5以下", "<=", Decimal("0.5")),
        ("60%左右", None, Decimal(60)),
        ("≥95%（省级）", ">=", Decimal(95)),
    ],
)
def test_a_level_said_with_words_around_it_is_a_number(raw, comparator, value):
    target = parse_target(raw, name="综合利用率")
    assert (target.kind, target.comparator, target.value, target.raw) == (TargetKind.NUMERIC, comparator, value, raw)


@pytest.mark.parametrize("raw", ["显著提升", "较2020年下降10%", "全覆盖"])
def test_a_change_or_a_phrase_stays_text(raw):
    assert parse_target(raw, name="综合利用率").kind is TargetKind.QUALITATIVE


def test_one_target_per_area_is_refused_by_the_rule_and_kept_as_text_by_the_loader():
    with pytest.raises(TargetError):
        parse_target("≥60 ≥40 ≥18 ≥70", name="综合利用率")
