"""Shapes of the corpus's batch 10 (tests/corpus/, its tuning documents), each by its mechanism: a short heading
closed by an owner clause over numbered items names the owners of those items and is no task of its own (an item
naming its own owners keeps them); a notice printing a form's labels as its numbered sections (一、整改问题 /
二、整改实施主体 / 三、重点措施 / … / 五、完成时限) is one record read as that form, in any format; a label run into its
text (一、整改任务秸秆禁烧…) is no part of the title, and a section saying how the work went (三、完成情况：…) is no
task; a place's governing body followed by another of its bodies named without the place (园区党工委、管委会) is one
owner; a contact line (联系人：… 联系电话：…) under a paragraph names no owner."""

from __future__ import annotations

from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source


def test_a_heading_closed_by_owners_over_numbered_items_leads_them(tmp_path: Path):
    # hi_sanya_chuangwen_ducha: on main each heading was a task of its own, its unit given to none of the items
    # under it, and the items of the areas none of whose items names owners were lost.
    path = tmp_path / "督查通报.txt"
    path.write_text(
        "某区创卫督查发现问题通报\n"
        "近日，区创卫办督查组对农贸市场进行检查，发现问题如下：\n"
        "一、东门农贸市场（责任单位：区市场监管局）\n"
        "1.市场内地面积水严重。\n"
        "2.摊位外溢占道经营。（责任单位：区城管执法局）\n"
        "二、西街菜市场（责任单位：西街街道）\n"
        "1.垃圾桶满溢未及时清运。\n"
        "2.公厕保洁不到位。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("市场内地面积水严重", ("区市场监管局",), ()),
        ("摊位外溢占道经营", ("区城管执法局",), ()),
        ("垃圾桶满溢未及时清运", ("西街街道",), ()),
        ("公厕保洁不到位", ("西街街道",), ()),
    ]
    assert {task.list_name for task in read_source(path).plans[0].tasks} == {"东门农贸市场", "西街菜市场"}


def test_a_heading_closed_by_owners_without_items_stays_a_task(tmp_path: Path):
    # Guard (holds on main too): a heading naming owners with no numbered items under it is a task itself.
    path = tmp_path / "分工.txt"
    path.write_text(
        "某县生活垃圾分类工作任务分工\n"
        "一、推进垃圾分类（县城管局牵头，各乡镇配合）\n"
        "二、开展建筑垃圾治理（县住建局牵头）\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("推进垃圾分类", ("县城管局",), ("各乡镇",)),
        ("开展建筑垃圾治理", ("县住建局",), ()),
    ]


_SECTIONS = (
    "问题整改销号公示\n"
    "某市生态环境问题整改任务清单问题已整改完成，现公示如下：\n"
    "一、整改问题\n"
    "（一）河道沿岸堆放生活垃圾，污染水体。\n"
    "二、整改实施主体\n"
    "某某工业园区党工委、管委会\n"
    "三、重点措施\n"
    "（一）清理河道沿岸垃圾并建立巡查制度。\n"
    "四、完成时限\n"
    "2024年11月底\n"
    "五、整改完成情况\n"
    "（一）经核查，沿岸已无垃圾堆放。\n"
    "如有异议，请在公示期间（2024年10月8日至10月15日）反映。\n"
    "2024年10月8日\n"
)


