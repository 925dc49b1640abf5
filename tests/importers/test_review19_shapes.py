"""Round 19's importer rules as a review found them wanting (each test fails on the rules as merged): a form's
labels cut inside an ordinary sentence that names them after its commas; a deadline set apart after an owner sentence
that is no deadline, or inside a record it does not close; the last labelled block swallowing the closing paragraph
and signature, a lone contact line throwing every block away; a short task ending in an ASCII full stop taken as a
cell; the table-level doubt of a run-together table; a caption taken as the title when no table is read; streets
named after places in words that are no streets (路径, 路网); header words joined after a bare level (省级 / 市级).
Made-up texts of each habit, never a corpus document's."""

from __future__ import annotations

from wufei.importers.text.paragraphs import split_run_on_items


def test_labels_named_after_a_sentence_s_commas_are_no_form_run_on():
    # On main the sentence was cut before each label: the owner line kept its comma and became the lead with no doubt.
    line = "检查中发现的问题，要落实责任单位：县住建局，责任人：王某，整改时限：2023年9月底，整改措施：建立清单。"
    assert split_run_on_items([line]) == ([line], [1])


def test_a_form_s_run_on_values_lose_their_trailing_comma_or_semicolon():
    # On main the deadline piece kept the semicolon before the next label (立行立改,长期坚持；).
    line = "整改目标:问题清零责任单位:县环保局,各乡镇责任人:张某整改时限:立行立改,长期坚持；整改措施:开展培训。"
    assert split_run_on_items([line])[0] == [
        "整改目标:问题清零",
        "责任单位:县环保局,各乡镇",
        "责任人:张某",
        "整改时限:立行立改,长期坚持",
        "整改措施:开展培训。",
    ]
