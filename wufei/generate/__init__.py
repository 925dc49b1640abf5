"""Generated provinces for scale work: a province's (or the national list's) plan workbooks and
department registries as an office would import them (`plans`), and five years of weekly
reports loaded in bulk (`reports`). Deterministic from a seed. Not used by the application."""