def test_a_notice_printing_a_form_s_labels_as_its_sections_is_one_record(tmp_path: Path):
    # ah_suzhou_xiaohao_2024: on main each section's value was a task of its own, the implementing body no owner
    # and the completion date no deadline; the dates of the 公示 are none.
    path = tmp_path / "销号公示.txt"
    path.write_text(_SECTIONS, encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [(t.title, t.deadline_raw) for t in tasks] == [("清理河道沿岸垃圾并建立巡查制度", "2024年11月底")]
    assert resolved_tasks(path) == [("清理河道沿岸垃圾并建立巡查制度", ("某某工业园区党工委、管委会",), ())]
    assert "河道沿岸堆放生活垃圾" in (tasks[0].content or "")  # the problem is the task's context


def test_a_web_notice_of_labelled_sections_is_read_the_same(tmp_path: Path):
    # xj_hebukesaier_zhenggai_2020 (batch 4): the task under 一、整改任务, its owner under 二、整改责任单位; on main
    # the record was 整改完成情况, owned by the contact line.
    path = tmp_path / "公示.html"
    path.write_text(
        "<html><head><title>公示</title></head><body>"
        "<p>第十二项整改任务已完成整改，现将有关情况公示如下：</p>"
        "<p>一、整改任务</p><p>县城生活污水收集管网建设滞后，部分片区污水直排。</p>"
        "<p>二、 整改责任单位</p><p>某某县住房和城乡建设局</p>"
        "<p>三、 整改完成情况</p><p>管网工程已完工并通过验收。</p>"
        "<p>联系人：李主任 联系电话：0990-1234567</p>"
        "</body></html>",
        encoding="utf-8",
    )
    titles = [(title, leads) for title, leads, _ in resolved_tasks(path)]
    assert ("县城生活污水收集管网建设滞后，部分片区污水直排", ("某某县住房和城乡建设局",)) in titles


def test_a_plan_s_outline_is_no_form(tmp_path: Path):
    # Guard (holds on main too): sections whose headings are no form's labels (总体要求, 保障措施) keep their
    # numbered tasks.
    path = tmp_path / "方案.txt"
    path.write_text(
        "某县无废城市建设工作方案\n"
        "一、总体要求\n"
        "以固体废物减量化、资源化、无害化为主线。\n"
        "二、主要任务\n"
        "1.推进工业固废综合利用。（县工信局牵头）\n"
        "2.完善生活垃圾分类体系。（县城管局牵头）\n"
        "三、保障措施\n"
        "加强组织领导。\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("推进工业固废综合利用", ("县工信局",), ()),
        ("完善生活垃圾分类体系", ("县城管局",), ()),
    ]


def test_a_label_run_into_its_text_is_no_part_of_the_title(tmp_path: Path):
    # sx_wenxi_xiaohao_2019: on main the title kept 整改任务 and 三、完成情况：… was a task of its own.
    path = tmp_path / "验收销号意见.txt"
    path.write_text(
        "某县人民政府关于第05号整改任务的验收销号意见\n"
        "验收组对第05号整改任务完成情况进行了现场验收。\n"
        "一、整改任务城区餐饮油烟治理不到位，群众投诉较多。\n"
        "二、整改目标城区餐饮单位油烟净化设施全部安装并正常使用。\n"
        "三、完成情况：全县已安装油烟净化设施326台，开展执法检查18次，群众投诉明显下降，持续开展巡查。\n"
        "四、验收意见已完成整改，同意销号。\n",
        encoding="utf-8",
    )
    assert [t.title for t in read_source(path).plans[0].tasks] == ["城区餐饮油烟治理不到位，群众投诉较多"]


def test_a_place_s_two_governing_bodies_are_one_owner():
    # ah_suzhou_xiaohao_2024's owner: on main 园区党工委 led and 管委会 (named without its place) supported.
    spec = parse_owners("某某工业园区党工委、管委会")
    assert (spec.leads, spec.supporting) == (("某某工业园区党工委、管委会",), ())
    # Guard: a government and its departments are two owners.
    spec = parse_owners("某县人民政府、有关部门")
    assert (spec.leads, spec.supporting) == (("某县人民政府",), ("有关部门",))


def test_a_contact_line_under_a_paragraph_names_no_owner(tmp_path: Path):
    # xj_hebukesaier_zhenggai_2020's closing lines: on main the paragraph over `联系人：… 联系电话：…` was a task
    # owned by the contact line (an extra record).
    path = tmp_path / "公示.txt"
    path.write_text(
        "关于第三项整改任务完成情况的公示\n"
        "建设城北污水处理厂。（县住建局牵头，县生态环境局配合）\n"
        "公示时间为5个工作日，请社会各界予以监督。\n"
        "联系人：王主任 联系电话：0991-1234567\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("建设城北污水处理厂", ("县住建局",), ("县生态环境局",))]
