"""Habits of the real pages in tests/wild/ (round wild19), each by its mechanism, on made-up texts of the same habit:
a web page's furniture lines (时间：… 来源：…, 来源：… 时间：…点击:, 当前位置：…, 发布机构：… 成文日期：…, 责任部门：…
发布日期：…) are no task, no deadline and no owner; a site's footer (版权所有 / Copyright, then 主办单位：… 承办：…
电话：…) names no owner; an attachment label on its own line (附件) is no piece of the title after it; a title opening
with 关于 names its place after it (关于铁东区…的公示 is 四平市's 铁东区 when the text names 四平市).

Round wild20 adds the habits of the second set (tests/wild/batch2/) and the leftovers of round wild19: a plan's
preamble headings are no tasks and an opening holding nothing else is refused saying so; a document site's upload
lines, a number alone on its line, a form's numbered fields, pinyin after characters, sentence pieces and seats as
owners, `||` padding, contents lines without leaders, a plan's (试行), an information box's cells as a title and a
portal's menu word are no tasks, owners or titles; each level's owner column is read; an ASCII stop closing a
run-together table's task is no part of its name.

Round wild21 adds the habits of the third set (tests/wild/batch3/): sentence pieces ending like units
(与…人民政府, 我代表…, …认真落实…党委, a verb ending in 行 such as 履行) and units whose requirement is followed
(落实市委、市政府要求) name no owner; a 关于…的通知 title over three lines is read whole, a site's date line, a speech's
delivery line and a menu word stand for no title, nor does a notice's addressee line; 无废细胞 named under their
categories give each category's count; a notice's requirements on a division whose table is an attachment are no
tasks; a cell-a-line table's last row cut short lacks its last cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.reading import only_plan as _plan
from wufei.departments.owners import owners_in_sentences
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
from wufei.plans.service import owners_of


def test_a_portal_date_line_is_no_deadline_and_its_label_no_task(tmp_path: Path):
    # ha_luoshan_ducha_news_2023: on main 「现在时间是」 was a task due on the page's date, its deadline
    # 「2023年02月10日来源：https…浏览次数：1156」.
    plan = _plan(
        tmp_path,
        "转载.txt",
        "现在时间是:2024年11月22日\n"
        "某市推进垃圾分类工作\n"
        "时间 : 2023年02月10日  来源 : https://www.example.cn/a.htm  作者 :   浏览次数 : 88\n"
        "\n"
        "1.推进生活垃圾分类设施建设,2023年底前完成。(市城管局牵头)\n",
    )
    assert [(t.title, t.deadline_raw) for t in plan.tasks] == [
        ("推进生活垃圾分类设施建设,2023年底前完成", "2023年底前")
    ]


def test_a_source_line_with_its_time_and_clicks_is_no_task(tmp_path: Path):
    # xx_ducha_zhenggai_guiding: on main 「来源」 was a task due 「2025-09-05点击：」.
    plan = _plan(
        tmp_path,
        "规定.txt",
        "某区整改工作安排\n"
        "来源:www.example.com 编辑: 某网 时间:2025-09-05点击:\n"
        "一、推进问题整改\n"
        "1. 完成整改台账建立(区生态环境局负责)\n",
    )
    titles = [t.title for t in plan.tasks]
    assert "来源" not in titles
    assert all(t.deadline_raw is None or "点击" not in t.deadline_raw for t in plan.tasks)


def test_a_breadcrumb_and_a_publishing_line_are_no_task(tmp_path: Path):
    # dara.gd (gd_zhengfugongzuobaogao_fengong_2021): on main the breadcrumb was a task whose deadline was the
    # publishing line and the notice after it.
    plan = _plan(
        tmp_path,
        "分工方案.txt",
        "首页 > 政务公开 > 通知公告\n"
        "某省人民政府关于印发2021年重点任务分工方案的通知\n"
        "时间 : 2021-05-14 22:01:43 来源 : 本网原创稿\n"
        "各地级以上市人民政府,省政府各部门:\n"
        "现将《2021年重点任务分工方案》印发给你们。\n"
        "2021年重点任务分工方案\n"
        "1.地区生产总值增长6%以上。\n"
        "部门分工:省发展改革委牵头,各地配合。\n",
    )
    assert [t.title for t in plan.tasks] == ["地区生产总值增长6%以上"]


def test_a_pages_information_lines_name_no_owner(tmp_path: Path):
    # nx_yinchuan_shengtai_2023: on main 「当前位置」 was a task led by 「银川市生态环境局发布日期：2023-09-12」
    # (责任部门 is an owner's label, but on this line it is the page's).
    plan = _plan(
        tmp_path,
        "行动方案.txt",
        "无障碍 | 长者版\n"
        "\n"
        "当前位置: 首页>政府信息公开>部门文件\n"
        "\n"
        "索 引 号:11640100MB/2023-00213 效力状态:有效\n"
        "发布机构:某市生态环境局 成文日期:2023-09-12\n"
        "责任部门:某市生态环境局 发布日期:2023-09-12\n"
        "名 称:关于印发《某市生态建设三年行动方案》的通知\n"
        "\n"
        "某市生态建设三年行动方案\n"
        "\n"
        "为全面加强生态环境保护,制定本方案。\n"
        "\n"
        "一、总体要求\n"
        "\n"
        "(一)指导思想\n"
        "\n"
        "以新发展理念为指导,改善生态环境质量。\n"
        "\n"
        "二、重点任务\n"
        "\n"
        "推进生态修复工程,2024年底前完成。(市生态环境局负责)\n",
    )
    # The plan's opening alone (指导思想) holds no task since round wild20, so the page carries one task after it.
    assert "当前位置" not in [t.title for t in plan.tasks]
    assert not any("发布日期" in (t.owners_raw or "") for t in plan.tasks)
    assert [t.owners_raw for t in plan.tasks] == ["市生态环境局负责"]


def test_a_site_footer_names_no_owner(tmp_path: Path):
    # ha_luoshan_ducha_news_2023: on main the news paragraph above the footer was a task led by
    # 「罗山县人民政府承办：罗山县人民政府办公室电话：0376-2178559」.
    plan = _plan(
        tmp_path,
        "新闻.txt",
        "某县开展督察整改\n"
        "1.完成污水管网建设,2024年底前完成。(县住建局负责)\n"
        "\n"
        "新华社北京2月9日电 记者从生态环境部获悉,3省公开整改方案。\n"
        "\n"
        "Copyright @ 2017 www.example.gov.cn All Rights Reserved. 某县人民政府\n"
        "某县人民政府信息公开办负责日常维护\n"
        "主办单位:某县人民政府 承办:某县人民政府办公室 电话:0376-2178559\n",
    )
    owners = [t.owners_raw or "" for t in plan.tasks]
    assert not any("电话" in owner or "承办" in owner for owner in owners)
    assert plan.tasks[0].title.startswith("完成污水管网建设")


def test_an_attachment_label_is_no_part_of_the_title(tmp_path: Path):
    # zj_xihu_wufei_zhengqiu_2020: on main the title was 「附件西湖区“无废城市”建设实施方案(征求意见稿)」 and the
    # district, no longer at the title's start, was not found: the page was refused for its place.
    plan = _plan(
        tmp_path,
        "征求意见.txt",
        "关于公开征求意见的公告\n"
        "按照《浙江省全域“无废城市”建设工作方案》以及杭州市工作部署,我局起草了实施方案。\n"
        "附件\n"
        "\n"
        "西湖区“无废城市”建设实施方案(征求意见稿)\n"
        "\n"
        "一、主要任务\n"
        "1.推进生活垃圾分类(区城管局负责)\n",
    )
    assert plan.title == "西湖区“无废城市”建设实施方案(征求意见稿)"
    assert plan.jurisdiction == "杭州市西湖区"


def test_a_title_opening_with_guanyu_names_its_place(tmp_path: Path):
    # jl_tiedong_ducha_gongshi_2019: on main 「关于铁东区…的公示情况说明」 gave no place (铁东区 is 四平's and 鞍山's):
    # the page was refused for its place though it names 四平市 twice.
    plan = _plan(
        tmp_path,
        "公示.txt",
        "关于铁东区督察反馈问题整改情况的公示\n"
        "根据四平市整改工作领导小组的要求,现对整改完成情况进行公示。\n"
        "1.完成河道清理(区水利局负责)\n"
        "四平市铁东区河湖管理中心\n",
    )
    assert plan.jurisdiction == "四平市铁东区"


def test_the_title_line_with_its_publisher_is_no_task(tmp_path: Path):
    # Guard (holds on main too, where the date line under it hid it): with the page's date line blanked, the title
    # line 「…公示表——某市人民政府」 must not become a task led by its publisher.
    plan = _plan(
        tmp_path,
        "公示表.txt",
        "督察反馈意见整改措施完成情况公示表——某市人民政府\n"
        "日期:2023 年 09 月 12 日 来源:某自治区交通运输厅\n"
        "\n"
        "1.严格履行生态环境保护责任,2023年底前完成。(市交通运输局负责)\n",
    )
    assert [t.owners_raw for t in plan.tasks] == ["市交通运输局负责"]


def test_a_table_of_contents_gives_no_tasks(tmp_path: Path):
    # zj_xihu_wufei_zhengqiu_2020: on main each contents line (（一）推动生活垃圾减量与资源化利用... 4) was a task
    # awaiting its lead, beside the same heading in the body.
    plan = _plan(
        tmp_path,
        "实施方案.txt",
        "某区“无废城市”建设实施方案\n"
        "目录\n"
        "一、总则... 1\n"
        "(一)指导思想... 1\n"
        "二、主要实施任务... 4\n"
        "(一)推动生活垃圾减量与资源化利用... 4\n"
        "(二)促进建筑垃圾分类利用与消纳…………6\n"
        "一、总则\n"
        "(一)指导思想\n"
        "以新发展理念为指导,推进固体废物减量。\n"
        "二、主要实施任务\n"
        "(一)推动生活垃圾减量与资源化利用\n"
        "1.推行生活垃圾分类,2021年底前全覆盖。\n",
    )
    titles = [t.title for t in plan.tasks]
    assert not any("..." in t or "…" in t for t in titles)
    assert len(titles) == len(set(titles))


def test_a_role_word_in_a_sentence_is_no_owner(tmp_path: Path):
    # hn_huarong_zhongdian_2021, ah_qiaocheng_fenjie_2020, nm_erlianhaote_jiedu_2024: on main
    # 「主要责任单位要切实履行…」 and 「牵头单位要发挥…」 gave the tasks a lead named 主要责任单位 / 牵头单位 (a role,
    # nobody's name); tj_zhongdiangongzuo_2020: 「…是贯彻落实中央决策部署和市委部署要求的具体行动」 gave one named
    # 是贯彻落实中央决策部署和市委部署.
    assert owners_in_sentences("主要责任单位要切实履行主职主责，建立协作机制") is None
    assert owners_in_sentences("其他责任单位要积极配合") is None
    assert owners_in_sentences("明确责任分工。牵头单位要发挥组织协调、统筹推进作用") is None
    assert owners_in_sentences("重点工作是贯彻落实中央决策部署和市委部署要求的具体行动") is None
    # Guards: a unit asked in a sentence still leads.
    assert owners_in_sentences("由县环卫站负责清除积存垃圾") == "县环卫站负责"
    assert owners_in_sentences("市住建局要会同市城管局加快推进") == "市住建局牵头，市城管局配合"


_TRADITIONAL = (
    "武漢市某區人民政府辦公室關於印發2024年重點工作任務分工方案的通知\n"
    "各街道辦事處,區政府各部門:\n"
    "現將《2024年重點工作任務分工方案》印發給你們,請認真貫徹落實。\n"
    "1.推進生活垃圾分類,2024年底前實現全覆蓋。(區城管局牽頭,區住建局配合)\n"
    "2.開展建築垃圾專項整治。(責任單位:區住建局)\n"
)


def test_a_traditional_copy_is_read_in_simplified_with_a_doubt(tmp_path: Path):
    # hb_wuhan_zerenfenjie_2024, ln_panjin_fenjie_2021, qh_wufei_zhidaoyijian_2023: on main a mirror's traditional
    # copy named no place (武漢市), no owner (牽頭, 責任單位) and no title; the page was refused for its place.
    plan = _plan(tmp_path, "繁體.txt", _TRADITIONAL)
    assert plan.jurisdiction == "武汉市"
    assert [(t.leads, t.supporting, t.deadline_raw) for t in plan.tasks] == [
        (("区城管局",), ("区住建局",), "2024年底前"),
        (("区住建局",), (), None),
    ]
    assert any(d.message.startswith("文件为繁体字") for d in plan.doubts)


def test_a_simplified_text_is_left_as_it_is(tmp_path: Path):
    # Guard (holds on main too): a simplified plan using a character the table maps (显著, 著力) is not converted.
    plan = _plan(
        tmp_path,
        "简体.txt",
        "某市生态环境局2024年工作要点\n1.著力推进生活垃圾分类,成效显著提升,2024年底前完成。(市城管局牵头)\n",
    )
    assert plan.tasks[0].title.startswith("著力推进生活垃圾分类,成效显著提升")
    assert not any(d.message.startswith("文件为繁体字") for d in plan.doubts)


def test_a_notices_salutation_is_no_candidate_task(tmp_path: Path):
    # sh_jiading_haimian_2024: on main the addressees 「各镇人民政府,区政府相关委、办、局、街道办事处,…管委会:」 were
    # a candidate task led by 各镇人民政府.
    plan = _plan(
        tmp_path,
        "实施方案.txt",
        "某区海绵城市建设实施方案\n"
        "各镇人民政府,区政府相关委、办、局、街道办事处,某工业区管委会:\n"
        "区建设管理委拟定的实施方案已经区政府同意,现转发给你们,请认真按照执行。\n"
        "到2025年底,50平方公里以上建设用地面积达到海绵城市建设目标要求。\n",
    )
    assert not any(t.title.startswith("各镇人民政府") for t in plan.tasks)
    assert any("2025年底" in (t.deadline_raw or "") for t in plan.tasks)


# Round wild20: habits of the second set (tests/wild/batch2/) and the leftovers of round wild19.

_OUTLINE_PLAN = (
    "某市人民政府办公室关于印发某市“无废城市”建设实施方案的通知\n"
    "各区人民政府,市直有关单位:\n"
    "现将《某市“无废城市”建设实施方案》印发给你们,请认真组织实施。\n"
    "某市人民政府办公室\n"
    "2024年5月6日\n"
    "某市“无废城市”建设实施方案\n"
    "一、总体要求\n"
    "(一)指导思想。\n"
    "以习近平新时代中国特色社会主义思想为指导,推动固体废物减量化、资源化、无害化。\n"
    "(二)基本原则。\n"
    "1.统筹谋划、系统推进\n"
    "坚持全市一盘棋,统筹推进各类固体废物治理。\n"
    "2.问题导向、突出特色\n"
    "聚焦突出问题,补齐短板弱项。\n"
    "(三)工作目标。\n"
    "到2025年,固体废物产生强度稳步下降,综合利用水平明显提升。\n"
)


def test_outline_headings_and_the_points_under_them_are_no_tasks(tmp_path: Path):
    # hb_qianjiang_wufei_2024, sd_liaocheng_qu_wufei_2023, hi_zhenggai_fangan_2020 (and seven plans of the first
    # set): on main 指导思想, 工作目标 and the principles under 基本原则 were tasks awaiting a lead.
    plan = _plan(
        tmp_path,
        "实施方案.txt",
        _OUTLINE_PLAN + "二、主要任务\n"
        "(一)推进工业固体废物综合利用。到2025年底前,建成工业固废综合利用项目2个。\n"
        "(二)推行农业绿色生产。到2025年底前,秸秆综合利用率稳定在92%以上。\n",
    )
    assert [t.title for t in plan.tasks] == ["推进工业固体废物综合利用", "推行农业绿色生产"]


def test_a_plans_opening_without_its_tasks_is_refused_naming_what_was_read(tmp_path: Path):
    # The same pages cut by the store before their tasks: on main they were read as the headings alone; a plan
    # opening holds no task, and the refusal says what it did hold.
    path = tmp_path / "实施方案.txt"
    path.write_text(_OUTLINE_PLAN, encoding="utf-8")
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "实施方案.txt" in str(refused.value)
    assert "只读到方案开头的指导思想、基本原则、工作目标，其中没有任务" in str(refused.value)


def test_a_document_sites_upload_lines_are_no_task_and_its_title_runs_into_no_task(tmp_path: Path):
    # hb_huitoukan_zhenggai_jinzhan_2019: on main 上传人 was a task due on the upload date (上传时间:2022-08-05);
    # the site's 资源描述 line and the list's title run into its first section were next in line to be tasks.
    plan = _plan(
        tmp_path,
        "进展清单.txt",
        "某市垃圾分类问题整改进展清单\n"
        "\n"
        "上传人:Zh****g 文档编号:10293847 上传时间:2022-08-05 格式:DOCX 页数:12 大小:30.5KB\n"
        "返回 下载 相关 举报\n"
        "某市垃圾分类问题整改进展清单_第1页\n"
        "第1页 / 共12页\n"
        "资源描述\n"
        "某市垃圾分类问题整改进展清单一、关于“部分小区分类设施不全”的问题。整改进展情况:已经完成。"
        " 1.完善小区分类收集设施,2022年底前完成(市城管局负责)。\n",
    )
    assert [(t.title, t.owners_raw, t.deadline_raw) for t in plan.tasks] == [
        ("关于“部分小区分类设施不全”的问题", "市城管局负责", "2022年底前")
    ]


def test_a_number_left_alone_on_its_line_is_no_task(tmp_path: Path):
    # gx_nanning_canchu_zhaobiao_2012: on main 2、 alone on its line was a task without a name, and the loader
    # refused the whole file for it (第26行 任务名称：任务名称不能为空).
    plan = _plan(
        tmp_path,
        "任务分工.txt",
        "某县2024年垃圾分类工作任务分工\n"
        "1、推进垃圾分类设施建设,2024年底前完成。(县城管局牵头)\n"
        "2、\n"
        "3、开展垃圾分类宣传进社区活动,2024年6月底前完成。(县住建局牵头)\n"
        "4、\n",
    )
    assert [(t.number, t.owners_raw) for t in plan.tasks] == [("1", "县城管局牵头"), ("3", "县住建局牵头")]


def test_a_bid_notices_numbered_fields_are_no_tasks(tmp_path: Path):
    # gx_nanning_canchu_zhaobiao_2012: on main 项目名称, 项目编号 and 招标内容 were tasks awaiting a lead; a form's
    # field labels hold no task, and a notice of nothing but fields is no plan.
    path = tmp_path / "招标公告.txt"
    path.write_text(
        "某县生活垃圾转运站项目招标公告\n"
        "第一章 招标公告\n"
        "1、项目名称:\n"
        "某县生活垃圾转运站项目\n"
        "2、项目编号:\n"
        "ABC-2024-001\n"
        "3、招标内容:\n"
        "生活垃圾转运站一座及配套收运车辆\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "招标公告.txt" in str(refused.value)


def test_pinyin_printed_after_characters_is_no_part_of_a_name(tmp_path: Path):
    # cq_gaoxiao_yijianshi_fanti_2024: on main a mirror's pinyin with tones stayed in the titles (明确工作责(zé)任)
    # and split the owners' names (负(fù)责), so no task had an owner.
    plan = _plan(
        tmp_path,
        "通知.txt",
        "各區(qū)縣(自治縣)人民政府,市政府各部門,有關(guān)單位:\n"
        "《某市重點(diǎn)事項(xiàng)工作任務(wù)》已經(jīng)市政府同意,現(xiàn)印發(fā)給你們,請認(rèn)真貫徹執(zhí)行。\n"
        "一、明確工作責(zé)任。市政府辦公廳負(fù)責(zé)統籌推進(jìn)工作,2024年底前完成。\n"
        "二、完善推進(jìn)機制。市大數(shù)據(jù)發(fā)展局負(fù)責(zé)夯實(shí)平臺支撐能力,2024年6月底前完成。\n",
    )
    assert [(t.title, t.owners_raw) for t in plan.tasks] == [
        ("明确工作责任", "市政府办公厅负责"),
        ("完善推进机制", "市大数据发展局负责"),
    ]


def test_sentence_pieces_ending_like_units_name_no_owner(tmp_path: Path):
    # ln_dawa_fenjie_2021, js_qidong_shenji_zhenggai_news_2024, sc_hongyuan_huiyi_2021: on main a paragraph read
    # as a candidate task was led by 在充分征求区政府, by 某市政府办公室召集该市纪委 and by 县委常委 (a seat, not a
    # unit), each with a doubt.
    plan = _plan(
        tmp_path,
        "推进情况.txt",
        "某区2021年重点工作推进情况\n"
        "为全面完成各项工作任务,在充分征求区政府、经济园区主要领导意见后,2021年底前完成任务分解。\n"
        "近日,某市政府办公室召集该市纪委、审计局召开专题推进会,2021年底前完成整改。\n"
        "县委常委、政法委书记张某某主持会议,县住建局负责推进乱搭乱建整治,2021年10月底前完成。\n",
    )
    owners = " ".join(t.owners_raw or "" for t in plan.tasks)
    assert "县住建局" in owners
    assert not any(piece in owners for piece in ("在充分征求", "召集", "县委常委"))


def test_bars_a_copy_printed_for_left_out_cells_name_no_owner(tmp_path: Path):
    # zj_zhoushan_ljfl_fenjie_2018: on main the `||` a law database's copy printed for a row's two merged cells (its
    # group and its overall lead) was a supporting unit of three tasks.
    plan = _plan(
        tmp_path,
        "任务分解表.txt",
        "某市垃圾分类工作任务分解表\n"
        "序号 |\n工作任务 |\n主要工作内容 |\n完成时间 |\n总牵头单位 |\n分项牵头单位 |\n参与单位 |\n"
        "1 |\n源头减量 |\n开展过度包装专项治理。 |\n2018年 |\n市城管局 |\n市发改委 |\n市商务局、市市场监管局 |\n"
        "2 |\n开展净菜进城试点。 |\n2018年 |\n市市场监管局 |\n市供销社 |\n||\n"
        "3 |\n推行绿色快递包装。 |\n2019年 |\n市邮政管理局 |\n市商务局 |\n||\n",
    )
    owners = [name for t in plan.tasks for name in (*(t.leads or ()), *(t.supporting or ()))]
    assert owners and not any("|" in name for name in owners)


def test_an_ascii_full_stop_closing_a_run_together_tables_task_is_no_part_of_its_name(tmp_path: Path):
    # Left from round wild19 (a township's duty list run together on one line): on main the titles kept their
    # ASCII full stop (组织安全生产检查.).
    plan = _plan(
        tmp_path,
        "职责清单.txt",
        "附件 某镇安全生产工作职责清单 工作任务 牵头单位 配合单位 完成时限 "
        "组织安全生产检查. 镇安监办 镇派出所 每季度一次 "
        "开展应急演练. 镇应急办 6月底前 "
        "排查燃气隐患. 镇城建办 镇市场监管所 持续开展\n",
    )
    assert [t.title for t in plan.tasks] == ["组织安全生产检查", "开展应急演练", "排查燃气隐患"]


def test_each_levels_responsibility_column_gives_that_levels_owners(tmp_path: Path):
    # Left from round wild19: on main only the 省级 column was read, the 市级 and 县级 columns were put in the
    # task's content as columns meaning the same as the first.
    plan = _plan(
        tmp_path,
        "任务分工表.txt",
        "某省“无废城市”建设任务分工表\n"
        "序号\t重点任务\t省级责任单位\t市级责任单位\t县级责任单位\t完成时限\n"
        "1\t推进工业固废综合利用\t省工业和信息化厅（牵头）、省生态环境厅\t市工信局（牵头）、市生态环境局\t县工信局\t2025年底前\n"
        "2\t推行垃圾分类\t省住房城乡建设厅\t市城管局（牵头）、市住建局\t县城管局、县住建局\t2024年底前\n",
    )
    assert [(t.leads, t.supporting) for t in plan.tasks] == [
        (("省工业和信息化厅", "市工信局", "县工信局"), ("省生态环境厅", "市生态环境局")),
        (("省住房城乡建设厅", "市城管局", "县城管局"), ("市住建局", "县住建局")),
    ]
    assert not any(d.field == "column" for d in plan.doubts)


def test_contents_lines_without_leaders_and_a_plans_status_are_no_tasks_or_owners(tmp_path: Path):
    # sx_liulin_wufei_2024: on main a contents line printed without leaders (附件1 …指标体系32) was a task, and the
    # notice's lines a task led by 试行, the (试行) of the plan's title (试行 only ends like a bank's name).
    text = (
        "某政办发〔2024〕53号\n"
        "某县人民政府办公室\n"
        "关于印发某县“无废城市”建设实施方案\n"
        "(试行)的通知\n"
        "各乡(镇)人民政府,县直有关单位:\n"
        "《某县“无废城市”建设实施方案(试行)》已经县人民政府同意,现印发给你们,请认真贯彻执行。\n"
        "某县人民政府办公室\n"
        "2024年12月26日\n"
        "目 录\n"
        "一、总体要求5\n"
        "(一)指导思想 5\n"
        "(二)建设目标7\n"
        "二、主要任务7\n"
        "附件1 某县“无废城市”建设指标体系32\n"
        "某县“无废城市”建设实施方案(试行)\n"
        "为深入贯彻落实习近平生态文明思想,加快形成绿色发展方式和生活方式,结合\n"
    )
    path = tmp_path / "实施方案.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportError_):  # the store cut it before its tasks: nothing in it is a task
        read_source(path)
    tasks = "实际,制定本方案。\n二、主要任务\n1.推进工业固废综合利用,2025年底前建成项目2个。\n"
    path.write_text(text + tasks, encoding="utf-8")
    [plan] = read_source(path).plans
    assert [(t.title, t.owners_raw) for t in plan.tasks] == [("推进工业固废综合利用,2025年底前建成项目2个", None)]


def test_a_pages_information_box_cell_by_cell_is_no_title(tmp_path: Path):
    # zj_dongliu_jiedao_zongjie_2024: on main the plan was titled 组配分类|计划总结|发布机构|东柳街道|, a row of
    # the page's information box; the title is the cell closed by its bar below it.
    plan = _plan(
        tmp_path,
        "工作安排.txt",
        "索引号 | K16059504/2024-117342 | ||\n"
        "组配分类 | 计划总结 | 发布机构 | 某街道 |\n"
        "生成日期 | 2024-03-21 | 公开方式 | 主动公开 |\n"
        "某街道2024年重点工作安排 |\n"
        "发布日期: 2024-03-21 11:04 信息来源: 某街道 |\n"
        "1.推进垃圾分类设施建设,2024年底前完成。(街道城管办负责)\n",
    )
    assert plan.title == "某街道2024年重点工作安排"


def test_a_portals_column_name_above_the_title_is_no_part_of_it(tmp_path: Path):
    # cq_dazu_wancheng_2024: on main the title was 网站专栏2023年度政府工作报告重点工作完成情况, the portal's menu
    # word taken for a piece of the title broken off before it.
    plan = _plan(
        tmp_path,
        "完成情况.txt",
        "网站专栏\n"
        "首页 走进某区 政务公开 政务服务\n"
        "您当前的位置: 首页>政务公开>政府工作报告\n"
        "\n"
        "2023年度政府工作报告重点工作完成情况\n"
        "\n"
        "日期:2024-05-29\n"
        "1.实现工业投资增长20%以上,2023年底前完成。(区经济信息委负责)\n",
    )
    assert plan.title == "2023年度政府工作报告重点工作完成情况"


def test_more_sentence_pieces_ending_like_units_name_no_owner(tmp_path: Path):
    # nx_lingwu_zhenggai_news, xz_lasa_zfgzbg_fanti_2021, nx_ducha_zhenggai_fanti_2018, zj_ningbo_shenji_zhenggai_2023:
    # on main candidate paragraphs were led by 与灵武市人民政府, 我代表市人民政府, 各有关部门认真落实自治区党委 and
    # 能够履行 (from 市级牵头部门,能够履行牵头抓总责任: 履行 only ends like 银行), each with a doubt.
    plan = _plan(
        tmp_path,
        "进展情况.txt",
        "某市整改工作进展情况\n"
        "市发展改革委备时间表:与某市人民政府在2024年7月15日之前完成报告书编制。\n"
        "现在,我代表市人民政府,向大会报告政府工作,2024年底前完成各项任务。\n"
        "全区各地、各有关部门认真落实自治区党委、政府的安排部署,2024年底前完成整改。\n"
        "市级牵头部门,能够履行牵头抓总责任,按时汇总反馈结果,2024年底前完成。\n"
        "县住建局负责推进违建整治,2024年10月底前完成。\n",
    )
    owners = " ".join(t.owners_raw or "" for t in plan.tasks)
    assert "县住建局" in owners
    assert not any(piece in owners for piece in ("与某市", "我代表", "认真落实", "能够履行"))
    assert owners_in_sentences("市级牵头部门,能够履行牵头抓总责任,纵横协调推进") is None


def test_a_unit_whose_requirement_is_followed_is_no_owner(tmp_path: Path):
    # sc_guangyuan_anquan_2024: on main the plan's preamble was a candidate task led by 市政府, read from
    # 全面落实市委、市政府要求 (要求 is a noun: the units asked nothing of anyone here), with no doubt on the lead.
    plan = _plan(
        tmp_path,
        "行动方案.txt",
        "某市安全生产三年行动方案\n"
        "为认真贯彻落实省委、省政府决策部署,全面落实市委、市政府要求,进一步夯实安全生产工作基础,制定本方案。\n"
        "市应急局负责开展隐患排查整治,2024年底前完成。\n",
    )
    assert [t.owners_raw for t in plan.tasks] == ["市应急局"]


def test_a_title_over_three_lines_is_read_whole(tmp_path: Path):
    # sn_foping_jianyi_tiaoan_2024: on main the title was its last line, 「和政协提案办理工作的通知」: the line before,
    # opening with 关于, was passed over for a next line that reads as a title of its own.
    plan = _plan(
        tmp_path,
        "通知.txt",
        "某县人民政府办公室\n"
        "关于认真做好2024年度市人大代表建议\n"
        "和政协提案办理工作的通知\n"
        "各涉关单位:\n"
        "(一)按时办结。8月5日前所有建议提案全部办结,县住建局负责汇总。\n",
    )
    assert plan.title == "关于认真做好2024年度市人大代表建议和政协提案办理工作的通知"


def test_a_date_line_a_speech_line_and_a_menu_word_are_no_title(tmp_path: Path):
    # xz_zfgzbg_jiedu_2018, nx_ducha_qidong_news_2024: on main, nothing reading as a title, the first line that could
    # be one stood for it: the site's date line 「2018年06月14日 星期四」, its menu word 「资讯中心」.
    dated = _plan(
        tmp_path,
        "解读.txt",
        "2018年06月14日 星期四\n"
        "首页 > 聚焦两会\n"
        "解读《2018年政府工作报告》\n"
        "1月24日下午,某区人民政府新闻办公室组织召开发布会,2018年底前完成宣传。\n",
    )
    assert dated.title == "解读《2018年政府工作报告》"
    menu = _plan(
        tmp_path,
        "资讯.txt",
        "资讯中心\n某区启动第三轮生态环境保护督察\n某区生态环境局要求3月15日前各督察组完成进驻。\n",
    )
    assert menu.title == "某区启动第三轮生态环境保护督察"
    spoken = _plan(
        tmp_path,
        "报告.txt",
        "—2021年11月22日在某市第十二届人民代表大会第一次会议上\n"
        "某市政府工作报告摘要\n"
        "市住建局负责推进城市更新,2022年底前完成。\n",
    )
    assert spoken.title == "某市政府工作报告摘要"


def test_a_list_naming_cells_under_their_categories_gives_each_categorys_count(tmp_path: Path):
    # gs_lanzhou_wufeixibao_2024: on main the 13 named 无废城市细胞 were 13 tasks awaiting a lead and a deadline, the
    # office's signature run into the last name (…金科路社区兰州市“无废城市”建设).
    plan = _plan(
        tmp_path,
        "公告.txt",
        "某市第七批“无废城市细胞”命名公告\n"
        "现将具备命名条件的“无废城市细胞”名单(排名不分先后)公告如下:\n"
        "一、“无废机关”2个:\n"
        "1. 某区建设局\n"
        "2. 某县公安局\n"
        "二、“无废企业 ”1个:\n"
        "1. 某某能源有限公司\n"
        "三、“无废社区”2个:\n"
        "1.某街道南社区\n"
        "2.某镇北社区\n"
        "某市“无废城市”建设\n"
        "领导小组办公室\n"
        "2024年5月8日\n",
    )
    assert plan.tasks == []
    counts = [(c.category, c.count_raw) for c in plan.cells]
    assert counts == [("无废机关", "2个"), ("无废企业", "1个"), ("无废社区", "2个")]


def test_tasks_under_a_cell_category_heading_stay_tasks(tmp_path: Path):
    # review21c: under 二、“无废机关”10个： a plan's numbered tasks (a date, an owner) were taken for cell names and
    # dropped without a doubt (4 tasks on ef463c2, 1 after the rule above).
    plan = _plan(
        tmp_path,
        "方案.txt",
        "某市2025年无废城市细胞建设工作方案\n"
        "一、工作目标\n"
        "全年建成各类无废城市细胞30个。\n"
        "二、“无废机关”10个：\n"
        "1. 2025年6月底前建成市直机关无废机关5个。（责任单位：市机关事务管理局）\n"
        "2. 2025年9月底前建成县级机关无废机关3个。（责任单位：各县区人民政府）\n"
        "3. 2025年12月底前建成乡镇机关无废机关2个。（责任单位：市委组织部）\n",
    )
    assert len(plan.tasks) == 3 and all("无废机关" in task.title for task in plan.tasks)
    assert plan.tasks[0].leads == ("市机关事务管理局",)


def test_a_notices_addressee_line_is_no_title(tmp_path: Path):
    # cq_gaoxiao_yijianshi_fanti_2024 (round wild20's leftover): on main a page without its title line was titled by
    # its addressee line 「各区县(自治县)人民政府,市政府各部门,有关单位:」; the notice names what it publishes in its
    # first sentence (《…工作任务》已经市政府同意,现印发给你们).
    published = _plan(
        tmp_path,
        "通知.txt",
        "各区县(自治县)人民政府,市政府各部门,有关单位:\n"
        "《某市“高效办成一件事”重点事项常态化推进实施工作任务》已经市政府同意,现印发给你们,请认真贯彻执行。\n"
        "一、明确工作责任。市政府办公厅负责统筹推进,2024年底前完成。\n",
    )
    assert published.title == "某市“高效办成一件事”重点事项常态化推进实施工作任务"
    unnamed = _plan(
        tmp_path,
        "要求.txt",
        "各区县(自治县)人民政府,市政府各部门,有关单位:\n"
        "为做好某市营商环境工作,现提出如下要求,请认真贯彻执行。\n"
        "一、明确工作责任。市政府办公厅负责统筹推进,2024年底前完成。\n",
    )
    assert not unnamed.title.startswith("各区县")


def test_a_cell_a_line_tables_last_row_cut_short_lacks_its_last_cells(tmp_path: Path):
    # cq_shapingba_ducha_2021q1 (round wild20's leftover): the store cut the table inside its last row
    # (3 | 工业增加值增长8% | 区经济信息委, no 进展情况); on main the row was read as lacking its 预期目标, so it
    # repeated the row above's target and was led by 「工业增加值增长8%」.
    plan = _plan(
        tmp_path,
        "进展情况.txt",
        "某区2021年一季度经济社会发展预期目标任务进展情况表\n"
        "序号 |\n预期目标 |\n责任单位 |\n进展情况 |\n"
        "1 |\n地区生产总值增长6%以上 |\n区发展改革委 |\n预计一季度GDP增长20%左右。 |\n"
        "2 |\n固定资产投资总额增长8% |\n区发展改革委 |\n预计一季度投资增速20%左右。 |\n"
        "3 |\n工业增加值增长8% |\n区经济信息委\n",
    )
    assert [(t.title, t.owners_raw) for t in plan.tasks][-1] == ("工业增加值增长8%", "区经济信息委")


def test_a_notices_requirements_are_no_tasks_and_the_notice_alone_is_refused_saying_so(tmp_path: Path):
    # ah_bozhou_fenjie_2025, gs_fenjie_tongzhi_2025, fj_shishi_fenjie_fanti_2025, zj_hangzhou_fenjie_2020 (and
    # hb_wuhan_zerenfenjie_2024, hn_huarong_zhongdian_2021 of the first set): on main a notice publishing a task
    # division whose table is an attachment gave its requirements (一、强化责任意识… 各地各单位要…) as tasks awaiting
    # a lead.
    path = tmp_path / "分解通知.txt"
    path.write_text(
        "某市人民政府办公室关于印发2025年政府工作报告主要目标任务分解的通知\n"
        "各县、区人民政府,市政府各部门:\n"
        "2025年《政府工作报告》已经市人大审议通过,现将主要目标任务分解下发,请认真抓好落实。\n"
        "一、强化责任意识,以讲政治高度抓落实。《政府工作报告》是全年工作的军令状,各地各单位要进一步增强责任感。\n"
        "二、细化工作措施,以钉钉子精神抓落实。各牵头单位要对照分解表,科学制定工作方案,细化措施。\n"
        "附件:2025年政府工作报告主要目标任务分解表\n"
        "某市人民政府办公室\n"
        "2025年1月14日\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "通知的工作要求" in str(refused.value) and "附件" in str(refused.value)


def test_rows_under_a_merged_task_and_overall_lead_read_each_column_in_place(tmp_path: Path):
    # zj_zhoushan_ljfl_fenjie_2018 (round wild19's leftover): under a merged 工作任务 and 总牵头单位 the copy prints
    # each row's cells, then `||` for the two merged ones; on main the rows read one column shifted (the item's lead
    # in 总牵头单位, its 参与单位 list lost to 责任单位's place).
    plan = _plan(
        tmp_path,
        "分解表.txt",
        "某市城镇生活垃圾分类工作任务分解表\n"
        "序 号 |\n工作 任务 |\n主要工作内容 |\n完成时间 |\n总牵头 单位 |\n分项 牵头单位 |\n参与单位 |\n责任单位 |\n"
        "1 |\n源头减量专项行动 |\n到2020年底,全市生活垃圾总量实现零增长。 |\n2020年 |\n市城市管理局 |\n"
        "市城市管理局 |\n市分类工作领导小组成员单位 |\n各县(区)政府 |\n"
        "2 |\n开展过度包装专项治理。 |\n2018年 |\n市发改委 |\n市商务局、市市场监管局 |\n各县(区)政府 |\n||\n"
        "3 |\n开展净菜进城试点。 |\n2018年 |\n市市场监管局 |\n市农业农村局、市供销社 |\n各县(区)政府 |\n||\n",
    )
    rows = [(owners["leads"], owners["supporting"]) for owners in map(owners_of, plan.tasks)]
    assert rows == [
        (("市城市管理局",), ("市分类工作领导小组成员单位", "各县（区）政府")),
        (("市发改委",), ("市商务局", "市市场监管局", "各县（区）政府")),
        (("市市场监管局",), ("市农业农村局", "市供销社", "各县（区）政府")),
    ]


def test_a_menus_about_us_is_no_part_of_the_title_under_it(tmp_path: Path):
    # review21c: a site's 关于我们 line was joined to the real title under it (关于我们兰州市人民政府关于做好…的通知).
    plan = _plan(
        tmp_path,
        "通知.txt",
        "首页\n关于我们\n某市人民政府关于做好2025年无废城市建设重点工作的通知\n"
        "一、推进工业固废综合利用。市工业和信息化局负责，2025年底前完成。\n",
    )
    assert plan.title == "关于做好2025年无废城市建设重点工作的通知"


def test_a_target_for_all_kinds_of_parks_is_no_requirement_made_of_everyone(tmp_path: Path):
    # review21c: 各类工业园区…要达到80%以上 (各类 names no unit) made a published plan's items read as requirements
    # of everyone, and the plan as a notice whose table is an attachment.
    plan = _plan(
        tmp_path,
        "通知.txt",
        "某市人民政府办公室关于印发某市无废城市建设实施方案的通知\n"
        "现将《某市无废城市建设实施方案》印发给你们，请认真贯彻执行。\n"
        "1.到2025年，各类工业园区固废综合利用率要达到80%以上。\n"
        "2.到2025年，各项再生资源回收体系要覆盖全部乡镇。\n"
        "3.到2025年，各种建筑垃圾资源化利用率要达到50%。\n",
    )
    assert len(plan.tasks) == 3
