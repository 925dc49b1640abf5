"""Departments (成员单位): one canonical record per unit, with its aliases."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wufei.db import Base, EnumText, Name
from wufei.plans.models import Jurisdiction


class DepartmentKind(StrEnum):
    BUREAU = "bureau"  # city bureau / commission (市…局/委)
    PROVINCIAL_DEPT = "provincial_dept"
    CITY_GOV = "city_gov"
    COUNTY_GOV = "county_gov"
    ZONE = "zone"  # development-zone committee (管委会)
    OUTSIDE = "outside"  # bodies outside the government (人行, 银保监 …)
    GROUP = "group"  # leadership group and its office
    UNKNOWN = "unknown"  # named in a document but not in the registry: needs review


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"))
    name: Mapped[Name]
    kind: Mapped[DepartmentKind] = mapped_column(EnumText(DepartmentKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    # Retired: merged into this unit (机构改革, a mistyped name fixed). Kept for the history that
    # names it (deliveries, audit, decided extensions), hidden from lists, never an owner again.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))

    jurisdiction: Mapped[Jurisdiction] = relationship()
    parent: Mapped[Department | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    merged_into: Mapped[Department | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="DepartmentAlias.alias"
    )


class DepartmentAlias(Base):
    __tablename__ = "department_aliases"
    __table_args__ = (UniqueConstraint("department_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    alias: Mapped[Name]

    department: Mapped[Department] = relationship(back_populates="aliases")
