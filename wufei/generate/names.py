"""Names a generated province is made of: real department names of a Chinese city government,
county-level units made up from common place-name syllables, and the cities of a province.

Plain data; the generator picks from it with its own seeded random source."""

from __future__ import annotations

import random

# 市直部门 as they sign Zero-Waste City plans, with the short forms documents use (aliases).
CITY_BUREAUS: list[tuple[str, tuple[str, ...]]] = [
    ("市生态环境局", ("市环保局",)),
    ("市发展和改革委员会", ("市发展改革委", "市发改委")),
    ("市工业和信息化局", ("市工信局",)),
    ("市住房和城乡建设局", ("市住房城乡建设局", "市住建局")),
    ("市城市管理综合行政执法局", ("市城管综合行政执法局", "市城管局")),
    ("市农业农村局", ()),
    ("市商务局", ()),
    ("市市场监督管理局", ("市市场监管局",)),
    ("市卫生健康委员会", ("市卫生健康委", "市卫健委")),
    ("市自然资源和规划局", ("市自然资源规划局",)),
    ("市科学技术局", ("市科技局",)),
    ("市财政局", ()),
    ("市教育局", ()),
    ("市交通运输局", ()),
    ("市水利局", ()),
    ("市公安局", ()),
    ("市应急管理局", ()),
    ("市统计局", ()),
    ("市文化广电和旅游局", ("市文化和旅游局", "市文旅局")),
    ("市机关事务管理局", ("市机关事务局",)),
    ("市邮政管理局", ()),
    ("市供销合作社", ("市供销社",)),
    ("市司法局", ()),
    ("市行政审批局", ()),
    ("市乡村振兴局", ()),
    ("市林业局", ()),
    ("市人力资源和社会保障局", ("市人社局",)),
    ("市民政局", ()),
    ("市国有资产监督管理委员会", ("市国资委",)),
    ("市地方金融监督管理局", ("市地方金融监管局",)),
    ("市税务局", ()),
    ("市委宣传部", ()),
    ("市委组织部", ()),
    ("市总工会", ()),
    ("团市委", ()),
    ("市妇联", ("市妇女联合会",)),
    ("市政务服务管理办公室", ("市政务服务办",)),
    ("市数据和政务服务局", ("市数据局",)),
]

_FIRST = "东西南北中新安平永长青白金兴宁丰临清华福泰和德仁武文"
_SECOND = "湖山河城江阳宁丰林原州川台溪桥源水泉岭阴昌乐陵"


def county_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` county-level governments (区/县/县级市人民政府), names not in `taken` (and added to it)."""
    names: list[str] = []
    while len(names) < count:
        stem = rng.choice(_FIRST) + rng.choice(_SECOND)
        suffix = rng.choices(("区", "县", "市"), weights=(4, 5, 1))[0]
        name = f"{stem}{suffix}人民政府"
        if stem in taken or name in taken:
            continue
        taken.add(stem)
        names.append(name)
    return names


def city_name(rng: random.Random, taken: set[str]) -> str:
    """A made-up prefecture-level city name (for the national list), unique within `taken`."""
    while True:
        stem = rng.choice(_FIRST) + rng.choice(_SECOND)
        if stem not in taken:
            taken.add(stem)
            return f"{stem}市"


# A province with 14 prefecture-level units (湖南省: 13 cities and one autonomous prefecture).
PROVINCE = "湖南省"
PROVINCE_KEY = "hunan"
PROVINCE_CITIES = [
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "张家界市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "湘西土家族苗族自治州",
]
# The one-character abbreviation a city's document numbers begin with (长政办发〔2022〕…).
CITY_ABBREVIATIONS = {
    "长沙市": "长",
    "株洲市": "株",
    "湘潭市": "潭",
    "衡阳市": "衡",
    "邵阳市": "邵",
    "岳阳市": "岳",
    "常德市": "常",
    "张家界市": "张",
    "益阳市": "益",
    "郴州市": "郴",
    "永州市": "永",
    "怀化市": "怀",
    "娄底市": "娄",
    "湘西土家族苗族自治州": "州",
}

# The national list: provinces other than the shipped registries' (河北省) and the province above.
NATIONAL_PROVINCES = [
    "北京市",
    "天津市",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "新疆生产建设兵团",
]
