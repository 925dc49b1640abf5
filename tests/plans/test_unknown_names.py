"""Names the registry does not know are kept for review, with close matches suggested."""

from __future__ import annotations

from sqlalchemy import select

from wufei.departments.models import Department

# A second city's task list, in the one-cell-per-line layout with its columns in another order.
DOCUMENT = """衡政办字〔2024〕9号

衡水市人民政府办公室
关于印发衡水市2024年“无废城市”建设工作要点的通知

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
"""


def test_an_unknown_owner_is_kept_with_a_warning_and_suggestions(session, load, tmp_path):
    path = tmp_path / "衡政办字〔2024〕9号.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    [summary] = load(path)
    assert summary.counts["tasks_institution"] == 2
    unknown = session.scalar(select(Department).where(Department.name == "市生态环境厅"))
    assert unknown is not None and unknown.kind == "unknown"
    warning = next(w for w in summary.warnings if "市生态环境厅" in w)
    assert "市生态环境局" in warning  # the close match is suggested
    assert "第" in warning and "行" in warning
