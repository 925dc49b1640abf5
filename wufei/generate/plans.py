"""A generated province (or the national list) as the files an office would import: one plan
workbook per city in wufei's import format (sheets 方案, 任务, 项目, 指标, 部门; the headers of
`wufei template plan`), and one department registry YAML per jurisdiction (the format of
wufei/departments/data/*.yaml). Deterministic: the same seed gives the same files.

    specs = province(seed=7)                       # 14 cities × ~300 tasks, 60 indicators, 50 departments
    paths = write_files(specs, Path("out/province"))
    registry = Registry.load(shipped_registry_files() + paths.registries)
    import_paths(engine, paths.workbooks, registry=registry)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

from wufei.departments.registry import DATA_DIR
from wufei.generate import names as N
from wufei.importers import sheet_schema as S

PERIOD = (2021, 2025)  # 十四五
COUNTIES = 10  # county-level governments per city; with 2 zones and 38 bureaus, 50 departments
ALL_COUNTIES = "各县市区人民政府"


@dataclass
class CitySpec:
    name: str
    key: str
    province: str
    abbreviation: str
    bureaus: list[tuple[str, tuple[str, ...]]]
    counties: list[str]
    zones: list[str]
    plan: dict[str, Any]
    tasks: list[dict[str, Any]] = field(default_factory=list)  # 任务 rows
    projects: list[dict[str, Any]] = field(default_factory=list)  # 项目 rows
    indicators: list[dict[str, Any]] = field(default_factory=list)  # 指标 rows

    @property
    def departments(self) -> int:
        return len(self.bureaus) + len(self.counties) + len(self.zones)


@dataclass
class ProvinceSpec:
    name: str
    key: str
    cities: list[CitySpec]


# --- what plans say ------------------------------------------------------------------------------

_AREAS = {  # 任务类别 → (objects, lead bureaus that usually own them)
    "工业固体废物": (
        ["一般工业固体废物", "工业副产石膏", "冶炼废渣", "尾矿", "粉煤灰"],
        ["市工业和信息化局", "市生态环境局", "市发展和改革委员会"],
    ),
    "农业固体废物": (["畜禽粪污", "农作物秸秆", "废旧农膜", "农药包装废弃物"], ["市农业农村局"]),
    "生活垃圾": (["生活垃圾", "厨余垃圾", "可回收物", "塑料垃圾"], ["市城市管理综合行政执法局", "市住房和城乡建设局"]),
    "建筑垃圾": (["建筑垃圾", "装修垃圾", "工程渣土"], ["市住房和城乡建设局", "市城市管理综合行政执法局"]),
    "危险废物": (["危险废物", "医疗废物", "废铅蓄电池", "实验室废物"], ["市生态环境局", "市卫生健康委员会"]),
    "再生资源": (["再生资源", "废旧家电", "报废机动车", "快递包装"], ["市商务局", "市邮政管理局", "市供销合作社"]),
    "绿色生活": (
        ["无废学校", "无废机关", "无废小区", "无废景区"],
        ["市教育局", "市机关事务管理局", "市文化广电和旅游局", "市委宣传部"],
    ),
}
_ACTIONS = [
    "健全{o}收集利用制度",
    "推进{o}源头减量",
    "提升{o}综合利用水平",
    "完善{o}收运处置体系",
    "建立{o}全过程监管台账",
    "开展{o}专项整治行动",
    "培育{o}利用骨干企业",
    "推广{o}资源化利用技术",
]
_LISTS = ["主要任务", "制度体系", "技术体系", "市场体系", "监管体系"]
_INDICATORS = [  # (一级, 二级, 三级, 单位, 目标, 方向标识)
    ("固体废物源头减量", "工业源头减量", "一般工业固体废物产生强度", "吨/万元", "逐年降低"),
    ("固体废物源头减量", "工业源头减量", "工业危险废物产生强度", "吨/万元", "逐年降低"),
    ("固体废物源头减量", "农业源头减量", "化肥使用量", "万吨", "逐年降低"),
    ("固体废物源头减量", "生活源头减量", "人均生活垃圾日清运量", "千克/人·日", "逐年降低"),
    ("固体废物源头减量", "建筑业源头减量", "装配式建筑占新建建筑比例", "%", "≥30"),
    ("固体废物资源化利用", "工业固体废物", "一般工业固体废物综合利用率", "%", "≥85"),
    ("固体废物资源化利用", "农业固体废物", "秸秆综合利用率", "%", ">95"),
    ("固体废物资源化利用", "农业固体废物", "畜禽粪污综合利用率", "%", "≥90"),
    ("固体废物资源化利用", "农业固体废物", "农膜回收率", "%", ">85"),
    ("固体废物资源化利用", "生活垃圾", "生活垃圾回收利用率", "%", "≥35"),
    ("固体废物资源化利用", "生活垃圾", "再生资源回收量增长率", "%", "逐年提高"),
    ("固体废物资源化利用", "建筑垃圾", "建筑垃圾资源化利用率", "%", "≥50"),
    ("固体废物最终处置", "危险废物", "危险废物规范化环境管理评估达标率", "%", "100"),
    ("固体废物最终处置", "生活垃圾", "生活垃圾填埋量", "万吨", "逐年降低"),
    ("固体废物最终处置", "医疗废物", "医疗废物收集处置体系覆盖率", "%", "100"),
    ("保障能力", "制度体系", "“无废城市”建设地方性法规或政策性文件制定", "项", "完成省定任务"),
    ("保障能力", "市场体系", "固体废物回收利用处置骨干企业数量", "家", "逐年递增"),
    ("保障能力", "监管体系", "固体废物环境污染案件处理完成率", "%", "100"),
    ("群众获得感", "宣传教育", "“无废城市”建设宣传教育培训普及率", "%", ">90"),
    ("群众获得感", "公众参与", "“无废城市”建设成效公众满意程度", "%", ">90"),
]
_MARKS = ["★", "★", "※", "△", ""]


def _deadline(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "持续推进"
    if roll < 0.22:
        return "完成年度任务"
    year = rng.randint(PERIOD[0] + 1, PERIOD[1])
    if roll < 0.6:
        return f"{year}年底前"
    return f"{year}年{rng.randint(3, 11)}月底前"


def _owners(rng: random.Random, area_leads: list[str], bureaus: list[str]) -> tuple[list[str], list[str]]:
    leads = [rng.choice(area_leads)]
    if rng.random() < 0.15:
        leads.append(rng.choice([b for b in bureaus if b not in leads]))
    supporting = rng.sample([b for b in bureaus if b not in leads], rng.choice((0, 1, 2, 2, 3)))
    if rng.random() < 0.25:
        supporting.append(ALL_COUNTIES)
    return leads, supporting


def _city(
    rng: random.Random, *, province: str, name: str, key: str, abbreviation: str, tasks: int, indicators: int
) -> CitySpec:
    counties = N.county_names(rng, COUNTIES, {name[:2]})  # unique within the city, not the country
    short = name[:2]
    zones = [f"{short}高新技术产业开发区管委会", f"{short}经济技术开发区管委会"]
    bureaus = N.CITY_BUREAUS[: 50 - COUNTIES - len(zones)]
    bureau_names = [b for b, _ in bureaus]
    issued = date(PERIOD[0], 1, 4) + timedelta(days=rng.randint(0, 50))
    number = f"{abbreviation}政办发〔{PERIOD[0]}〕{rng.randint(2, 60)}号"
    plan = {
        "方案名称": f"{name}“十四五”时期“无废城市”建设实施方案",
        "文号": number,
        "地区": name,
        "类型": "方案",
        "印发单位": f"{name}人民政府办公室",
        "印发日期": issued.isoformat(),
        "起始年": PERIOD[0],
        "截止年": PERIOD[1],
    }
    spec = CitySpec(
        name=name,
        key=key,
        province=province,
        abbreviation=abbreviation,
        bureaus=bureaus,
        counties=counties,
        zones=zones,
        plan=plan,
    )
    projects = max(tasks // 10, 1)
    per_list: dict[str, int] = {}
    areas = list(_AREAS.items())
    for index in range(tasks - projects):
        category, (objects, area_leads) = areas[index % len(areas)]
        listed = _LISTS[rng.randrange(len(_LISTS))]
        per_list[listed] = per_list.get(listed, 0) + 1
        leads, supporting = _owners(rng, area_leads, bureau_names)
        obj = rng.choice(objects)
        spec.tasks.append(
            {
                "方案": number,
                "清单": listed,
                "序号": str(per_list[listed]),
                "任务类别": category,
                "任务名称": rng.choice(_ACTIONS).format(o=obj),
                "主要内容": f"按照方案要求，组织推进{obj}相关工作，定期报送进展。",
                "牵头单位": S.join_names(leads),
                "配合单位": S.join_names(supporting) or None,
                "完成期限": _deadline(rng),
            }
        )
    for index in range(projects):
        category, (objects, area_leads) = areas[index % len(areas)]
        leads, supporting = _owners(rng, area_leads, bureau_names)
        county = rng.choice(counties).removesuffix("人民政府")
        obj = rng.choice(objects)
        spec.projects.append(
            {
                "方案": number,
                "序号": str(index + 1),
                "任务类别": category,
                "项目名称": f"{county}{obj}资源化利用项目",
                "责任主体": f"{county}{rng.choice('绿源恒新华泰')}环保科技有限公司",
                "主要内容": f"新建{obj}处理利用设施，规模{rng.randint(1, 30)}万吨/年。",
                "牵头单位": S.join_names(leads),
                "配合单位": S.join_names(supporting) or None,
                "完成期限": f"{rng.randint(PERIOD[0] + 1, PERIOD[1])}年底前",
            }
        )
    for index in range(indicators):
        first, second, third, unit, target = _INDICATORS[index % len(_INDICATORS)]
        if index >= len(_INDICATORS):  # the office breaks some indicators down by county
            third = f"{third}（{counties[(index // len(_INDICATORS) - 1) % len(counties)].removesuffix('人民政府')}）"
        lead = rng.choice(bureau_names[:12])
        baseline = round(rng.uniform(5, 90), 1) if unit == "%" else round(rng.uniform(0.1, 50), 2)
        spec.indicators.append(
            {
                "方案": number,
                "序号": str(index + 1),
                "一级指标": first,
                "二级指标": second,
                "三级指标": third,
                "标识": rng.choice(_MARKS) or None,
                "现状值": str(baseline),
                "现状值年份": PERIOD[0] - 1,
                "目标值": target,
                "目标年份": PERIOD[1],
                "单位": unit,
                "数据来源": lead,
                "指标属性": rng.choice(("约束性", "预期性")),
                "牵头单位": lead,
                "配合单位": rng.choice(bureau_names[12:]) if rng.random() < 0.5 else None,
            }
        )
    return spec


def province(*, seed: int = 1, cities: int = 14, tasks: int = 300, indicators: int = 60) -> ProvinceSpec:
    """A province of `cities` cities (the first of 湖南省's 14, made-up counties), each with one plan of
    `tasks` supervised items (a tenth of them projects), `indicators` indicators and 50 departments."""
    rng = random.Random(seed)
    taken: set[str] = set()
    names = N.PROVINCE_CITIES[:cities]
    if len(names) < cities:
        names += [N.city_name(rng, taken) for _ in range(cities - len(names))]
    specs = [
        _city(
            rng,
            province=N.PROVINCE,
            name=name,
            key=f"{N.PROVINCE_KEY}-{index + 1:02d}",
            abbreviation=N.CITY_ABBREVIATIONS.get(name, name[0]),
            tasks=tasks,
            indicators=indicators,
        )
        for index, name in enumerate(names)
    ]
    return ProvinceSpec(name=N.PROVINCE, key=N.PROVINCE_KEY, cities=specs)


def national(
    *, seed: int = 1, cities: int = 120, tasks: int = 300, indicators: int = 60, provinces: int | None = None
) -> list[ProvinceSpec]:
    """The national list: `cities` made-up cities spread over the provinces (4 each for 120), or
    over the first `provinces` of them."""
    rng = random.Random(seed)
    taken: set[str] = set()
    names = N.NATIONAL_PROVINCES[:provinces] if provinces else N.NATIONAL_PROVINCES
    specs_by_province: list[ProvinceSpec] = []
    per_province = -(-cities // len(names))
    made = 0
    for index, name in enumerate(names):
        key = f"cn{index + 1:02d}"
        specs = []
        for number in range(min(per_province, cities - made)):
            city = N.city_name(rng, taken)
            specs.append(
                _city(
                    rng,
                    province=name,
                    name=city,
                    key=f"{key}-{number + 1:02d}",
                    abbreviation=city[:2],
                    tasks=tasks,
                    indicators=indicators,
                )
            )
            made += 1
        if specs:
            specs_by_province.append(ProvinceSpec(name=name, key=key, cities=specs))
    return specs_by_province


# --- files ---------------------------------------------------------------------------------------


@dataclass
class Files:
    workbooks: list[Path]  # one plan workbook per city
    registries: list[Path]  # one registry YAML per jurisdiction (the provinces first)


def shipped_registry_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def write_files(provinces: ProvinceSpec | list[ProvinceSpec], folder: Path) -> Files:
    """Write each city's plan workbook (`<folder>/plans/`) and the registries (`<folder>/registry/`)."""
    provinces = [provinces] if isinstance(provinces, ProvinceSpec) else provinces
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    (folder / "registry").mkdir(parents=True, exist_ok=True)
    files = Files(workbooks=[], registries=[])
    for spec in provinces:
        files.registries.append(
            _write_yaml(
                folder / "registry" / f"{spec.key}.yaml",
                {"jurisdiction": {"key": spec.key, "name": spec.name, "level": "province"}, "departments": []},
            )
        )
    for spec in provinces:
        for city in spec.cities:
            files.registries.append(_write_yaml(folder / "registry" / f"{city.key}.yaml", _registry(city)))
            files.workbooks.append(_write_workbook(folder / "plans" / f"{city.key}-{city.name}.xlsx", city))
    return files


def _registry(city: CitySpec) -> dict[str, Any]:
    departments = [
        {"name": name, "kind": "bureau", **({"aliases": list(aliases)} if aliases else {})}
        for name, aliases in city.bureaus
    ]
    departments += [{"name": name, "kind": "county_gov"} for name in city.counties]
    departments += [{"name": name, "kind": "zone"} for name in city.zones]
    return {
        "jurisdiction": {"key": city.key, "name": city.name, "level": "city", "parent": city.province},
        "departments": departments,
        "collectives": [
            {
                "name": ALL_COUNTIES,
                "aliases": ["各县市区政府", "各县（市、区）人民政府"],
                "members": list(city.counties),
            }
        ],
    }


def _write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(
        "# Generated by wufei.generate (deterministic from its seed).\n"
        + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


def _write_workbook(path: Path, city: CitySpec) -> Path:
    book = Workbook(write_only=True)
    for sheet, rows in (
        (S.PLANS, [city.plan]),
        (S.TASKS, city.tasks),
        (S.PROJECTS, city.projects),
        (S.INDICATORS, city.indicators),
    ):
        headers = [h for h in S.COLUMNS[sheet] if h not in S.EXPORT_ONLY]
        out = book.create_sheet(sheet)
        out.append(headers)
        for row in rows:
            out.append([row.get(h) for h in headers])
    book.save(path)
    return path
