"""click's own words in Chinese for `wufei`: usage, help sections, the help option, and its errors.

click writes English where wufei's text ends (`Usage:`, `Options:`, `Show this message and exit.`,
`Error: No such option`, `Missing argument`). It translates through the process-wide gettext domain,
which would need a compiled catalog and the user's locale; instead, the `wufei` commands use a context
whose help formatter writes Chinese (`ChineseContext`), and the root group turns every click error
into `ChineseError`, which click shows as it shows its own (same stream, same exit code) in Chinese.
The English texts translated are click's own templates (`_MESSAGES`), matched whole; anything else
(wufei's own messages, already Chinese) is shown as it is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import IO, Any

import click
from click.formatting import wrap_text

_SECTIONS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}

# click's English templates (click/types.py, parser.py, core.py, exceptions.py) and their Chinese, whole texts.
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern, re.S), chinese)
    for pattern, chinese in (
        (r"'(.*)' is not a valid integer(?: range)?\.", r"「\1」不是有效的整数。"),
        (r"'(.*)' is not a valid float(?: range)?\.", r"「\1」不是有效的数字。"),
        (r"'(.*)' is not a valid UUID\.", r"「\1」不是有效的 UUID。"),
        (r"'(.*)' is not a valid boolean\. Recognized values: (.*)", r"「\1」不是有效的是/否值，可用：\2"),
        (r"(.+) is not in the range (.+)\.", r"\1 不在范围 \2 内。"),
        (r"'(.*)' is not (?:one of )?(.*)\.", r"「\1」不是可选值，可选：\2。"),
        (r"'(.*)' does not match the formats? (.*)\.", r"「\1」不符合格式 \2。"),
        (r"(?:File|Directory|Path|file|directory|path) '(.*)' does not exist\.", r"「\1」不存在。"),
        (r"(?:File|Directory|Path|file|directory|path) '(.*)' is a file\.", r"「\1」是文件，应为文件夹。"),
        (r"(?:File|Directory|Path|file|directory|path) '(.*)' is a directory\.", r"「\1」是文件夹，应为文件。"),
        (r"(?:File|Directory|Path|file|directory|path) '(.*)' is not readable\.", r"「\1」无法读取。"),
        (r"(?:File|Directory|Path|file|directory|path) '(.*)' is not writable\.", r"「\1」无法写入。"),
        (r"Option '(.*)' requires an argument\.", r"选项 \1 需要一个值。"),
        (r"Option '(.*)' requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
        (r"Option '(.*)' does not take a value\.", r"选项 \1 不带值。"),
        (r"Argument '(.*)' takes (\d+) values\.", r"参数 \1 需要 \2 个值。"),
        (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
        (r"Missing command\.", "缺少子命令。"),
        (r"Choose from:\n\t(.*)", r"可选：\1"),
        (r"Value must be an iterable\.", "值应为多个。"),
        (r"Show this message and exit\.", "显示本帮助并退出。"),
        (r"Show the version and exit\.", "显示版本并退出。"),
    )
]
# The value a type's option takes, as click names it in the help (`--limit INTEGER`).
_METAVARS = {
    "INTEGER RANGE": "整数",
    "FLOAT RANGE": "数字",
    "INTEGER": "整数",
    "FLOAT": "数字",
    "TEXT": "文本",
    "PATH": "路径",
    "FILENAME": "文件",
    "FILE": "文件",
    "DIRECTORY": "文件夹",
    "BOOLEAN": "是/否",
    "UUID": "UUID",
    "DATETIME": "日期时间",
}
_METAVAR = re.compile(r"(?<= )(" + "|".join(_METAVARS) + r")(?=$|\.\.\.|,| )")
_EXTRAS = re.compile(r"\[(default|required|env var)(?:: ([^\]]*))?\]")
_EXTRA_NAMES = {"default": "默认", "required": "必填", "env var": "环境变量"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def chinese(text: str) -> str:
    """click's English text in Chinese; any other text as it is."""
    for pattern, replacement in _MESSAGES:
        if pattern.fullmatch(text):
            return pattern.sub(replacement, text)
    return text


