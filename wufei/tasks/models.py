"""Tasks and projects of a plan, and who owns them."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, Day, EnumText, LongText, Name, ShortText
from wufei.departments.models import Department
from wufei.plans.models import Plan
from wufei.tasks.deadlines import DeadlineKind


class ListKind(StrEnum):
    """Which list of a plan a task belongs to."""

    MAIN = "main"  # numbered or inline main tasks in the plan body (主要任务)
    INSTITUTION = "institution"  # 制度体系
    TECHNOLOGY = "technology"  # 技术体系
    MARKET = "market"  # 市场体系
    REGULATION = "regulation"  # 监管体系
    PROJECT = "project"  # 工程项目清单


LIST_NAMES = {
    ListKind.MAIN: "主要任务",
    ListKind.INSTITUTION: "制度体系",
    ListKind.TECHNOLOGY: "技术体系",
    ListKind.MARKET: "市场体系",
    ListKind.REGULATION: "监管体系",
    ListKind.PROJECT: "工程项目",
}


def task_reference(list_kind: str, number: str) -> str:
    """How figures and bulletins refer to a task: a main task by its number as printed (1.1), a task of
    any other list by its list's name and number (工程项目2), since plans number those lists apart
    (技术体系10 and 监管体系10 in one plan)."""
    if list_kind == ListKind.MAIN or not number:
        return number
    return f"{LIST_NAMES.get(ListKind(list_kind), '')}{number}"


class Role(StrEnum):
    LEAD = "lead"  # 牵头单位
    SUPPORTING = "supporting"  # 配合单位 / 责任部门 (in 002)
    IMPLEMENTER = "implementer"  # 负责落实 (各市政府 under a provincial task)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "list_kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    list_kind: Mapped[ListKind] = mapped_column(EnumText(ListKind))
    list_name: Mapped[Name | None]
    category: Mapped[Name | None]
    number: Mapped[ShortText]
    title: Mapped[str] = mapped_column(String(500))
    content: Mapped[LongText | None]
    owners_raw: Mapped[LongText | None]
    responsible_entity: Mapped[Name | None]  # company of a project (责任主体)
    implementers_raw: Mapped[Name | None]
    deadline_raw: Mapped[Name | None]
    deadline_kind: Mapped[DeadlineKind] = mapped_column(EnumText(DeadlineKind))
    due_date: Mapped[Day | None]
    deadline_note: Mapped[Name | None]
    awaiting_assignment: Mapped[bool] = mapped_column(default=False)
    source_line: Mapped[int | None]
    completed_on: Mapped[Day | None]  # set when the office accepts a report of 100% (or marks it done)
    # Where the office's ledger said the task stood when it was imported (完成情况 as written), and the
    # percentage it gave with the import's day: the task's progress until a report as new (wufei.tasks.ledger_status).
    ledger_status: Mapped[Name | None]
    ledger_progress: Mapped[int | None]
    ledger_progress_on: Mapped[Day | None]

    plan: Mapped[Plan] = relationship()
    assignments: Mapped[list[TaskDepartment]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskDepartment.position"
    )

    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Milestone.due_date"
    )

    def departments(self, role: Role) -> list[Department]:
        return [a.department for a in self.assignments if a.role == role]


class TaskDepartment(Base):
    """A department's role on a task; `source_name` is the name as written (maybe a collective).

    `assigned_on`: the day the department was made responsible in this role. A lead owes weekly
    reports for the weeks from it on, not from the plan's start: a lead the office names months in
    (指定牵头单位) or a re-import names later owes nothing before. The owners a plan printed have the
    plan's start (`wufei.plans.queries.plan_start`); NULL reads as that too."""

    __tablename__ = "task_departments"
    __table_args__ = (UniqueConstraint("task_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    position: Mapped[int] = mapped_column(default=0)
    source_name: Mapped[Name | None]
    assigned_on: Mapped[Day | None]

    task: Mapped[Task] = relationship(back_populates="assignments")
    department: Mapped[Department] = relationship()


class Milestone(Base):
    """An intermediate checkpoint of a long task (annual by default; the office can edit them)."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("task_id", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[Day]
    title: Mapped[Name]
    expected_progress: Mapped[int]  # percent of the whole task expected by due_date
    source: Mapped[ShortText] = mapped_column(default="generated")  # generated / office

    task: Mapped[Task] = relationship(back_populates="milestones")
