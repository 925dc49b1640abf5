"""bench/import_fidelity.py's options: the tuning set scored alone, the held-out batch left unread; one batch alone."""

from __future__ import annotations

import json

import bench.import_fidelity as bench


def test_the_bench_scores_the_tuning_set_alone_when_asked(tmp_path):
    out = tmp_path / "scores.json"
    assert bench.main(["--tuning", "--json", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert len(scores["documents"]) >= 25 and not any(doc["holdout"] for doc in scores["documents"])
    assert scores["holdout"]["documents"] == 0
    assert scores["tuning"]["documents"] == len(scores["documents"])


def test_the_bench_scores_one_batch_alone_when_asked(tmp_path):
    out = tmp_path / "scores.json"
    assert bench.main(["--batch", "2", "--json", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert len(scores["documents"]) == 12 and {doc["batch"] for doc in scores["documents"]} == {2}
    assert list(scores["batches"]) == ["2"]
