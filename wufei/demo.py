"""`make demo`: the main job on the embedded defaults, start to finish, into out/demo/."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
OUT = Path(os.environ.get("WUFEI_DEMO_DIR", ROOT / "out" / "demo"))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "wufei.db"
    for leftover in OUT.glob("wufei.db*"):
        leftover.unlink()
    os.environ["WUFEI_DATABASE_URL"] = f"sqlite:///{database}"

    from wufei import migrate
    from wufei.db import make_engine, transaction
    from wufei.exporters.ledger import export_ledger, write_template
    from wufei.importers.service import import_paths

    engine = make_engine()
    _step("创建数据库", str(database))
    migrate.upgrade(engine)

    seeds = sorted(SEEDS.glob("*.txt"))
    _step("导入种子文件", f"{len(seeds)} 个")
    results = import_paths(engine, seeds)
    (OUT / "import.json").write_text(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    failed = [r for r in results if not r.ok]
    for result in results:
        for plan in result.plans:
            c = plan.counts
            print(f"    《{plan.plan_title}》任务 {c['tasks']}（待指定牵头 {c['awaiting_assignment']}），"
                  f"指标 {c['indicators']}，无废细胞 {c['cells']}，提示 {len(plan.warnings)} 条")
    for result in failed:
        print(f"    ✗ {result.error}", file=sys.stderr)

    ledger = OUT / "台账.xlsx"
    with transaction(engine) as session:
        counts = export_ledger(session, ledger)
    _step("导出台账", str(ledger))
    write_template(OUT / "导入模板.xlsx")
    _step("生成导入模板", str(OUT / "导入模板.xlsx"))

    print()
    print("演示完成。请查看：")
    print(f"  数据库        {database}")
    print(f"  导入结果      {OUT / 'import.json'}")
    print(f"  台账          {ledger}（任务 {counts['tasks']}，项目 {counts['projects']}，指标 {counts['indicators']}）")
    print(f"  导入模板      {OUT / '导入模板.xlsx'}")
    print(f"  查询示例      WUFEI_DATABASE_URL=sqlite:///{database} .venv/bin/wufei tasks --awaiting")
    return 1 if failed else 0


def _step(what: str, detail: str) -> None:
    print(f"▶ {what}：{detail}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
