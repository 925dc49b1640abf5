"""Write wufei/importers/text/traditional.txt from OpenCC's character table (how the shipped file was made).

    python3 -m venv /tmp/opencc && /tmp/opencc/bin/pip install opencc-purepy==1.5.0
    /tmp/opencc/bin/python scripts/traditional_from_opencc.py > wufei/importers/text/traditional.txt

OpenCC's TSCharacters.txt (Apache-2.0) maps each traditional character to its simplified forms. Kept: the
characters with one simplified form that are not themselves simplified characters in use (STCharacters.txt
lists those: 著 of 显著, 乾 of 乾坤, 於 the surname stay as they are), so a simplified text has none of them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import opencc_purepy  # type: ignore[import-not-found]

HEADER = """\
# Traditional Chinese characters and their simplified form, one pair a line, parted by a tab.
# Source: OpenCC's TSCharacters.txt (Apache-2.0, https://github.com/BYVoid/OpenCC), as shipped in the PyPI
# package opencc-purepy 1.5.0: only characters with one simplified form that are not simplified characters
# themselves (STCharacters.txt's keys). Regenerate with scripts/traditional_from_opencc.py.
"""


def pairs() -> list[tuple[str, str]]:
    folder = Path(opencc_purepy.__file__).parent / "dicts"
    simplified_in_use = {
        line.split("\t")[0] for line in (folder / "STCharacters.txt").read_text(encoding="utf-8").splitlines() if line
    }
    found = []
    for line in (folder / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        traditional, targets = line.split("\t")
        forms = targets.split()
        one_form = len(forms) == 1 and forms[0] != traditional
        if len(traditional) == 1 and one_form and traditional not in simplified_in_use:
            found.append((traditional, forms[0]))
    return sorted(found)


def main() -> None:
    sys.stdout.write(HEADER)
    for traditional, simplified in pairs():
        sys.stdout.write(f"{traditional}\t{simplified}\n")


if __name__ == "__main__":
    main()
