"""Charts draw Chinese however the machine got its font, even behind a matplotlib font cache
written before the font existed. Each case runs in a fresh interpreter with its own MPLCONFIGDIR,
as a first `make demo` and a later `make test` would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from wufei.bulletins import fonts

LONG_AGO = 946_684_800  # 2000-01-01: older than any font directory

DRAW = """
import json, sys, warnings
from wufei.bulletins import fonts
if sys.argv[1] == "system-only":
    fonts.SHIPPED_FONT_PACKAGE = "no_such_font_package"  # a machine without the font package
warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a warning: make it fail
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from wufei.bulletins import charts
rows = [{"name": "衡水市生态环境局", "done": 1, "green": 2, "yellow": 0, "red": 1}]
png = charts.lights_by_unit.__wrapped__("各单位红黄绿灯", rows)
family = charts.cjk_font()
path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
print(json.dumps({"family": family, "path": path, "glyph": FT2Font(path).get_char_index(ord("衡")), "png": len(png)}))
"""


def _stale_cache(config_dir: Path, *, mtime: float) -> Path:
    """matplotlib's font list as a run before any CJK font was installed would have written it."""
    manager = font_manager.FontManager.__new__(font_manager.FontManager)
    vars(manager).update(vars(font_manager.fontManager))
    manager.ttflist = [entry for entry in manager.ttflist if not _is_cjk(entry.name)]
    manager.afmlist = list(manager.afmlist)
    cache = config_dir / f"fontlist-v{font_manager.FontManager.__version__}.json"
    font_manager.json_dump(manager, cache)
    os.utime(cache, (mtime, mtime))
    return cache


def _is_cjk(name: str) -> bool:
    return "CJK" in name or name in fonts.CJK_FAMILIES


def _draw(config_dir: Path, mode: str) -> dict:
    env = {**os.environ, "MPLCONFIGDIR": str(config_dir)}
    done = subprocess.run(
        [sys.executable, "-c", DRAW, mode], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cached_families(cache: Path) -> set[str]:
    return {entry["name"] for entry in json.loads(cache.read_text(encoding="utf-8"))["ttflist"]}


def _system_has_cjk_font() -> bool:
    """Asked of the font files themselves, not of this process's (maybe stale) font list."""
    for path in font_manager.findSystemFonts():
        try:
            if FT2Font(path).get_char_index(ord("衡")):
                return True
        except (OSError, RuntimeError):
            continue
    return False


SYSTEM_FONT = "make test installs fonts-noto-cjk (scripts/system-packages.sh)"


def test_the_shipped_font_draws_chinese_behind_a_cache_that_knows_no_cjk_font(tmp_path):
    cache = _stale_cache(tmp_path, mtime=LONG_AGO)
    drawn = _draw(tmp_path, "shipped")
    assert drawn["family"] == "Noto Sans CJK SC" and drawn["glyph"] > 0 and drawn["png"] > 1000
    assert any(_is_cjk(name) for name in _cached_families(cache)) == _system_has_cjk_font()


def test_a_cache_older_than_the_font_directories_is_rebuilt(tmp_path):
    assert _system_has_cjk_font(), SYSTEM_FONT
    cache = _stale_cache(tmp_path, mtime=LONG_AGO)
    assert fonts.cache_is_stale(cache) and not any(_is_cjk(name) for name in _cached_families(cache))
    drawn = _draw(tmp_path, "system-only")
    assert drawn["glyph"] > 0 and not drawn["path"].startswith(sys.prefix)  # the system's font, found again
    assert any(_is_cjk(name) for name in _cached_families(cache))
    assert not fonts.cache_is_stale(cache)


def test_a_recent_cache_that_knows_no_cjk_font_is_not_trusted_either(tmp_path):
    assert _system_has_cjk_font(), SYSTEM_FONT
    # A font copied in with its old timestamps leaves the directories' times alone.
    cache = _stale_cache(tmp_path, mtime=fonts.newest_font_change(fonts.font_directories()) + 60)
    assert not fonts.cache_is_stale(cache)
    drawn = _draw(tmp_path, "system-only")
    assert drawn["glyph"] > 0 and any(_is_cjk(name) for name in _cached_families(cache))


def test_a_font_directory_changed_after_the_cache_makes_it_stale(tmp_path):
    cache = tmp_path / "fontlist.json"
    cache.write_text("{}", encoding="utf-8")
    folder = tmp_path / "fonts" / "truetype"
    folder.mkdir(parents=True)
    os.utime(cache, (LONG_AGO, LONG_AGO))
    assert fonts.cache_is_stale(cache, [tmp_path / "fonts"])
    os.utime(folder, (LONG_AGO - 60, LONG_AGO - 60))
    os.utime(tmp_path / "fonts", (LONG_AGO - 60, LONG_AGO - 60))
    assert not fonts.cache_is_stale(cache, [tmp_path / "fonts"])
