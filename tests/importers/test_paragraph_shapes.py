"""Paragraph shapes of published task lists beyond the seeds (made-up text in their style)."""

from __future__ import annotations

from wufei.departments.owners import parse_owners
from wufei.importers.text.paragraphs import main_tasks, split_heading


def owners(task):
    spec = parse_owners(task.owners_raw)
    return spec.leads, spec.supporting


def test_each_owner_clause_closing_a_group_of_sentences_closes_one_task():
    lines = [
        "推进秸秆综合利用。完善收储运体系，培育利用主体。（省农业农村厅、省发展改革委牵头）"
        "严禁露天焚烧秸秆，落实网格化监管。（省生态环境厅牵头）",
        "加强扬尘管控。推行施工工地六个百分之百。（省住房城乡建设厅牵头）",
    ]
    tasks = main_tasks(lines)
    assert [task.title for task in tasks] == ["推进秸秆综合利用", "严禁露天焚烧秸秆，落实网格化监管", "加强扬尘管控"]
    assert [owners(task)[0] for task in tasks] == [
        ("省农业农村厅", "省发展改革委"),
        ("省生态环境厅",),
        ("省住房城乡建设厅",),
    ]


def test_a_numbered_item_with_two_owner_clauses_gives_two_tasks_numbered_after_it():
    lines = [
        "二、重点任务",
        "1.整治散乱污企业。建立动态清单，实行分类处置。〔市生态环境局牵头，市工信局参与，各区县政府负责落实。"
        "以下各项工作均需各区县政府落实，不再列出。〕推进工业炉窑综合治理，淘汰落后炉型。（市工信局牵头，市生态环境局参与）",
        "2.优化交通运输结构。提高铁路货运比例。（市交通运输局牵头）",
    ]
    tasks = main_tasks(lines)
    assert [(task.number, task.title) for task in tasks] == [
        ("1", "整治散乱污企业"),
        ("1-2", "推进工业炉窑综合治理，淘汰落后炉型"),
        ("2", "优化交通运输结构"),
    ]
    assert owners(tasks[1]) == (("市工信局",), ("市生态环境局",))
    assert tasks[1].implementers_raw == "各区县政府"  # announced in the first clause for the tasks after it


def test_text_after_the_last_owner_clause_that_names_nobody_stays_with_its_task():
    lines = [
        "二、主要任务",
        "1.推进垃圾分类。建成投放点。（市城管局牵头）具体方案另行制定。",
        "2.建设分拣中心。（市商务局负责）",
    ]
    first, second = main_tasks(lines)
    assert (first.title, first.owners_raw) == ("推进垃圾分类", None)
    assert second.owners_raw == "市商务局负责"


def test_an_owner_bracket_inside_a_sentence_does_not_cut_it():
    lines = ["建立由市发展改革委牵头的联席会议制度（市发展改革委牵头）并定期调度，按月通报进展。（市政府办公室负责）"]
    [task] = main_tasks(lines)
    assert task.owners_raw == "市政府办公室负责"


def test_a_heading_over_one_paragraph_that_starts_with_its_body_is_the_tasks_title():
    lines = [
        "各县、区人民政府，市政府各部门：",
        "为稳定经济增长，现提出以下意见：",
        "一、扩大有效投资",
        "建立重点项目调度机制，市级领导联系重点项目，及时协调解决用地、环评、资金等问题，确保项目按期开工；"
        "加快专项债券发行使用。（市发展改革委、市财政局牵头，各县区人民政府配合）",
        "二、促进消费回升",
        "开展促消费活动。发放消费券。（市商务局牵头）",
    ]
    first, second = main_tasks(lines)
    assert first.title == "扩大有效投资"
    assert first.content.startswith("建立重点项目调度机制")
    assert owners(first) == (("市发展改革委", "市财政局"), ("各县区人民政府",))
    assert second.title == "开展促消费活动"  # a paragraph opening with a short sentence has its own heading


def test_an_owner_clause_never_closed_at_the_end_of_a_task_is_read():
    lines = [
        "二、主要任务",
        "1.推广绿色包装。推动快递包装减量化。（各市县人民政府负责落实，省邮政管理局、省商务厅按职责分工负责",
    ]
    [task] = main_tasks(lines)
    assert task.title == "推广绿色包装"
    assert "负责" not in (task.content or "")
    assert parse_owners(task.owners_raw).leads == ("省邮政管理局", "省商务厅")
    assert task.implementers_raw == "各市县人民政府"


def test_a_news_reports_lead_in_is_not_part_of_the_first_task():
    lines = [
        "近日，某省人民政府印发《某省扬尘污染治理方案》的通知。通知指出：严控施工扬尘。工地全部围挡。（省住房城乡建设厅牵头）"
    ]
    [task] = main_tasks(lines)
    assert task.title == "严控施工扬尘"


def test_the_title_ends_before_the_first_sub_item_or_at_an_ascii_semicolon():
    assert split_heading("完善应急物资储备(1)建立储备目录。(2)定期轮换。") == (
        "完善应急物资储备",
        "(1)建立储备目录。(2)定期轮换。",
    )
    assert split_heading("健全回收网络①建设回收站点") == ("健全回收网络", "①建设回收站点")
    assert split_heading("加强宣传引导;开展进社区活动") == ("加强宣传引导", "开展进社区活动")
    assert split_heading("每日9:30前报送。按时汇总") == ("每日9:30前报送", "按时汇总")


def test_a_numbered_list_the_text_announces_as_tasks_is_read_with_its_deadlines():
    lines = [
        "某市“无废城市”建设进展情况",
        "制度体系",
        "共部署任务10项，已完成任务包括：",
        "1.出台建筑垃圾管理办法(2021年底前完成);",
        "2.建立部门联席会议制度;",
        "市场体系",
        "已完成任务包括：",
        "1.培育再生资源回收龙头企业(2022年6月底前完成)。",
    ]
    tasks = main_tasks(lines)
    assert [(task.title, task.deadline_raw) for task in tasks] == [
        ("出台建筑垃圾管理办法", "2021年底前完成"),
        ("建立部门联席会议制度", None),
        ("培育再生资源回收龙头企业", "2022年6月底前完成"),
    ]
    assert len({task.number for task in tasks}) == 3  # two lists numbered afresh, no repeated number


def test_a_numbered_line_without_an_announcement_is_still_not_a_task_in_a_document_without_a_task_part():
    lines = ["某区关于做好防汛工作的通知", "1.加强组织领导。", "2.落实值班制度。"]
    assert main_tasks(lines) == []
    notice = ["某区关于做好防汛工作的通知", "现将有关事项通知如下：", "1.加强组织领导。", "2.落实值班制度。"]
    assert main_tasks(notice) == []  # a notice's requirements are not tasks


def test_a_heading_line_followed_by_its_owner_clause_on_the_next_line_is_a_task():
    lines = [
        "二、重点任务",
        "（一）推进餐厨垃圾资源化",
        "（市城管局牵头，市商务局、各区政府配合）",
        "（二）开展“无废机关”创建",
        "（市机关事务管理局负责）",
    ]
    first, second = main_tasks(lines)
    assert (first.title, owners(first)) == ("推进餐厨垃圾资源化", (("市城管局",), ("市商务局", "各区政府")))
    assert (second.title, owners(second)) == ("开展“无废机关”创建", (("市机关事务管理局",), ()))
