"""`python -m wufei.generate province|national OUT [--seed N] [--cities N] [--tasks N]`: write the
plan workbooks and registry files; with --database, also import them and load the weekly reports."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from wufei.generate import plans


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m wufei.generate", description=__doc__)
    parser.add_argument("kind", choices=["province", "national"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cities", type=int, help="default 14 (province) or 120 (national)")
    parser.add_argument("--tasks", type=int, default=300, help="supervised items per city (a tenth projects)")
    parser.add_argument("--indicators", type=int, default=60)
    parser.add_argument("--database", help="import into this database URL (migrated first) and load reports")
    parser.add_argument("--reports-until", type=date.fromisoformat, default=date(2025, 12, 31))
    args = parser.parse_args(argv)
    sizes = {"seed": args.seed, "tasks": args.tasks, "indicators": args.indicators}
    if args.cities:
        sizes["cities"] = args.cities
    spec = plans.province(**sizes) if args.kind == "province" else plans.national(**sizes)
    files = plans.write_files(spec, args.folder)
    summary = {"workbooks": len(files.workbooks), "registries": len(files.registries), "folder": str(args.folder)}
    if args.database:
        from wufei import migrate
        from wufei.cadence.config import CadenceConfig
        from wufei.db import make_engine
        from wufei.generate.load import import_files
        from wufei.generate.reports import load_weekly_reports

        engine = make_engine(args.database)
        migrate.upgrade(engine)
        import_files(engine, files)
        summary["reports"] = load_weekly_reports(
            engine, cadence=CadenceConfig.load(), seed=args.seed, until=args.reports_until
        )
        engine.dispose()
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
