"""PDF plans with a text layer: Word files with real tables printed to PDF by LibreOffice, read by read_source."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from tests.importers.render import add_table, convert_all, seed_document, write_docx
from tests.importers.same_records import assert_same_records, cell_fields, indicator_fields, plan_fields, task_fields
from tests.seed_files import BAODING_PLAN, CELLS_REPLY, EVALUATION, HEBEI_PLAN, HENGSHUI_PLAN
from tests.test_cli import wufei  # noqa: F401  (the CLI fixture)
from wufei.importers.readers.pdf import SCANNED, read_pdf
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

RUNNING_HEADERS = "running-headers"  # the plan of test_page_numbers_and_running_headers_are_dropped


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every seed as a Word file with real tables (a header repeated on each page), and a plan with a
    page head and page numbers (RUNNING_HEADERS), printed to PDF by one LibreOffice run."""
    folder = tmp_path_factory.mktemp("pdf")
    seeds = (CELLS_REPLY, HENGSHUI_PLAN, BAODING_PLAN, HEBEI_PLAN, EVALUATION)
    sources = [write_docx(seed_document(seed), folder / f"{seed.stem}.docx") for seed in seeds]
    sources.append(_with_running_headers(folder / "plan.docx"))
    pdfs = convert_all(sources, "pdf", folder)
    return {**{seed.name: pdf for seed, pdf in zip(seeds, pdfs)}, RUNNING_HEADERS: pdfs[-1]}


def _with_running_headers(path: Path) -> Path:
    """120 rows under a page head (衡水市人民政府文件) and a page number (- 1 -) on every page."""
    out = docx.Document()
    section = out.sections[0]
    section.header.paragraphs[0].text = "衡水市人民政府文件"
    section.footer.paragraphs[0].text = "- 1 -"
    out.add_paragraph("衡水市“无废城市”建设重点任务分工方案")
    rows = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]]
    rows += [[str(n), f"第{n}项任务的内容" * 3, "市生态环境局", "市发展改革委", "2025年底前"] for n in range(1, 121)]
    add_table(out, rows)
    out.save(str(path))
    return path


@pytest.mark.parametrize("seed", [CELLS_REPLY, HEBEI_PLAN], ids=lambda p: p.stem)
def test_a_seed_printed_to_pdf_gives_the_records_of_its_text(seed, seed_pdfs):
    [plan] = read_source(seed_pdfs[seed.name]).plans
    assert plan.format == "pdf"
    assert_same_records(read_source(seed).plans[0], plan)


def test_the_hengshui_plan_in_pdf_joins_tables_and_rows_broken_over_pages(seed_pdfs):
    """Seven tables over some 40 pages, rows broken over pages joined; only 附件2 differs, a jagged table
    the text aligns by cell order (several indicators' explanations per row, numbers dropped halfway):
    three of its rows broken over a page cannot be told from new rows in print."""
    expected = read_source(HENGSHUI_PLAN).plans[0]
    [plan] = read_source(seed_pdfs[HENGSHUI_PLAN.name]).plans
    assert plan_fields(plan) == plan_fields(expected)
    assert task_fields(plan) == task_fields(expected)
    assert len(plan.tasks) == 112 and len(plan.indicators) == 59
    without_definitions = [f[:13] + f[14:] for f in indicator_fields(plan)]
    assert without_definitions == [f[:13] + f[14:] for f in indicator_fields(expected)]
    differing = [a[0] for a, b in zip(indicator_fields(plan), indicator_fields(expected)) if a != b]
    assert len(differing) <= 3


def test_the_baoding_plan_in_pdf_keeps_its_39_tasks_and_65_indicators(seed_pdfs):
    """002 prints the names of indicators 56 and 57 in one cell parted by a space; in print the space
    falls at a line end and is lost, so 56 keeps both names and 57 none (a warning says so)."""
    expected = read_source(BAODING_PLAN).plans[0]
    [plan] = read_source(seed_pdfs[BAODING_PLAN.name]).plans
    assert task_fields(plan) == task_fields(expected)
    assert cell_fields(plan) == cell_fields(expected)
    actual = {i[0]: i for i in indicator_fields(plan)}
    wanted = {i[0]: i for i in indicator_fields(expected)}
    assert {n for n in wanted if actual.get(n) != wanted[n]} <= {"56", "57"}
    assert len(plan.indicators) >= 64


