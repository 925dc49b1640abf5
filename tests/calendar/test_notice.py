"""The State Council's holiday notice read into days (wufei.calendar.notice) and entered by
`wufei calendar import`: four real notices (tests/calendar/notices, one a traditional-character
reprint) give, for every day of their year, what chinese_calendar says; what the notice lets one
check is checked, and a doubt stops the import."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import fresh_database_url
from wufei import migrate
from wufei.calendar.models import CalendarOverride
from wufei.calendar.notice import NoticeError, read_notice
from wufei.calendar.service import load_calendar
from wufei.calendar.workdays import UnknownYearWarning
from wufei.cli import main
from wufei.db import make_engine
from wufei.importers.text.traditional import simplified

NOTICES = Path(__file__).parent / "notices"
YEARS = {
    "国办发明电〔2016〕17号.txt": 2017,
    "国办发明电〔2022〕16号.txt": 2023,
    "国办发明电〔2023〕7号.txt": 2024,  # 鼓励……安排职工在除夕（2月9日）休息: advice, not a day off
    "国办发明电〔2024〕12号.txt": 2025,
    "国务院办公厅关于2026年部分节假日安排的通知.txt": 2026,
}


def _text(name: str) -> str:
    return simplified((NOTICES / name).read_text(encoding="utf-8"))


@pytest.mark.nodb
@pytest.mark.parametrize("name", sorted(YEARS))
def test_every_day_of_the_year_is_what_chinese_calendar_says(name):
    notice = read_notice(_text(name))
    assert (notice.year, notice.doubts) == (YEARS[name], [])
    named = notice.days()
    day = date(notice.year, 1, 1)
    while day.year == notice.year:
        worked = named[day][0] if day in named else day.weekday() < 5
        assert worked == chinese_calendar.is_workday(day), (day, named.get(day))
        day += timedelta(days=1)


@pytest.mark.nodb
def test_the_festivals_their_totals_and_the_number_are_read():
    notice = read_notice(_text("国办发明电〔2024〕12号.txt"))
    assert notice.number == "国办发明电〔2024〕12号"
    assert [(f.names, len(f.off), f.stated, len(f.work)) for f in notice.festivals] == [
        ("元旦", 1, None, 0),
        ("春节", 8, 8, 2),
        ("清明节", 3, 3, 0),
        ("劳动节", 5, 5, 1),
        ("端午节", 3, 3, 0),
        ("国庆节、中秋节", 8, 8, 2),
    ]
    assert notice.days()[date(2025, 1, 26)] == (True, "春节调休上班")
    crossing = read_notice(_text("国办发明电〔2022〕16号.txt")).festivals[0]
    assert crossing.off == [date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2)]


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("change", "doubt"),
    [
        (("1月4日(周日)上班", "1月4日(周一)上班"), "元旦：2026年1月4日是星期日，通知写作「周一」"),
        (("共9天", "共8天"), "春节：通知写共8天，读到的放假日为9天"),
        (("5月9日(周六)上班", "5月8日上班"), "劳动节：2026年5月8日调休上班，但这天是星期五，不是周末"),
        (("六、中秋节:", "六、国庆节:"), "国庆节出现2次"),
        (("1月4日(周日)上班", "1月4日(周日)照常"), "元旦：「1月4日(周日)照常」中的日期未说明放假还是上班"),
    ],
)
def test_what_the_notice_lets_one_check_is_a_doubt(change, doubt):
    text = _text("国务院办公厅关于2026年部分节假日安排的通知.txt")
    assert change[0] in text
    assert doubt in read_notice(text.replace(*change)).doubts


@pytest.mark.nodb
def test_a_new_years_day_across_the_year_without_years_begins_in_december_before():
    text = _text("国办发明电〔2022〕16号.txt").replace("2022年12月31日至2023年1月2日", "12月31日至1月2日")
    notice = read_notice(text)
    assert notice.doubts == []
    assert notice.festivals[0].off == [date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2)]


@pytest.mark.nodb
def test_items_after_a_colon_or_numbered_in_digits_are_read_and_a_missing_one_is_a_doubt():
    one_line = (
        _text("国务院办公厅关于2026年部分节假日安排的通知.txt").replace("通知如下。", "通知如下：").replace("\n", "")
    )
    assert read_notice(one_line).doubts == [] and read_notice(one_line).festivals[0].names == "元旦"
    digits = _text("国办发明电〔2024〕12号.txt")
    for number, digit in zip("一二三四五六", "123456", strict=True):
        digits = digits.replace(f"{number}、", f"{digit}.")
    assert len(read_notice(digits).festivals) == 6 and read_notice(digits).doubts == []
    without = _text("国务院办公厅关于2026年部分节假日安排的通知.txt").replace("三、清明节:", "三、")
    assert "通知列出的清明节未读到放假安排" in read_notice(without).doubts


@pytest.mark.nodb
def test_a_text_that_is_no_notice_is_refused_saying_why():
    with pytest.raises(NoticeError, match="不是国务院办公厅的节假日安排通知"):
        read_notice("关于印发衡水市“无废城市”建设工作方案的通知")
    two = _text("国办发明电〔2024〕12号.txt") + "\n上一篇：国务院办公厅关于2024年部分节假日安排的通知"
    assert read_notice(two).year == 2025  # the body's own 现将2025年 decides
    with pytest.raises(NoticeError, match="文中有2025年、2026年的节假日安排"):
        read_notice(_text("国办发明电〔2024〕12号.txt") + _text("国务院办公厅关于2026年部分节假日安排的通知.txt"))
    with pytest.raises(NoticeError, match="未读到2027年的节假日安排"):
        read_notice("国务院办公厅关于2027年部分节假日安排的通知（全文另见附件）")


@pytest.fixture
def database(tmp_path):
    """A migrated database of its own, and the environment pointing the command line at it."""
    url = fresh_database_url(tmp_path)
    engine = make_engine(url)
    migrate.upgrade(engine)
    yield engine, {"WUFEI_DATABASE_URL": url}
    engine.dispose()


# A made-up notice for a year chinese_calendar does not know (2099: 1 January a Thursday).
FUTURE = """国务院办公厅关于2099年部分节假日安排的通知
经国务院批准，现将2099年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：1月26日至2月1日放假调休，共7天。2月7日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班工作。
"""


def test_the_office_imports_a_notice_and_the_year_is_known(database, tmp_path):
    engine, env = database
    notice = tmp_path / "2099年节假日安排.txt"
    notice.write_text(FUTURE, encoding="utf-8")
    runner = CliRunner()
    env = {**env, "WUFEI_ACTOR": "办公室"}

    dry = runner.invoke(main, ["calendar", "import", "--dry-run", str(notice)], env=env)
    assert dry.exit_code == 0, dry.output
    assert "春节：1月26日至2月1日放假，共7天；2月7日（星期六）上班" in dry.output
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CalendarOverride)) == 0

    done = runner.invoke(main, ["calendar", "import", str(notice)], env=env)
    assert done.exit_code == 0, done.output
    assert "已写入 365 天的办公室设置" in done.output
    # otherwise than the fallback (元旦 off already): 2 and 26–30 January off, 4 January and 7 February worked
    assert "与此前的安排（办公室设置，其余按周一至周五扣除法定节假日推定）不同的有 8 天" in done.output
    with Session(engine) as session:
        calendar = load_calendar(session)
        note = session.get(CalendarOverride, date(2099, 2, 7)).note
    assert note == "春节调休上班（据国务院2099年节假日安排）"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownYearWarning)  # the year is known now: no warning
        assert not calendar.is_workday(date(2099, 1, 2)) and calendar.is_workday(date(2099, 1, 4))
        assert calendar.workdays_between(date(2099, 1, 1), date(2099, 12, 31)) > 240

    again = runner.invoke(main, ["calendar", "import", str(notice)], env=env)
    assert "已写入 0 天的办公室设置" in again.output  # nothing twice

    doubtful = tmp_path / "有误.txt"
    doubtful.write_text(FUTURE.replace("共7天", "共6天"), encoding="utf-8")
    refused = runner.invoke(main, ["calendar", "import", str(doubtful)], env=env)
    assert refused.exit_code != 0 and "春节：通知写共6天，读到的放假日为7天" in refused.output
    assert "未写入" in refused.output


def test_a_corrected_notice_withdraws_what_the_first_entered_and_the_offices_own_days_stay(database, tmp_path):
    (engine, env), runner = database, CliRunner()
    wrong, right, later = (tmp_path / f"{name}.txt" for name in ("wrong", "right", "later"))
    wrong.write_text(FUTURE.replace("2月7日（周六）上班", "2月8日（周日）上班"), encoding="utf-8")
    right.write_text(FUTURE, encoding="utf-8")
    # the next year's notice names 31 December 2099 (its 元旦 begins in it)
    later.write_text(
        "国务院办公厅关于2100年部分节假日安排的通知\n现将2100年元旦放假调休日期的具体安排通知如下。\n"
        "一、元旦：2099年12月31日至2100年1月2日放假调休，共3天。\n",
        encoding="utf-8",
    )
    assert (
        runner.invoke(main, ["calendar", "set", "2099-03-09", "holiday", "--note", "本地调休"], env=env).exit_code == 0
    )
    for notice in (wrong, later):
        assert runner.invoke(main, ["calendar", "import", str(notice)], env=env).exit_code == 0
    corrected = runner.invoke(main, ["calendar", "import", str(right)], env=env)
    assert corrected.exit_code == 0, corrected.output
    assert "办公室逐日设置的 1 天保留不变：2099-03-09" in corrected.output
    with Session(engine) as session:
        calendar = load_calendar(session)
        notes = {row.day: row.note for row in session.scalars(select(CalendarOverride))}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownYearWarning)
        assert calendar.is_workday(date(2099, 2, 7)) and not calendar.is_workday(date(2099, 2, 8))  # as corrected
        assert not calendar.is_workday(date(2099, 3, 9))  # the office's entry
        assert not calendar.is_workday(date(2099, 12, 31))  # the 2100 notice's day, not reset by 2099's
    assert notes[date(2099, 3, 9)] == "本地调休" and "2100年" in notes[date(2099, 12, 31)]


def test_a_notice_disagreeing_with_a_year_wufei_knows_is_refused_unless_forced(database, tmp_path):
    (engine, env), runner = database, CliRunner()
    text = _text("国务院办公厅关于2026年部分节假日安排的通知.txt").replace("10月10日(周六)上班", "10月11日(周日)上班")
    changed = tmp_path / "2026改.txt"
    changed.write_text(text, encoding="utf-8")
    refused = runner.invoke(main, ["calendar", "import", str(changed)], env=env)
    assert refused.exit_code != 0 and "通知与之不同的有 2 天（2026-10-10、2026-10-11）" in refused.output
    forced = runner.invoke(main, ["calendar", "import", "--force", str(changed)], env=env)
    assert forced.exit_code == 0 and "已写入 2 天的办公室设置" in forced.output
    original = runner.invoke(
        main, ["calendar", "import", str(NOTICES / "国务院办公厅关于2026年部分节假日安排的通知.txt")], env=env
    )
    assert "撤销此前录入而本通知未列的 2 天" in original.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CalendarOverride)) == 0


def test_a_notice_for_a_year_wufei_knows_writes_only_what_differs(database):
    _engine, env = database
    result = CliRunner().invoke(main, ["calendar", "import", str(NOTICES / "国办发明电〔2022〕16号.txt")], env=env)
    assert result.exit_code == 0, result.output
    assert "已写入 0 天的办公室设置；与系统内置的国家安排不同的有 0 天" in result.output
