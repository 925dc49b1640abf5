"""Shapes of the corpus's batch 11 (tests/corpus/, its tuning documents), each by its mechanism: a `责任单位：` list
after leads already stated in the same owner text (`A、B等按职责分工负责。责任单位：C、D`, `A牵头，责任单位：B`)
supports them, as it does beside a 牵头单位 label; a 公示 printing a form's labels unnumbered, each opening its line
with a colon (整改任务：… / 整改目标：… / 整改完成情况： over 1、… 2、…), is one record read as that form, the work done
under its progress label no task and the 公示 period no deadline, while labelled blocks repeating under every task
stay a list; a table of tasks and how they went (工作任务 / 完成情况) without owners or numbers is a table of tasks
awaiting their owners. Found on the three documents added after the round's first tuning: a 交办单 printed as
labels alone over their values is such a form too, labels the vocabulary does not know (交办单编号：, 公示时间：) ending
the value above them and labels left empty holding nothing; a notice whose opening says the task is its own
(我单位所承担的…) names its signing office as the owner; a portal's posting line (时间: 2018-06-07 12:40 来源:) is no
deadline of the lines above it."""

from __future__ import annotations

from pathlib import Path

from tests.importers.resolved import resolved_tasks
from wufei.departments.owners import parse_owners
from wufei.importers.service import read_source


def test_a_responsible_list_after_co_leads_by_duty_supports_them():
    # gx_yulin_jiangtan_2024: on main the list was read as standing alone, its first unit made a lead beside the
    # co-leads.
    spec = parse_owners("县发展改革局、县财政局等按职责分工负责。责任单位：各乡镇人民政府、县经济开发区管委会")
    assert spec.leads == ("县发展改革局", "县财政局")
    assert spec.supporting == ("各乡镇人民政府", "县经济开发区管委会")


def test_a_responsible_list_after_a_lead_clause_supports_it():
    spec = parse_owners("市农业农村局牵头，责任单位：市水利局、各县（市、区）人民政府")
    assert spec.leads == ("市农业农村局",)
    assert spec.supporting == ("市水利局", "各县（市、区）人民政府")


def test_a_responsible_list_standing_alone_still_leads_with_its_first_unit():
    # Guard (holds on main too): 责任单位 alone lists the lead first, the units supporting it after.
    spec = parse_owners("责任单位：市水利局、市农业农村局")
    assert (spec.leads, spec.supporting) == (("市水利局",), ("市农业农村局",))


