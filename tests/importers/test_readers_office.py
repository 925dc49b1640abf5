"""Older office formats (.doc, .wps, .rtf, .odt) through LibreOffice: real files saved by LibreOffice itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.importers.render import convert, seed_document, write_docx
from tests.importers.same_records import assert_same_records
from tests.seed_files import BAODING_PLAN
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source


@pytest.fixture(scope="module")
def baoding_docx(tmp_path_factory) -> Path:
    return write_docx(seed_document(BAODING_PLAN), tmp_path_factory.mktemp("office") / "保定方案.docx")


@pytest.fixture(scope="module")
def baoding_doc(baoding_docx, tmp_path_factory) -> Path:
    """The plan saved as .doc once for the module's tests: they read it, none changes it."""
    return convert(baoding_docx, "doc:MS Word 97", tmp_path_factory.mktemp("doc"))


@pytest.mark.parametrize("target", ["doc", "odt", "rtf"])
def test_a_plan_saved_in_an_older_format_gives_the_records_of_its_text(target, baoding_docx, baoding_doc, tmp_path):
    saved = baoding_doc if target == "doc" else convert(baoding_docx, target, tmp_path)
    [plan] = read_source(saved).plans
    assert plan.format == target and plan.path == str(saved)
    assert_same_records(read_source(BAODING_PLAN).plans[0], plan)


def test_a_wps_file_is_read_like_a_word_file(baoding_doc, tmp_path):
    wps = tmp_path / "保定方案.wps"  # WPS Office saves .wps in Word's binary format by default
    shutil.copyfile(baoding_doc, wps)
    [plan] = read_source(wps).plans
    assert len(plan.tasks) == 39 and len(plan.indicators) == 65
    assert plan.indicators[0].where == "表1第2行"


def test_without_libreoffice_the_message_says_what_to_do(baoding_doc, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with pytest.raises(ImportError_) as error:
        read_source(baoding_doc)
    message = str(error.value)
    assert "保定方案.doc" in message and "需要 LibreOffice" in message and "另存为 .docx" in message


@pytest.mark.parametrize(
    "content", [b"", b"\xd0\xcf\x11\xe0 this is not a real word file" * 3], ids=["empty", "garbage"]
)
def test_an_unreadable_doc_is_refused_naming_the_file(content, tmp_path):
    path = tmp_path / "坏文件.doc"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match="坏文件.doc"):
        read_source(path)
