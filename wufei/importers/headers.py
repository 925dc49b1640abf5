"""Which column of a published table holds what, from the header words (`headers.yaml`).

Tables are found and read by meaning, not by the seeds' words: a header row is a row most of
whose cells are known header words, and each column gets a role (task name, lead, supporting,
deadline, baseline, target …). Words that mean different things by context (责任单位) are
resolved against the rest of the header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from wufei.importers.text.normalize import fold_punct, normalize_cell

VOCABULARY = Path(__file__).resolve().parent / "headers.yaml"

_BRACKETED = re.compile(r"（[^）]*）")


def header_key(text: str) -> str:
    """A header cell reduced to its words: no spaces, no bracketed part, full-width punctuation."""
    text = fold_punct(normalize_cell(text) or "")
    text = _BRACKETED.sub("", text)
    return re.sub(r"[\s*＊★※△]+", "", text)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    data = yaml.safe_load(VOCABULARY.read_text(encoding="utf-8"))
    words: dict[str, str] = {}
    for role, names in data["roles"].items():
        for name in names:
            words.setdefault(header_key(name), role)
    context = {header_key(word): dict(rule) for word, rule in (data.get("context") or {}).items()}
    return words, context


def column_role(text: str | None) -> str | None:
    """The role of one header cell on its own (context words resolved as if alone), or None."""
    if not text:
        return None
    words, context = _vocabulary()
    key = header_key(text)
    if key in context:
        return context[key]["alone"]
    return words.get(key)


def column_roles(header: list[str]) -> list[str | None]:
    """The role of every column of a header, context words resolved against the others."""
    words, context = _vocabulary()
    keys = [header_key(text) for text in header]
    plain = [words.get(key) for key in keys]
    roles: list[str | None] = []
    for key, role in zip(keys, plain):
        rule = context.get(key)
        if rule is None:
            roles.append(role)
        elif "lead" in plain and "beside_lead" in rule:
            roles.append(rule["beside_lead"])
        elif "entity" in plain and "beside_entity" in rule:
            roles.append(rule["beside_entity"])
        else:
            roles.append(rule["alone"])
    return roles


def is_header_row(cells: list[str | None], *, minimum: int = 2) -> bool:
    """Whether a row reads as a table header: at least `minimum` known header words, and most
    of its non-empty cells known."""
    texts = [c for c in cells if c and c.strip()]
    if len(texts) < minimum:
        return False
    known = sum(1 for role in column_roles(texts) if role is not None)
    return known >= minimum and known * 2 > len(texts)
