"""Shapes of the corpus's batch 13 (tests/corpus/, its tuning documents), each by its mechanism: a numbered list
whose numbers run into the figures their items open with (2.50个小区…, 4.460个居村…) holds those items, while a wrapped
line opening with a decimal stays in its item; project lines each group closed by a sentence naming its lead
(上述项目由区商务委牵头负责。) are tasks led by it, the group's heading paragraph none, while lines naming their own
owners keep them; a 一、 heading naming the programme's lead (一、…（市水利局总牵头）) over （一） sections holding
numbered items is no task, the items keeping their own owners; a notice's number run on at the end of its title's line
(…的通知某政办发〔2019〕12号) is the plan's document number."""

from __future__ import annotations

from pathlib import Path

from tests.importers.reading import first_plan as _plan
from tests.importers.reading import owners as _owners

_SHISHI = (
    "某区人民政府办公室关于印发《2021年区政府要完成的实事》的通知\n"
    "\n"
    "各镇人民政府，各街道办事处：\n"
    "现将《2021年区政府要完成的实事》印发给你们，请抓紧组织实施。\n"
    "\n"
    "2021年区政府要完成的实事\n"
    "\n"
    "1.新建社区长者食堂10个。\n"
    "\n"
    "2.30个小区完成雨污分流改造；新增公共停车泊位500个。\n"
    "\n"
    "3.改造标准化菜市场2家。\n"
    "\n"
    "4.120个村开展农村人居环境整治。\n"
)


def test_numbers_running_into_the_figures_their_items_open_with_are_the_next_items(tmp_path: Path):
    # sh_baoshan_shishi_2022: on main 2.30 and 4.120 were read as decimals, so items 2 to 4 ran into item 1.
    plan = _plan(tmp_path, _SHISHI)
    assert [task.title for task in plan.tasks] == [
        "新建社区长者食堂10个",
        "30个小区完成雨污分流改造",
        "改造标准化菜市场2家",
        "120个村开展农村人居环境整治",
    ]


def test_a_wrapped_line_opening_with_a_decimal_stays_in_its_item(tmp_path: Path):
    # Guard (holds on main too): the line before runs on into the figure, so 2.5万吨 is no item 2.
    plan = _plan(
        tmp_path,
        "某市2021年固体废物治理重点任务\n"
        "1.提升生活垃圾焚烧处理能力，全市处理能力达到\n"
        "2.5万吨/日。（市城管局牵头，市发展改革委配合）\n"
        "2.推进建筑垃圾资源化利用。（市住建局牵头）\n",
    )
    assert [task.title for task in plan.tasks] == [
        "提升生活垃圾焚烧处理能力，全市处理能力达到2.5万吨/日",
        "推进建筑垃圾资源化利用",
    ]


_PROJECTS = (
    "【为老服务】\n"
    "一、提升养老服务能力。新建长者照护之家2家；开设社区助餐点10个。\n"
    "新建长者照护之家2家。项目具体实施进度为：第一季度完成选址；第四季度建成运营。\n"
    "开设社区助餐点10个。项目具体实施进度为：第二季度完成招标；第四季度全部开办。\n"
    "上述项目由区民政局牵头负责。\n"
    "【市容环境】\n"
    "二、改善市容环境。完成20条道路架空线入地。\n"
    "完成20条道路架空线入地。项目具体实施进度为：第一季度制定方案；第四季度全部完工。\n"
    "以上项目由区绿化市容局、区建管委负责。\n"
)


def test_a_sentence_closing_a_group_of_project_lines_names_their_lead(tmp_path: Path):
    # sh_yangpu_shishi: on main the lines ran into one task led by "上述项目由区体育局".
    plan = _plan(tmp_path, _PROJECTS)
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("新建长者照护之家2家", ["区民政局"], []),
        ("开设社区助餐点10个", ["区民政局"], []),
        ("完成20条道路架空线入地", ["区绿化市容局", "区建管委"], []),
    ]


def test_project_lines_closed_by_their_own_owners_keep_them(tmp_path: Path):
    # Guard (holds on main too): lines naming their own owners are no group awaiting a lead, and a sentence saying
    # who coordinates (负责统筹协调) names no lead of them.
    plan = _plan(
        tmp_path,
        "某区2021年实事项目\n"
        "新建长者照护之家2家。项目具体实施进度为：第四季度建成。（区民政局牵头）\n"
        "开设社区助餐点10个。项目具体实施进度为：第四季度全部开办。（区民政局、各街道牵头）\n"
        "以上项目由区政府办公室负责统筹协调。\n",
    )
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("新建长者照护之家2家", ["区民政局"], []),
        ("开设社区助餐点10个", ["区民政局", "各街道"], []),
    ]


_PROGRAMME = (
    "某市水污染防治重点工作部门分工方案\n"
    "一、保障饮用水安全（市水利局总牵头）\n"
    "（一）加强水源地规范化建设。\n"
    "1.完成县级以上水源地保护区划定。（市生态环境局、市水利局。列第一位者为牵头部门，下同）\n"
    "2.清理水源保护区内违法建筑。（市自然资源局、市住建局）\n"
    "二、治理城市黑臭水体（市住建局总牵头）\n"
    "（一）推进污水管网建设。\n"
    "1.新建城区污水管网50公里。（市住建局、市城管局）\n"
)


def test_a_top_heading_naming_the_programme_lead_over_sections_of_items_is_no_task(tmp_path: Path):
    # zj_daqi_fengong_2014: on main 一、…（省发改委总牵头） was read as a task led by 省发改委.
    plan = _plan(tmp_path, _PROGRAMME)
    assert [(task.title, *_owners(task)) for task in plan.tasks] == [
        ("完成县级以上水源地保护区划定", ["市生态环境局"], ["市水利局"]),
        ("清理水源保护区内违法建筑", ["市自然资源局"], ["市住建局"]),
        ("新建城区污水管网50公里", ["市住建局"], ["市城管局"]),
    ]


def test_a_notice_s_number_run_on_after_its_title_is_the_plan_s_document_number(tmp_path: Path):
    # gz_chengzhenhua_2017: on main the number run on after 的通知 was not read.
    plan = _plan(
        tmp_path,
        "市人民政府办公室关于印发某市城乡垃圾治理三年行动方案的通知某政办发〔2019〕12号\n"
        "一、主要任务\n"
        "1.建成生活垃圾转运站5座。（市城管局牵头，市财政局配合）\n",
    )
    assert plan.doc_number == "某政办发〔2019〕12号"
