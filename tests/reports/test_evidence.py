"""Evidence files: checked before anything is written, stored once by content hash."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from tests.reports.conftest import W23, at
from tests.rules import CADENCE
from wufei.cadence.config import CadenceConfig
from wufei.reports.evidence import EvidenceError, content_type_of, evidence_path, store_files
from wufei.reports.models import Evidence, Report
from wufei.reports.service import ReportError, submit_report

PNG = b"\x89PNG\r\n\x1a\n a picture"
PDF = b"%PDF-1.4 \xe7\x8e\xb0\xe5\x9c\xba\xe6\xa0\xb8\xe6\x9f\xa5"


def _submit(session, hengshui, calendar, cadence, evidence):
    return submit_report(
        session,
        task_id=hengshui.task.id,
        department_id=hengshui.ecology.id,
        week_start=W23,
        progress=30,
        done_text="现场核查",
        problems=None,
        next_steps=None,
        evidence=evidence,
        at=at(date(2024, 6, 4)),
        actor="联络员",
        calendar=calendar,
        cadence=cadence,
    )


def test_evidence_is_stored_by_hash_with_its_name_type_and_size(
    session, hengshui, calendar, cadence, tmp_path, evidence_dir
):
    photo = tmp_path / "现场照片.JPG"
    photo.write_bytes(b"\xff\xd8\xff photo")
    ledger = tmp_path / "台账.pdf"
    ledger.write_bytes(PDF)
    report = _submit(session, hengshui, calendar, cadence, [photo, ledger])
    session.flush()
    stored = {e.file_name: e for e in session.scalars(select(Evidence).where(Evidence.report_id == report.id))}
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored["台账.pdf"].sha256 == digest
    assert stored["台账.pdf"].stored_path == f"{digest[:2]}/{digest[2:]}"
    assert (stored["台账.pdf"].content_type, stored["台账.pdf"].size) == ("application/pdf", len(PDF))
    assert stored["现场照片.JPG"].content_type == "image/jpeg"
    assert (evidence_dir / digest[:2] / digest[2:]).read_bytes() == PDF
    assert evidence_path(stored["台账.pdf"].stored_path) == evidence_dir / digest[:2] / digest[2:]


def test_a_refused_file_stops_the_report_and_nothing_is_written(
    session, hengshui, calendar, cadence, tmp_path, evidence_dir
):
    good = tmp_path / "台账.pdf"
    good.write_bytes(PDF)
    bad = tmp_path / "说明.exe"
    bad.write_bytes(b"MZ")
    with pytest.raises(ReportError, match="佐证材料「说明.exe」的文件类型不允许"):
        _submit(session, hengshui, calendar, cadence, [good, bad])
    assert not evidence_dir.exists()
    assert session.scalars(select(Report)).first() is None


def test_a_file_over_the_size_limit_is_refused_by_name(tmp_path, evidence_dir):
    big = tmp_path / "航拍.png"
    big.write_bytes(PNG + b"x" * (2048 - len(PNG)))
    strict = CadenceConfig.from_dict({"evidence": {"max_bytes": 1024, "allowed_types": ["png"]}}).evidence
    with pytest.raises(EvidenceError, match="佐证材料「航拍.png」有 2.0 KB，大于单个文件上限 1.0 KB"):
        store_files([big], rules=strict)
    assert not evidence_dir.exists()


def test_an_empty_or_absent_file_is_refused(tmp_path):
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EvidenceError, match="「空.pdf」是空文件"):
        store_files([empty], rules=CADENCE.evidence)
    with pytest.raises(EvidenceError, match="找不到佐证材料文件"):
        store_files([tmp_path / "没有.pdf"], rules=CADENCE.evidence)


def test_the_same_content_is_stored_once(tmp_path, evidence_dir):
    first = store_files([("一.pdf", PDF)], rules=CADENCE.evidence)
    second = store_files([("二.pdf", PDF)], rules=CADENCE.evidence)
    assert first[0].stored_path == second[0].stored_path
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == [evidence_dir / first[0].stored_path]


def test_a_size_just_over_the_limit_does_not_read_as_the_limit(tmp_path):
    limit = 20 * 1024 * 1024
    strict = CadenceConfig.from_dict({"evidence": {"max_bytes": limit, "allowed_types": ["pdf"]}}).evidence
    with pytest.raises(EvidenceError) as refused:
        store_files([("台账.pdf", PDF + b" " * (limit + 1 - len(PDF)))], rules=strict)
    assert "有 20,971,521 字节，大于单个文件上限 20,971,520 字节" in str(refused.value)


def _zip(parts: dict[str, bytes]) -> bytes:
    """The same bytes in every process (a fixed time stamp): the test ids carry them, and pytest-xdist
    refuses a run whose workers collected different ids."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


TYPES = CadenceConfig.from_dict({"evidence": {"allowed_types": ["pdf", "jpg", "png", "docx", "xlsx", "xls", "txt"]}})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),  # a web page named .pdf
        ("照片.jpg", b"MZ\x90\x00 a program"),
        ("照片.png", b"\xff\xd8\xff\xe0 a JPEG named .png"),
        ("台账.docx", XLSX),  # a zip, but a workbook, not a Word document
        ("台账.xlsx", b"PK\x03\x04 not really a zip"),
        ("旧表.xls", PDF),
        ("说明.txt", b"\x00\x01\x02binary"),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused_and_nothing_is_written(name, content, evidence_dir):
    with pytest.raises(EvidenceError, match=f"「{name}」的内容不是.*文件扩展名与内容不符"):
        store_files([("台账.pdf", PDF), (name, content)], rules=TYPES.evidence)
    assert not evidence_dir.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("台账.xlsx", XLSX),
        ("总结.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
        ("清单.txt", "衡水市 无废城市".encode("gb18030")),
        ("照片.png", PNG),
    ],
)
def test_files_of_the_kind_their_name_says_are_stored(name, content, evidence_dir):
    [stored] = store_files([(name, content)], rules=TYPES.evidence)
    assert (evidence_dir / stored.stored_path).read_bytes() == content


def test_an_office_file_keeps_its_full_content_type(tmp_path):
    [stored] = store_files([("表.xlsx", XLSX)], rules=CADENCE.evidence)
    assert stored.content_type == content_type_of("表.xlsx")
    assert stored.content_type.endswith("spreadsheetml.sheet")