def _help_text(text: str) -> str:
    """A help column: click's help-option text, and the [default: …] / [required] it appends."""
    text = _EXTRAS.sub(lambda m: f"[{_EXTRA_NAMES[m[1]]}{'：' + m[2] if m[2] is not None else ''}]", text)
    return chinese(text)


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(
            prog, args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]..."), "用法："
        )

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_SECTIONS.get(heading, heading)}：\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list, its terms in Chinese and aligned by their width on screen (a
        Chinese character takes two columns; click counts one)."""
        rows = [(_METAVAR.sub(lambda m: _METAVARS[m[1]], term), _help_text(text)) for term, text in rows]
        first_col = min(max((_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            self.write(f"{indent}{term}")
            if not text:
                self.write("\n")
                continue
            if _width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_text(text, max(self.width - first_col - 2, 10), preserve_paragraphs=True).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def speak_chinese(commands: Iterable[click.Command]) -> None:
    """Give these commands, and the subcommands of the groups among them, the Chinese context."""
    for command in commands:
        command.context_class = ChineseContext
        if isinstance(command, click.Group):
            speak_chinese(command.commands.values())


def _hint(error: click.UsageError) -> str:
    """How the error names its parameter: 「--as-of」, 「PATHS...」."""
    param = getattr(error, "param", None)
    if param is not None and error.ctx is not None:
        names = param.get_error_hint(error.ctx)
    else:
        names = getattr(error, "param_hint", None) or ""
        if not isinstance(names, str):
            names = " / ".join(names)
    return names.replace("'", "").strip()


def _possible(possibilities: list[str] | None) -> str:
    return f"（是否要用：{'、'.join(possibilities)}？）" if possibilities else ""


def message(error: click.ClickException) -> str:
    """The error's message in Chinese."""
    if isinstance(error, click.NoSuchOption):
        return f"没有选项 {error.option_name}{_possible(error.possibilities)}"
    if isinstance(error, click.exceptions.NoSuchCommand):
        return f"没有命令「{error.command_name}」{_possible(error.possibilities)}"
    if isinstance(error, click.MissingParameter):
        kind = {"argument": "参数", "option": "选项"}.get(error.param_type or "", "参数")
        if error.param is not None and error.param.param_type_name in ("argument", "option"):
            kind = {"argument": "参数", "option": "选项"}[error.param.param_type_name]
        extra = error.param.type.get_missing_message(param=error.param, ctx=error.ctx) if error.param else None
        said = f"：{chinese(error.message)}" if error.message else ""
        return f"缺少{kind} {_hint(error)}{said}" + (f"。{chinese(extra)}" if extra else "")
    if isinstance(error, click.BadParameter):
        hint = _hint(error)
        return f"{hint} 的值无效：{chinese(error.message)}" if hint else f"值无效：{chinese(error.message)}"
    return chinese(error.format_message())


class ChineseError(click.ClickException):
    """A click error shown in Chinese, as click shows its own (usage, hint, then 错误：…)."""

    def __init__(self, error: click.ClickException | None, *, aborted: bool = False) -> None:
        super().__init__("已中止。" if aborted else message(error) if error is not None else "")
        self.original = error
        self.aborted = aborted

    def show(self, file: IO[Any] | None = None) -> None:
        original = self.original
        if self.aborted:
            click.echo(self.message, err=file is None, file=file)
            return
        if isinstance(original, click.UsageError) and original.ctx is not None:
            ctx = original.ctx
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                hint = f"请用「{ctx.command_path} {option}」查看帮助。\n"
            click.echo(f"{ctx.get_usage()}\n{hint}", err=file is None, file=file, color=ctx.color)
        click.echo(f"错误：{self.message}", err=file is None, file=file)


class ChineseUsageError(ChineseError):
    exit_code = 2  # click's for a usage error


def in_chinese(error: click.ClickException) -> ChineseError:
    """The error to raise instead of `error`: shown in Chinese, with its exit code."""
    if isinstance(error, ChineseError):
        return error
    return ChineseUsageError(error) if error.exit_code == 2 else ChineseError(error)
