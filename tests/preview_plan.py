"""A small city plan with what a person must check: an owner nobody knows (市生态环境厅, close to
市生态环境局), a lead that stands for some counties the office must pick, a task nobody leads,
and one task with nothing in doubt. Table layout: one cell per line (like seed 001)."""

from __future__ import annotations

from pathlib import Path

DOC_NUMBER = "衡政办字〔2024〕9号"
TITLE = "衡水市2024年“无废城市”建设工作要点"

DOCUMENT = f"""{DOC_NUMBER}

衡水市人民政府办公室
关于印发{TITLE}的通知

附件

衡水市2024年“无废城市”建设任务清单
（制度体系）

\t序号
\t任务名称
\t完成期限
\t责任主体
\t任务类别
\t主要内容

\t1
\t建立固体废物统计制度
\t2024年6月
\t牵头单位：市生态环境厅；配合单位：市统计局
\t一般工业固体废物
\t完善统计口径。

\t2
\t开展无废机关创建
\t持续推进
\t牵头单位：市机关事务管理局；配合单位：各县市区人民政府
\t
\t每年创建一批。

\t3
\t推进秸秆综合利用
\t2024年底
\t牵头单位：有关县市区人民政府；配合单位：市农业农村局
\t农业固体废物
\t提高利用水平。

\t4
\t加强宣传引导
\t2024年12月
\t各相关部门
\t
\t营造氛围。
"""


def write_plan(folder: Path, text: str = DOCUMENT) -> Path:
    path = folder / f"{DOC_NUMBER}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def another_plan(number: int) -> str:
    """The same plan as another document (its own number and title), for tests sharing a database."""
    return DOCUMENT.replace(DOC_NUMBER, f"衡政办字〔2024〕{number}号").replace(TITLE, f"{TITLE}（第{number}号）")
