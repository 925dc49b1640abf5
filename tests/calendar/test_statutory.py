"""The statutory holidays a year without a known arrangement falls back to (全国年节及纪念日放假办法,
2024 revision), and the lunar festivals' table checked against a second source: the mean lunation
(a 初一 falls on a new moon, a 十五 on a full moon), itself checked on the festivals of the years
chinese_calendar knows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from wufei.calendar.statutory import LUNAR_FESTIVALS, statutory_holidays

SYNODIC_MONTH = 29.530588861
NEW_MOON = datetime(2000, 1, 6, 18, 14)  # a mean new moon (UTC)
NAMES = {"Spring Festival": 0, "Dragon Boat Festival": 4, "Mid-autumn Festival": 14}  # lunar day - 1


def lunar_age(day: date) -> float:
    """Days since the last mean new moon at noon in Beijing (04:00 UTC)."""
    noon = datetime.combine(day, datetime.min.time()) + timedelta(hours=4)
    return ((noon - NEW_MOON).total_seconds() / 86400) % SYNODIC_MONTH


def fits(day: date, lunar_day_index: int) -> bool:
    """The lunar day's noon is `lunar_day_index` days after a new moon, give or take the mean
    moon's lag (up to 14 hours) and the half day either side of noon."""
    offset = (lunar_age(day) - lunar_day_index + SYNODIC_MONTH / 2) % SYNODIC_MONTH - SYNODIC_MONTH / 2
    return abs(offset) <= 1.2


@pytest.mark.parametrize("year", range(2010, 2027))
def test_the_method_finds_each_festival_in_the_holidays_chinese_calendar_names_for_it(year):
    named: dict[str, list[date]] = {}
    day = date(year, 1, 1)
    while day.year == year:
        holiday, name = chinese_calendar.get_holiday_detail(day)
        if holiday and name is not None:
            named.setdefault(name, []).append(day)
        day += timedelta(days=1)
    for name, index in NAMES.items():
        # 2020's 中秋 fell on 1 October: the package names those days National Day
        days = named.get(name) or named["National Day"]
        assert any(fits(day, index) for day in days), (year, name)


@pytest.mark.parametrize("year", sorted(LUNAR_FESTIVALS))
def test_the_tables_festivals_fall_on_their_lunar_days(year):
    spring, dragon_boat, mid_autumn = LUNAR_FESTIVALS[year]
    assert fits(spring, 0) and date(year, 1, 21) <= spring <= date(year, 2, 20)
    assert fits(dragon_boat, 4) and date(year, 5, 28) <= dragon_boat <= date(year, 6, 25)
    assert fits(mid_autumn, 14) and date(year, 9, 7) <= mid_autumn <= date(year, 10, 8)
    # a mistake of a whole lunar month would still fit the moon: the months between agree too
    assert (dragon_boat - spring).days in range(4 * 29 + 4 - 1, 5 * 30 + 4 + 1)
    assert (mid_autumn - dragon_boat).days in range(3 * 29 + 10 - 1, 4 * 30 + 10 + 1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_fallback_of_a_year_chinese_calendar_knows_gives_only_its_holidays(year):
    # 2025 and 2026 follow the 2024 revision: every statutory day the fallback names is off
    worked = [day for day in statutory_holidays(year) if chinese_calendar.is_workday(day)]
    assert worked == []
    assert len(statutory_holidays(year)) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3, none on the same day


def test_2027_s_statutory_holidays():
    assert statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        **dict.fromkeys([date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)], "春节"),
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        **dict.fromkeys([date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)], "国庆节"),
    }
