"""The statutory holidays of 全国年节及纪念日放假办法 (2024 revision), for a year whose arrangement is
not known yet (neither `chinese_calendar` nor an imported notice): 元旦 1月1日; 春节 除夕至正月初三
(4 days); 清明节 (the solar term's day); 劳动节 5月1日至2日; 端午节 五月初五; 中秋节 八月十五;
国庆节 10月1日至3日. The 调休 swaps of the State Council's notice are left out: nobody can predict
them. Pure: no database here.

The lunar festivals come from a table (the years ahead of `chinese_calendar`), checked in
tests/calendar/test_statutory.py against the mean lunation; 清明 from `chinese_calendar`'s solar
term formula.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from chinese_calendar import get_solar_terms

# year → (正月初一, 五月初五, 八月十五)
LUNAR_FESTIVALS: dict[int, tuple[date, date, date]] = {
    2025: (date(2025, 1, 29), date(2025, 5, 31), date(2025, 10, 6)),  # known years: checked against the package
    2026: (date(2026, 2, 17), date(2026, 6, 19), date(2026, 9, 25)),
    2027: (date(2027, 2, 6), date(2027, 6, 9), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2028, 5, 28), date(2028, 10, 3)),
    2029: (date(2029, 2, 13), date(2029, 6, 16), date(2029, 9, 22)),
    2030: (date(2030, 2, 3), date(2030, 6, 5), date(2030, 9, 12)),
    2031: (date(2031, 1, 23), date(2031, 6, 24), date(2031, 10, 1)),
    2032: (date(2032, 2, 11), date(2032, 6, 12), date(2032, 9, 19)),
    2033: (date(2033, 1, 31), date(2033, 6, 1), date(2033, 9, 8)),
    2034: (date(2034, 2, 19), date(2034, 6, 20), date(2034, 9, 27)),
    2035: (date(2035, 2, 8), date(2035, 6, 10), date(2035, 9, 16)),
}


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The days of `year` the holidays law gives off, with their names. The Spring Festival's eve
    may fall in the year before (a year whose 正月初一 is 1 February, say, still has 除夕 in it);
    a year past the table has the festivals on fixed dates and 清明 only."""
    days = {date(year, 1, 1): "元旦", date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"}
    days.update({date(year, 10, d): "国庆节" for d in (1, 2, 3)})
    if 1900 <= year <= 2100:  # the formula's years
        april = get_solar_terms(date(year, 4, 1), date(year, 4, 30))
        days.update((day, "清明节") for day, term in april if term == "清明")
    for festivals in (LUNAR_FESTIVALS.get(year), LUNAR_FESTIVALS.get(year + 1)):
        if festivals is None:
            continue
        spring = festivals[0]
        for offset in (-1, 0, 1, 2):
            day = spring + timedelta(days=offset)
            if day.year == year:
                days[day] = "春节"
    if (festivals := LUNAR_FESTIVALS.get(year)) is not None:
        days[festivals[1]] = "端午节"
        days[festivals[2]] = "中秋节"
    return dict(sorted(days.items()))


def knows_lunar(year: int) -> bool:
    return year in LUNAR_FESTIVALS
