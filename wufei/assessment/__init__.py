"""Year-end assessment (年终考核): the pure scoring arithmetic and the indicator forecast rule.

The scoring rules of circular.yaml (`rules`) are read here too; the figures that apply them to
the ledger live in `wufei.figures`. This package imports nothing heavy so the rules can be read,
tested and reused on their own.
"""
