"""Editable configuration files (wufei/config.py): parsed once per version, a fresh copy each time."""

from __future__ import annotations

from wufei.config import load_yaml


def test_an_office_edit_is_read_at_once_and_callers_cannot_change_each_others_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("WUFEI_CONFIG_DIR", str(tmp_path))
    override = tmp_path / "rules.yaml"
    override.write_text("due_soon_days: 7\n", encoding="utf-8")
    first = load_yaml("lights", "rules.yaml")
    assert first == {"due_soon_days": 7}
    first["due_soon_days"] = 99
    assert load_yaml("lights", "rules.yaml") == {"due_soon_days": 7}
    override.write_text("due_soon_days: 10\n", encoding="utf-8")
    assert load_yaml("lights", "rules.yaml") == {"due_soon_days": 10}
    override.unlink()
    assert load_yaml("lights", "rules.yaml") != {"due_soon_days": 10}  # the shipped default again
