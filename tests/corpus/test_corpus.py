"""Each corpus document is well formed: its expected file parses, its file exists, the README lists it,
and what the expected records say is in the published text. No test here asks for a fidelity level
(the integrator adds that once the importer rewrite lands); the score is `bench/import_fidelity.py`.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.corpus import build

CORPUS = Path(__file__).resolve().parent
EXPECTED = sorted(CORPUS.glob("*.expected.yaml"))
IDS = [p.name.removesuffix(".expected.yaml") for p in EXPECTED]
README = (CORPUS / "README.md").read_text(encoding="utf-8")

# The batches whose documents marked holdout: true are never tuned to (README). Batch 7's, 8's and 9's held-out
# documents were scored blind over three rounds, then graduated to tuning data in round 19 (README: Batches).
HELD_OUT_BATCHES = (10, 11, 12, 13, 14, 15)
GRADUATED = "no (graduated in round 19)"
TASK_KEYS = {"title", "leads", "supporting", "deadline", "due", "implementers"}
INDICATOR_KEYS = {"name", "unit", "baseline", "target", "other_targets"}
PLAN_KEYS = {"title", "jurisdiction", "doc_number", "period_start", "period_end"}
FORMATS = {".txt": "text", ".docx": "Word", ".pdf": "PDF", ".html": "web page", ".xlsx": "spreadsheet"}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("|", "")


def load(doc_id: str) -> dict:
    return yaml.safe_load((CORPUS / f"{doc_id}.expected.yaml").read_text(encoding="utf-8"))


def readme_row(file: str) -> list[str]:
    """The cells of the README table row that lists `file` (empty when none does)."""
    for line in README.splitlines():
        if line.startswith(f"| `{file}`"):
            return [cell.strip() for cell in line.strip().strip("|").split("|")]
    return []


def published_text(doc_id: str, file: str) -> str:
    """The text as the page held it: sources/<id>.txt for rebuilt files, else the file itself."""
    source = CORPUS / "sources" / f"{doc_id}.txt"
    return (source if source.exists() else CORPUS / file).read_text(encoding="utf-8")


@pytest.mark.parametrize("doc_id", IDS)
def test_document_is_well_formed(doc_id: str):
    data = load(doc_id)
    assert set(data) <= {"file", "batch", "holdout", "plan", "tasks", "indicators"}
    assert data["batch"] in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    held_out_batch = data["batch"] in HELD_OUT_BATCHES
    assert not data.get("holdout", False) or held_out_batch, "only the last batches hold held-out documents"
    path = CORPUS / data["file"]
    assert path.is_file() and path.stem == doc_id
    assert path.suffix in FORMATS
    row = readme_row(data["file"])
    assert row, "the README lists the document"
    held_out_column = "yes" if data.get("holdout") else "no"
    graduated = not data.get("holdout") and data["batch"] in (7, 8, 9) and row[-1] == GRADUATED
    assert row[-1] == held_out_column or graduated, "the README's held-out column agrees"
    assert row[-2] == str(data["batch"]), "the README's batch column agrees"
    plan = data.get("plan") or {}
    assert set(plan) <= PLAN_KEYS
    for key in ("period_start", "period_end"):
        assert key not in plan or isinstance(plan[key], int)
    tasks, indicators = data.get("tasks") or [], data.get("indicators") or []
    assert tasks or indicators
    for task in tasks:
        assert set(task) <= TASK_KEYS and task["title"]
        for key in ("leads", "supporting", "implementers"):
            assert key not in task or isinstance(task[key], list)
        assert ("deadline" in task) == ("due" in task), "a deadline always comes with its due date"
        if task.get("due") is not None:
            assert isinstance(task["due"], date)
    for indicator in indicators:
        assert set(indicator) <= INDICATOR_KEYS and indicator["name"]

    # What the expected records say was read in the document, not made up.
    text = squash(published_text(doc_id, data["file"]))
    values = [plan.get(k) for k in ("title", "jurisdiction", "doc_number")]
    for task in tasks:
        values += [task["title"], task.get("deadline"), *task.get("leads", []), *task.get("supporting", [])]
        values += task.get("implementers", [])
    for indicator in indicators:
        values += [indicator["name"], indicator.get("unit"), indicator.get("baseline"), indicator.get("target")]
    missing = [v for v in values if v is not None and squash(str(v)) not in text]
    assert missing == []


def test_the_corpus_meets_the_issue_s_minimums():
    files = [CORPUS / load(doc_id)["file"] for doc_id in IDS]
    suffixes = [f.suffix for f in files]
    assert len(files) >= 25
    assert suffixes.count(".docx") >= 6 and suffixes.count(".pdf") >= 4 and suffixes.count(".html") >= 4
    rows = [line.split("|") for line in README.splitlines() if line.startswith("| `")]
    provinces = {row[3].strip().removesuffix(" (inferred)") for row in rows}
    assert len(rows) == len(IDS) and len(provinces) >= 12


def test_the_fifth_batch_mixes_the_formats_and_names_new_places():
    # Batch 5 has five documents (the brief asked for twelve, every format and two indicator tables: the README says
    # why there are fewer, no spreadsheet and no indicator table).
    held = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 5]
    assert len(held) == 5
    suffixes = Counter(Path(data["file"]).suffix for data in held)
    assert set(suffixes) == {".txt", ".docx", ".pdf", ".html"}
    assert sum(len(data["tasks"]) for data in held) >= 20


def test_the_seventh_batch_holds_the_held_out_set():
    # Batch 7: documents of counties, districts, a township and a 州 in layouts the corpus lacked (a progress table
    # one cell per line, a forum copy with a table's cells run together, `--` items with 责任单位/配合单位 lines, a
    # PDF's broken lines, labels run together); three of them were held out until round 19 (the README says which).
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 7]
    graduated = [data for data in batch if readme_row(data["file"])[-1] == GRADUATED]
    assert {data["batch"] for data in (load(doc_id) for doc_id in IDS) if data.get("holdout")} == set(HELD_OUT_BATCHES)
    assert len(batch) >= 8 and len(graduated) == 3 and not any(data.get("holdout") for data in batch)
    assert set(Counter(Path(data["file"]).suffix for data in batch)) == {".txt", ".docx", ".pdf", ".html"}
    assert sum(len(data["tasks"]) for data in graduated) >= 8


def test_the_eighth_batch_holds_its_own_held_out_part():
    # Batch 8: kinds of publisher the corpus lacked (a county's division of duties, a county bureau's work plan, a
    # city's key-work progress forms, a district's 2008 division, a sharing site's copy of a district list); the
    # brief asked for eight to twelve, seven were found (the README says how the store was searched). Three were
    # held out until round 19.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 8]
    graduated = [data for data in batch if readme_row(data["file"])[-1] == GRADUATED]
    assert len(batch) == 7 and len(graduated) == 3 and not any(data.get("holdout") for data in batch)
    assert set(Counter(Path(data["file"]).suffix for data in batch)) == {".txt", ".docx", ".pdf", ".html"}
    assert sum(len(data["tasks"]) for data in batch) >= 20


def test_the_ninth_batch_holds_its_own_held_out_part():
    # Batch 9: a short round (about forty minutes); three documents of shapes the corpus lacked (a performance-target
    # form as the store keeps a table, a forum copy of a duty table with its cells parted by commas, a county's
    # progress summary as blocks of labelled lines). The brief asked for four to six; the README says how the store
    # was searched. One was held out until round 19.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 9]
    graduated = [data for data in batch if readme_row(data["file"])[-1] == GRADUATED]
    assert len(batch) == 3 and len(graduated) == 1 and not any(data.get("holdout") for data in batch)
    assert sum(len(data.get("tasks") or []) + len(data.get("indicators") or []) for data in batch) >= 19


def test_the_tenth_batch_holds_its_own_held_out_part():
    # Batch 10: provinces the corpus lacked or barely had (海南's second, 河北's first, 新疆's second document) and
    # the supervision office's own records (an inspection notice's problem list, 销号 notices and forms, an
    # acceptance opinion, inspection findings); the brief asked for four to eight. Two are held out.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 10]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 5 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 18


def test_the_eleventh_batch_holds_its_own_held_out_part():
    # Batch 11: provinces the corpus lacked or barely had (广西's first document, 吉林's, 青海's and 北京's second) and
    # kinds of publisher with few documents (a development zone's responsibility list, district and street offices'
    # 公示 of rectified tasks, a city's 交办单, a district's progress table); the brief asked for five to eight. Two are
    # held out; three were added after the round's tuning (the README says so).
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 11]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 8 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 10


def test_the_twelfth_batch_holds_its_own_held_out_part():
    # Batch 12: provinces the corpus had least of (新疆生产建设兵团's first document, 内蒙古's and 黑龙江's) and the
    # supervision office's own records (a 督查通知单, patrol and inspection problem lists, 销号 公示, a rectification
    # plan's finding); the brief asked for six to ten, six were found. Two are held out.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 12]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 6 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 20


def test_the_thirteenth_batch_holds_its_own_held_out_part():
    # Batch 13: task divisions of the 政府工作报告 kind (丽水's 责任单位 lines with a convention, 陕西's as a newspaper
    # reported it), a province's 分工方案 pages (浙江, 贵州, a synonym-rewritten copy of 广东's) and districts' 实事 lists
    # (宝山, a 上海 district's page closing each group with `上述项目由X牵头负责`); the brief asked for six to ten, seven
    # were found. Two are held out.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 13]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 7 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 20


def test_the_fourteenth_batch_holds_its_own_held_out_part():
    # Batch 14: a county's 2025 division with its portal's information box as a table (金乡), a city's 十一五 targets
    # run on in one paragraph each closed by `(A牵头)` (天津 2006), a bureau's 2025 progress table a cell a line with
    # several leads in one cell (淮南) and a prefecture's 民生工程 plan numbered four levels deep (楚雄), then, after the
    # round's tuning, a township's 创城 rectification report run together on a sharing site (望远镇); the brief asked
    # for six to eight, five were found (the README says how the store was searched). Two are held out.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 14]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 5 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 17


def test_the_fifteenth_batch_holds_its_own_held_out_part():
    # Batch 15: 民生实事 lists of counties and a township, 2020 and 2024-2026 (安民乡's report with a 责任领导 per project,
    # 甘谷's fifteen items run on in one cell, 涉县's headings over paragraphs, 保康's 2026 announcement with steps run on,
    # 若羌's ten projects in one sentence, 仁化's one a line), then, after the round's tuning, 宁波's 2014 实事 progress
    # with 牵头领导, 责任单位 and 配合单位 run on in one line; the brief asked for six to eight. Two are held out.
    batch = [load(doc_id) for doc_id in IDS if load(doc_id)["batch"] == 15]
    held = [data for data in batch if data.get("holdout")]
    assert len(batch) == 7 and len(held) == 2
    assert sum(len(data.get("tasks") or []) for data in batch) >= 40


def test_the_earlier_batches_keep_their_documents_as_tuning_data():
    batches = Counter(load(doc_id)["batch"] for doc_id in IDS)
    assert batches[1] == 25 and batches[2] == 12 and batches[3] == 16 and batches[4] == 15 and batches[5] == 5
    assert batches[6] == 1 and not any(load(doc_id).get("holdout") for doc_id in IDS if load(doc_id)["batch"] < 7)


@pytest.mark.parametrize("doc_id", sorted(k for k, (fmt, _) in build.REBUILT.items() if fmt != "pdf"))
def test_rebuilt_word_and_web_files_equal_a_fresh_build(doc_id: str):
    # PDFs need LibreOffice and take seconds each: `build.py --check` covers them.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build.build(doc_id, Path(tmp))
        assert fresh.read_bytes() == (CORPUS / fresh.name).read_bytes()


@pytest.mark.parametrize("doc_id", sorted(k for k, (fmt, _) in build.REBUILT.items() if fmt == "pdf"))
def test_rebuilt_pdf_files_carry_the_published_text_as_their_text_layer(doc_id: str):
    # pdftotext (poppler, scripts/system-packages.sh) reads the text layer; the order of a
    # wrapped table cell is the reader's business, so the characters are compared as a multiset.
    layer = subprocess.run(
        ["pdftotext", str(CORPUS / f"{doc_id}.pdf"), "-"], capture_output=True, text=True, check=True
    )
    _, builder = build.REBUILT[doc_id]
    _, published = builder(doc_id)  # the source without the hosting site's chrome, as the builder laid it out
    assert Counter(squash(layer.stdout)) == Counter(squash(published))
