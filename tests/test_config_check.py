"""`wufei config check`: which copy of each rule file a run reads, whether it loads, and what an
office's edit may leave out without meaning to."""

from __future__ import annotations

from click.testing import CliRunner

from wufei.cli import main

ONE_STEP_LADDER = """\
steps:
  - id: before_due_7
    anchor: due
    offset_workdays: -7
    audience: [lead_liaison]
    kind: due_soon
    title: 临期提醒
    action: 本任务将于{due}到期。
"""


def run_check(monkeypatch, directory=None):
    if directory is None:
        monkeypatch.delenv("WUFEI_CONFIG_DIR", raising=False)
    else:
        monkeypatch.setenv("WUFEI_CONFIG_DIR", str(directory))
    return CliRunner().invoke(main, ["config", "check"])


def test_the_shipped_files_load_with_nothing_to_remark(monkeypatch):
    result = run_check(monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.output.count("随附默认") == 6
    assert "提醒" not in result.output
    assert "全部 6 个规则文件可读取" in result.output


def test_an_office_ladder_without_indicator_or_missing_steps_is_pointed_out(tmp_path, monkeypatch):
    (tmp_path / "ladder.yaml").write_text(ONE_STEP_LADDER, encoding="utf-8")
    result = run_check(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    ladder = lines.index(f"ladder.yaml  办公室文件，整份替换随附默认  {tmp_path / 'ladder.yaml'}")
    remarks = lines[ladder + 1 : ladder + 4]
    assert [remark.split("（")[1].split("）")[0] for remark in remarks] == [
        "missing",
        "indicator_due",
        "indicator_behind",
    ]
    assert all(remark.startswith("  提醒：没有以") and "不会发出" in remark for remark in remarks)
    assert "（due）" not in result.output  # the office kept a deadline step
    assert "全部 6 个规则文件可读取，3 条提醒" in result.output


def test_a_replaced_file_names_the_settings_it_leaves_to_the_defaults_and_a_layered_one_does_not(tmp_path, monkeypatch):
    (tmp_path / "rules.yaml").write_text("missing_reports_red: 4\n", encoding="utf-8")
    (tmp_path / "cadence.yaml").write_text("monthly_dispatch:\n  workday_of_month: 4\n", encoding="utf-8")
    result = run_check(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert "rules.yaml  办公室文件，整份替换随附默认" in result.output
    assert "cadence.yaml  办公室文件，叠加在随附默认之上" in result.output
    unwritten = next(line for line in result.output.splitlines() if line.startswith("  提醒：未写 "))
    assert "due_soon_workdays" in unwritten and "missing_reports_yellow" in unwritten
    assert "missing_reports_red" not in unwritten
    assert result.output.count("提醒：") == 1


def test_a_broken_file_fails_naming_it_and_a_misspelt_one_is_reported_unread(tmp_path, monkeypatch):
    (tmp_path / "circular.yaml").write_text("quarterly: [unclosed\n", encoding="utf-8")
    (tmp_path / "ladder.yml").write_text(ONE_STEP_LADDER, encoding="utf-8")
    (tmp_path / "apprise.yaml").write_text("urls: []\n", encoding="utf-8")
    result = run_check(monkeypatch, tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    circular = next(i for i, line in enumerate(lines) if line.startswith("circular.yaml  办公室文件"))
    assert lines[circular + 1].startswith("  错误：")
    assert "ladder.yml  WUFEI_CONFIG_DIR 中的这个文件不是规则文件，不会被读取" in result.output
    assert "apprise.yaml" not in result.output  # the channels file is read, by delivery
    assert "1 个规则文件有错误" in result.output
