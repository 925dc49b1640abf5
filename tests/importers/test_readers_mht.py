"""Pages saved as one file (.mht: 单个文件网页), as a browser or Word writes them: a MIME archive
holding the page (quoted-printable, in its own charset) and its images. Read as the web page."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.importers.render import seed_document, write_html
from tests.importers.same_records import assert_same_records
from tests.seed_files import ALL_SEEDS
from wufei.importers.records import ImportError_
from wufei.importers.service import IMPORTABLE_SUFFIXES, read_source
from wufei.web.imports import allowed_suffixes

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # the page's emblem: a part that is no page


def write_mht(page: Path, path: Path, *, charset: str) -> Path:
    """`page` (a saved .html) packed the way Word's 另存为 单个文件网页 packs it."""
    archive = EmailMessage()
    archive["MIME-Version"] = "1.0"
    archive["X-MimeOLE"] = "Produced By Microsoft MimeOLE"
    archive.make_related()
    html = EmailMessage()
    html.set_content(page.read_bytes().decode(charset), subtype="html", charset=charset, cte="quoted-printable")
    html["Content-Location"] = "file:///C:/D3A1B2C3/任务分工.htm"
    archive.attach(html)
    image = EmailMessage()
    image.set_content(PNG, maintype="image", subtype="png", cte="base64")
    image["Content-Location"] = "file:///C:/D3A1B2C3/任务分工.files/image001.png"
    archive.attach(image)
    path.write_bytes(archive.as_bytes())
    return path


@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
@pytest.mark.parametrize("seed", ALL_SEEDS, ids=lambda p: p.stem)
def test_a_seed_saved_as_a_single_file_page_gives_the_records_of_its_text(seed, charset, tmp_path):
    page = write_html(seed_document(seed), tmp_path / f"{seed.stem}.html", encoding=charset)
    mht = write_mht(page, tmp_path / f"{seed.stem}.mht", charset=charset)
    assert b"quoted-printable" in mht.read_bytes() and "政府".encode(charset) not in mht.read_bytes()
    [plan] = read_source(mht).plans
    assert plan.format == "html" and plan.path == str(mht)
    assert_same_records(read_source(seed).plans[0], plan)


def test_a_plain_page_saved_under_the_mht_name_is_read_as_the_page(tmp_path):
    page = write_html(seed_document(ALL_SEEDS[0]), tmp_path / "page.html")
    mht = tmp_path / "方案.mht"
    mht.write_bytes(page.read_bytes())
    [plan] = read_source(mht).plans
    assert_same_records(read_source(page).plans[0], plan)


def test_an_archive_without_a_page_is_refused_naming_the_file(tmp_path):
    archive = EmailMessage()
    archive.make_mixed()
    image = EmailMessage()
    image.set_content(PNG, maintype="image", subtype="png")
    archive.attach(image)
    path = tmp_path / "只有图片.mht"
    path.write_bytes(archive.as_bytes())
    with pytest.raises(ImportError_) as error:
        read_source(path)
    assert "只有图片.mht" in str(error.value) and "没有网页" in str(error.value)


def test_the_web_page_takes_every_format_the_command_line_takes():
    assert {".mht", ".mhtml", ".shtml", ".xls", ".et", ".ods"} <= IMPORTABLE_SUFFIXES
    assert set(allowed_suffixes()) == IMPORTABLE_SUFFIXES
