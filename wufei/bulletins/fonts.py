"""A font with Chinese glyphs for matplotlib, however the machine got it.

The charts take the first of `CJK_FAMILIES` matplotlib knows. Two ways in:
- the Noto Sans CJK collection shipped as a Python package (`noto-cjk-sans-otc`, SIL OFL 1.1; the
  very file Debian's fonts-noto-cjk installs), registered by path on every start, so a fresh
  virtualenv draws Chinese with no system font and no font cache involved;
- the system's fonts, as matplotlib lists them in its cache (`fontlist-v*.json` under
  `MPLCONFIGDIR` or `~/.cache/matplotlib`). matplotlib never notices fonts installed after it wrote
  that cache, so a cache older than any font directory is rebuilt, and so is one that knows no
  CJK family at all, before `FontError` is raised.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path

import matplotlib
from matplotlib import font_manager

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)
SHIPPED_FONT_PACKAGE = "noto_cjk_sans_otc"

log = logging.getLogger(__name__)


class FontError(RuntimeError):
    """No font with Chinese glyphs is known to matplotlib."""


def cache_file() -> Path:
    return Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"


def font_directories() -> list[Path]:
    """Where matplotlib looks for system fonts on this platform."""
    if sys.platform == "darwin":
        names = font_manager.OSXFontDirectories
    elif sys.platform == "win32":
        names = font_manager.MSUserFontDirectories + [os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts")]
    else:
        names = font_manager.X11FontDirectories
    return [Path(name) for name in names if os.path.isdir(name)]


def newest_font_change(directories: list[Path]) -> float:
    """The latest modification time of any font directory: installing a font file touches its directory."""
    newest = 0.0
    for top in directories:
        for folder, _, _ in os.walk(top):
            newest = max(newest, os.stat(folder).st_mtime)
    return newest


def cache_is_stale(cache: Path | None = None, directories: list[Path] | None = None) -> bool:
    """The font list cache was written before the newest font was installed."""
    cache = cache or cache_file()
    if not cache.exists():
        return False  # matplotlib has just built it, or could not write it
    return cache.stat().st_mtime < newest_font_change(font_directories() if directories is None else directories)


def rebuild_font_list() -> None:
    """Scan the system's fonts again and rewrite the cache, in place: the Agg backend holds on to
    the `fontManager` object itself."""
    log.info("rebuilding matplotlib's font list (%s)", cache_file())
    fresh = font_manager.FontManager()
    font_manager.json_dump(fresh, cache_file())
    vars(font_manager.fontManager).update(vars(fresh))
    # findfont's answers are cached per manager object; matplotlib clears them the same way.
    font_manager.fontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]


def shipped_font() -> Path | None:
    """The font file of the Python package, when it is installed."""
    if importlib.util.find_spec(SHIPPED_FONT_PACKAGE) is None:
        return None
    package = importlib.import_module(SHIPPED_FONT_PACKAGE)
    path = Path(str(package.FONT_PATH))
    return path if path.is_file() else None


def register_shipped_font() -> Path | None:
    path = shipped_font()
    if path is not None and all(entry.fname != str(path) for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return path


def known_cjk_family(families: tuple[str, ...] = CJK_FAMILIES) -> str | None:
    for family in families:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


def cjk_family(families: tuple[str, ...] = CJK_FAMILIES) -> str:
    """The first of `families` matplotlib can draw, after refreshing a stale font list."""
    if cache_is_stale():
        rebuild_font_list()
    register_shipped_font()
    family = known_cjk_family(families)
    if family is None:
        rebuild_font_list()
        register_shipped_font()
        family = known_cjk_family(families)
    if family is None:
        raise FontError(
            "找不到可显示中文的字体，图表无法生成。请重新安装 wufei 的依赖（含 noto-cjk-sans-otc 字体包），"
            "或安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk）或任一字体：" + "、".join(families)
        )
    return family