def test_the_duty_clause_and_its_responsible_sentence_read_in_a_plan(tmp_path: Path):
    path = tmp_path / "实施方案.txt"
    path.write_text(
        "某市节水行动实施方案\n"
        "（一）强化用水管理\n"
        "1.严格取水许可。对新建项目开展水资源论证。〔市水利局、市发展改革委等按职责分工负责。责任单位：各县（市、区）"
        "人民政府。以下均需各县（市、区）人民政府落实，不再列出。〕\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [("严格取水许可", ("市水利局", "市发展改革委"), ("各县（市、区）人民政府",))]


_NOTICE = (
    "某县环保督察反馈问题整改情况公示\n"
    "根据县整改工作领导小组办公室通知要求，现将反馈问题整改完成情况公示如下。\n"
    "整改任务：部分乡镇生活垃圾转运站渗滤液收集设施不完善，存在外溢风险。\n"
    "整改目标：转运站渗滤液全部规范收集处理。\n"
    "整改完成情况：\n"
    "1、对全县转运站逐一排查，建立问题台账。\n"
    "2、新建渗滤液收集池5座，全部投入使用。\n"
    "特此公示！\n"
    "公示时间：2023年6月1日至2023年6月7日。\n"
    "某县住房和城乡建设局\n"
    "2023年6月1日\n"
)


def test_a_notice_printing_a_form_s_labels_on_their_lines_is_one_record(tmp_path: Path):
    # jl_siping_tiedong_zhenggai_2019: on main the labelled task was not read and the numbered lines of work done
    # were read as tasks, the last taking the 公示 period's end as its deadline.
    path = tmp_path / "整改公示.txt"
    path.write_text(_NOTICE, encoding="utf-8")
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["部分乡镇生活垃圾转运站渗滤液收集设施不完善，存在外溢风险"]
    assert tasks[0].deadline_raw is None
    assert "渗滤液全部规范收集处理" in (tasks[0].content or "")
    assert not tasks[0].leads and not tasks[0].owners_raw  # the notice does not say the task is its signer's


def test_a_labelled_line_before_the_notice_s_text_is_passed_over(tmp_path: Path):
    # A contact line heading the page is a label of its own, no form: the form is the run of labels after it.
    path = tmp_path / "整改公示.txt"
    path.write_text(
        _NOTICE.replace(
            "某县环保督察反馈问题整改情况公示\n",
            "某县环保督察反馈问题整改情况公示\n联系电话：0431-5551234\n发布时间 2023-06-01\n"
            "来源 县住建局\n浏览次数 12\n",
        ),
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["部分乡镇生活垃圾转运站渗滤液收集设施不完善，存在外溢风险"]


def test_labelled_blocks_repeating_under_every_task_stay_a_list(tmp_path: Path):
    # Guard (holds on main too): the labels coming back under the next task make a list, not one form.
    path = tmp_path / "任务清单.txt"
    path.write_text(
        "某区2024年重点工作任务清单\n"
        "工作任务：推进老旧小区改造。\n"
        "牵头单位：区住建局\n"
        "完成时限：2024年10月底\n"
        "工作任务：建设口袋公园三处。\n"
        "牵头单位：区城管局\n"
        "完成时限：2024年12月底\n",
        encoding="utf-8",
    )
    assert resolved_tasks(path) == [
        ("推进老旧小区改造", ("区住建局",), ()),
        ("建设口袋公园三处", ("区城管局",), ()),
    ]


def test_a_table_of_tasks_and_how_they_went_is_a_table_of_tasks(tmp_path: Path):
    # The one-row form above is such a table; a web page's progress table without owners or numbers reads the same.
    path = tmp_path / "进展.html"
    path.write_text(
        "<html><body><h1>某区2023年重点工作完成情况</h1><table>"
        "<tr><th>工作任务</th><th>完成情况</th></tr>"
        "<tr><td>改造老旧供水管网20公里</td><td>已完成22公里</td></tr>"
        "<tr><td>新建社区养老服务站3个</td><td>已建成投用</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["改造老旧供水管网20公里", "新建社区养老服务站3个"]


def test_an_assignment_sheet_of_labels_over_their_values_is_one_record(tmp_path: Path):
    # js_zhenjiang_jiaobandan_2024: on main the system's menu line and the first labels made a task of their own.
    path = tmp_path / "交办单.txt"
    path.write_text(
        "督办系统 交办单 任务进展\n"
        "交办单编号:\n"
        "12\n"
        "交办日期:\n"
        "2023-09-14\n"
        "责任单位:\n"
        "区城市管理局\n"
        "当前状态:\n"
        "已办结\n"
        "交办单文件:\n"
        "交办单标题:\n"
        "关于对老城区夜间施工噪声扰民问题交办的通知\n"
        "交办内容:\n"
        "近期群众多次反映老城区夜间施工噪声扰民,请你单位立即核查处理并反馈结果。\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [task.title for task in tasks] == ["关于对老城区夜间施工噪声扰民问题交办的通知"]
    assert resolved_tasks(path) == [("关于对老城区夜间施工噪声扰民问题交办的通知", ("区城市管理局",), ())]
    assert tasks[0].deadline_raw is None  # 交办日期 is when it was assigned
    assert "夜间施工噪声扰民" in (tasks[0].content or "")


def test_a_notice_of_its_own_task_is_owned_by_the_office_signing_it(tmp_path: Path):
    # jl_changchun_fuyu_zhenggai_2018: on main the portal's breadcrumb was a task, dated by the posting line under
    # it, and the labelled task was not read.
    path = tmp_path / "整改公示.html"
    path.write_text(
        "<html><body><p>您当前的位置:首页 &gt; 通知公告</p><p>东湖街道完成环保督察反馈问题整改任务情况公示</p>"
        "<p>时间: 2019-05-10 09:30 来源:</p>"
        "<p>我单位所承担的环保督察反馈第五项问题的整改任务,现已完成整改并通过验收。</p>"
        "<p>整改任务:辖区内小河沟沿岸垃圾堆积,雨季污水直排入河。</p>"
        "<p>整改目标:2020年全面达到考核要求。</p>"
        "<p>整改措施:清理沿岸垃圾,封堵直排口。</p>"
        "<p>整改效果（或整改完成情况）:沿岸垃圾已清理完毕,直排口全部封堵。</p>"
        "<p>现对以上整改内容予以公示,公示期为2019年5月10日至2019年5月16日。</p>"
        "<p>东湖街道办事处</p><p>2019年5月9日</p></body></html>",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert resolved_tasks(path) == [("辖区内小河沟沿岸垃圾堆积,雨季污水直排入河", ("东湖街道办事处",), ())]
    assert tasks[0].deadline_raw is None


def test_a_completion_time_under_a_task_is_still_its_deadline(tmp_path: Path):
    # Guard (holds on main too): only a portal's posting line (a date with its clock time, or 来源) is set aside.
    path = tmp_path / "分工.txt"
    path.write_text(
        "某区2024年重点工作分工\n1.完成老旧小区改造12个。\n牵头单位：区住建局\n完成时间：2024年10月底\n",
        encoding="utf-8",
    )
    tasks = read_source(path).plans[0].tasks
    assert [(task.title, task.deadline_raw) for task in tasks] == [("完成老旧小区改造12个", "2024年10月底")]