def test_the_evaluation_in_pdf_gives_its_twenty_indicators(seed_pdfs):
    [plan] = read_source(seed_pdfs[EVALUATION.name]).plans
    expected = read_source(EVALUATION).plans[0]
    assert [i[:2] for i in indicator_fields(plan)] == [i[:2] for i in indicator_fields(expected)]


def test_every_line_has_its_page_and_every_row_names_its_page(seed_pdfs):
    document = read_pdf(seed_pdfs[BAODING_PLAN.name])
    assert document.pages is not None and len(document.pages) == len(document.lines)
    assert document.pages[0] == 1 and document.pages[-1] > 5
    [table] = document.tables
    assert table.rows[0].where == f"第{document.pages[table.start_line - 1]}页表1第2行"
    assert len({row.where.split("表")[0] for row in table.rows}) > 1  # the table spans pages
    assert len(table.rows) == 65  # its header repeated on each page is not a row
    [plan] = read_source(seed_pdfs[BAODING_PLAN.name]).plans
    assert plan.tasks[0].where.startswith("第") and plan.tasks[0].where.endswith("页")


def test_page_numbers_and_running_headers_are_dropped(seed_pdfs):
    document = read_pdf(seed_pdfs[RUNNING_HEADERS])
    assert "衡水市人民政府文件" not in document.lines
    assert not any(line.strip() in ("- 1 -",) for line in document.lines)
    [table] = document.tables
    assert [row.cells[0] for row in table.rows] == [str(n) for n in range(1, 121)]


def test_a_pdf_without_text_or_images_is_refused_saying_so(tmp_path):
    """(A scan, its pages images, is read by OCR: tests/importers/test_ocr.py, a blank one refused there.)"""
    path = tmp_path / "扫描件.pdf"
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(str(path))
    with pytest.raises(ImportError_) as error:
        read_source(path)
    assert "扫描件.pdf" in str(error.value) and SCANNED in str(error.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "文件为空"), (b"%PDF-1.4\nnot really", "无法打开 PDF 文件"), (b"hello", "无法打开 PDF 文件")],
    ids=["empty", "truncated", "text"],
)
def test_a_broken_pdf_is_refused_naming_the_file(content, message, tmp_path):
    """(PDFium's English kept from the user: tests/importers/test_refusals_in_chinese.py.)"""
    path = tmp_path / "方案.pdf"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match=f"方案.pdf.*{message}"):
        read_source(path)


def test_an_encrypted_pdf_is_refused_saying_so(seed_pdfs, tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(seed_pdfs[CELLS_REPLY.name]))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "加密.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ImportError_, match="加密.pdf.*已加密"):
        read_source(path)


@pytest.mark.backend_independent
def test_wufei_import_takes_a_pdf_plan(wufei, seed_pdfs):
    """Backend-independent (run once, in the SQLite pass): what it adds to the reading tests above is
    that `wufei import` takes a PDF; the Hengshui plan's records are imported into PostgreSQL by
    tests/test_cli.py's `wufei import` and by every test built on it (`hengshui_template`)."""
    result = json.loads(wufei("import", str(seed_pdfs[HENGSHUI_PLAN.name]), "--json").output)
    assert result[0]["ok"], result
    counts = result[0]["plans"][0]["counts"]
    assert (counts["indicators"], counts["tasks_project"], counts["tasks_main"]) == (59, 27, 31)
    projects = [t for t in json.loads(wufei("tasks", "--json").output) if t["list_kind"] == "project"]
    first = next(t for t in projects if t["number"] == "1")
    assert first["title"] == "废旧塑料回收" and first["leads"] == ["市商务局"]
    assert (first["deadline_raw"], first["due_date"]) == ("2022年底", "2022-12-31")
