"""Bulletins (月调度通报、季度通报、半年观摩、年终考核) as documents people can use.

- `models.py`, `snapshots.py`: the locked snapshot a bulletin is built from (figures, lights
  history, ledger rows) and what "locked" means;
- `document.py`: the small document model (numbered sections, paragraphs, tables, charts);
- `kinds.py`: one builder per kind, snapshot → document;
- `charts.py`: PNG charts with Chinese labels;
- `render.py` and `templates/`: Markdown, HTML, Word .docx and the .xlsx annex, written to files.

Issuing them (which point, which scopes, the `bulletin_ready` notices) is wufei.points.issue.
"""
