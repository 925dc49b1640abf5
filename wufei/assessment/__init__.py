"""Year-end assessment (年终考核): the pure scoring arithmetic and the indicator forecast rule.

The figures that read the ledger live in `wufei.cadence.figures`; this package imports nothing
heavy so the rules can be read, tested and reused on their own.
"""
