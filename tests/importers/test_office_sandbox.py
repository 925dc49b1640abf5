"""LibreOffice converts uploads in a bubblewrap sandbox (real bwrap, real LibreOffice, a real HTTP receiver):
it follows the links of the document it converts, so a picture linked at http://… made the server send a
request (SSRF), and one linked at file:///… copied a file of the server's disk into the converted copy. In
the sandbox there is no network and nothing of the disk but the system and the conversion's work folder;
the document's own text is still read. Without bwrap, or where it cannot make its namespaces, a conversion
is refused in Chinese, unless WUFEI_UNSANDBOXED_CONVERSION=1 allows it (logged as a warning)."""

from __future__ import annotations

import http.server
import io
import logging
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from tests.importers.render import convert
from wufei.importers.readers.office import libreoffice_copy
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source

pytestmark = pytest.mark.libreoffice

TEXT = [
    "某某市无废城市建设工作方案（2024-2026年）",
    "一、推进生活垃圾分类，2025年底前建成分类投放点200个。（责任单位：市城管局）",
    "二、开展工业固体废物综合利用示范，2025年6月底前完成。（责任单位：市工业和信息化局）",
]
TITLES = ["推进生活垃圾分类，2025年底前建成分类投放点200个", "开展工业固体废物综合利用示范，2025年6月底前完成"]
MARKER = "SERVER-SECRET-7f3a9c"
ODT = "urn:oasis:names:tc:opendocument:xmlns"


def png(text: str = "") -> bytes:
    """A 600×200 PNG; `text` in a tEXt chunk, kept byte for byte when LibreOffice embeds the file."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    data = io.BytesIO()
    Image.new("L", (600, 200), 255).save(data, "PNG", pnginfo=info)
    return data.getvalue()


class Receiver:
    """A local HTTP server recording the paths asked for; it answers a picture."""

    def __init__(self) -> None:
        requests: list[str] = []
        self.requests = requests
        picture = png()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(picture)))
                self.end_headers()
                self.wfile.write(picture)

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/picture.png"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def odt_linking(href: str, path: Path) -> Path:
    """An OpenDocument text of TEXT's paragraphs with a picture linked (not stored) at `href` after the
    title, as LibreOffice writes a picture inserted with 「链接」 ticked."""
    paragraphs = [f"<text:p>{line}</text:p>" for line in TEXT]
    frame = (
        '<text:p><draw:frame draw:name="图片1" text:anchor-type="as-char" svg:width="15cm" svg:height="5cm">'
        f'<draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        "</draw:frame></text:p>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content xmlns:office="{ODT}:office:1.0" xmlns:text="{ODT}:text:1.0" '
        f'xmlns:draw="{ODT}:drawing:1.0" xmlns:svg="{ODT}:svg-compatible:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:body><office:text>'
        + paragraphs[0]
        + frame
        + "".join(paragraphs[1:])
        + "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<manifest:manifest xmlns:manifest="{ODT}:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as odt:
        odt.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", content)
        odt.writestr("META-INF/manifest.xml", manifest)
    return path


def rtf_linking(href: str, path: Path) -> Path:
    """An .rtf of TEXT's paragraphs with an INCLUDEPICTURE field linking `href` after the title."""
    field = r'{\field{\*\fldinst INCLUDEPICTURE "' + href + r'" \\* MERGEFORMAT \\d}{\fldrslt }}'
    lines = ["".join(rf"\u{ord(c)}?" if ord(c) > 127 else c for c in line) for line in TEXT]
    body = lines[0] + r"\par " + field + r"\par " + r"\par ".join(lines[1:]) + r"\par"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 SimSun;}}\f0 " + body + "}")
    return path


def assert_text_read(path: Path) -> None:
    [plan] = read_source(path).plans
    assert [task.title for task in plan.tasks] == TITLES
    assert [task.leads for task in plan.tasks] == [("市城管局",), ("市工业和信息化局",)]


@pytest.mark.parametrize("kind", ["odt", "doc"])
def test_a_picture_linked_on_the_network_is_not_fetched_and_the_text_is_read(kind, receiver, tmp_path):
    """An .odt, and the .doc Word 97 format LibreOffice saves from it (its picture an INCLUDEPICTURE link),
    linking a picture at the receiver's address: the conversion sends no request (on main: one or two GET
    /picture.png from the server), and the import reads the plan's two tasks."""
    path = odt_linking(receiver.url, tmp_path / "upload" / "方案.odt")
    if kind == "doc":
        path = convert(path, "doc:MS Word 97", tmp_path / "doc")
        receiver.requests.clear()  # LibreOffice asked for it while the test wrote the .doc, unsandboxed
        assert receiver.url.encode("utf-16-le") in path.read_bytes()  # the link kept in the .doc
    assert_text_read(path)
    assert receiver.requests == []


def test_a_picture_linked_on_the_servers_disk_is_nowhere_in_the_copy_or_the_records(tmp_path):
    """An .rtf's INCLUDEPICTURE field pointing at a picture on the server's disk (outside the conversion's
    work folder) holding a marker: the marker is in no part of the converted .docx (on main LibreOffice
    embedded the file there, marker and all) nor in the records read, which hold the plan's two tasks. (An
    .odt's or a .doc's picture linked so stays a link in the copy, on main too: the .rtf is the case.)"""
    secret = tmp_path / "secret" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png(MARKER))
    path = rtf_linking(secret.as_uri(), tmp_path / "upload" / "通知.rtf")
    with libreoffice_copy(path, "docx") as copy, zipfile.ZipFile(copy) as docx:
        assert docx.namelist() and not [name for name in docx.namelist() if MARKER.encode() in docx.read(name)]
    source = read_source(path)
    assert MARKER not in repr(source)
    assert_text_read(path)


def path_without_bwrap(folder: Path) -> str:
    """A folder of links to every program of /usr/bin but bwrap, as a PATH."""
    folder.mkdir()
    for program in os.scandir("/usr/bin"):
        if program.name != "bwrap":
            (folder / program.name).symlink_to(program.path)
    return str(folder)


def test_without_bwrap_a_conversion_is_refused_saying_what_to_do(receiver, tmp_path, monkeypatch):
    path = odt_linking(receiver.url, tmp_path / "upload" / "方案.odt")
    monkeypatch.setenv("PATH", path_without_bwrap(tmp_path / "bin"))
    monkeypatch.delenv("WUFEI_UNSANDBOXED_CONVERSION", raising=False)
    with pytest.raises(ImportError_) as error:
        read_source(path)
    message = str(error.value)
    assert error.value.path == str(path) and "方案.odt" in message
    assert "未安装 bubblewrap" in message and "apt-get install bubblewrap" in message and "另存为 .docx" in message
    assert receiver.requests == []


def test_the_override_converts_without_bwrap_and_warns_each_time(receiver, tmp_path, monkeypatch, caplog):
    """WUFEI_UNSANDBOXED_CONVERSION=1 on a machine without bwrap: the file is converted and read, the
    conversion outside the sandbox (it follows the link: the receiver is asked) and a warning logged for
    each conversion."""
    path = odt_linking(receiver.url, tmp_path / "upload" / "方案.odt")
    monkeypatch.setenv("PATH", path_without_bwrap(tmp_path / "bin"))
    monkeypatch.setenv("WUFEI_UNSANDBOXED_CONVERSION", "1")
    with caplog.at_level(logging.WARNING, logger="wufei.importers.readers.office"):
        assert_text_read(path)
        assert_text_read(path)
    warnings = [r.getMessage() for r in caplog.records if "without a sandbox" in r.getMessage()]
    assert len(warnings) == 2 and all(str(path) in warning for warning in warnings)
    assert receiver.requests


NO_NAMESPACES = """
import sys
from pathlib import Path
from wufei.importers.records import ImportError_
from wufei.importers.service import read_source
try:
    [plan] = read_source(Path(sys.argv[1])).plans
    print("read", len(plan.tasks))
except ImportError_ as error:
    print("refused", error)
"""


def run_where_namespaces_are_refused(path: Path, **environment: str) -> str:
    """`read_source(path)` in a Python process where bwrap cannot make namespaces, as in a container whose
    defaults forbid them: a user namespace of its own (unshare -r) allowing no more of them, and no
    capabilities left."""
    script = 'echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --bounding-set=-all --inh-caps=-all "$@"'
    command = ["unshare", "-r", "sh", "-c", script, "sh", sys.executable, "-c", NO_NAMESPACES, str(path)]
    env = {**os.environ, **environment}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True, timeout=300).stdout


def test_where_bwrap_cannot_make_its_namespaces_a_conversion_is_refused_unless_allowed(receiver, tmp_path, monkeypatch):
    """bwrap installed but refused its namespaces: the conversion is refused naming the file and what to do,
    nothing converted (the receiver is not asked); allowed by WUFEI_UNSANDBOXED_CONVERSION=1, it is converted
    outside the sandbox (the receiver is asked) and read."""
    monkeypatch.delenv("WUFEI_UNSANDBOXED_CONVERSION", raising=False)
    path = odt_linking(receiver.url, tmp_path / "upload" / "方案.odt")
    refused = run_where_namespaces_are_refused(path)
    assert refused.startswith("refused") and "方案.odt" in refused
    assert "不允许 bubblewrap 创建用户命名空间" in refused and "另存为 .docx" in refused
    assert receiver.requests == []
    assert run_where_namespaces_are_refused(path, WUFEI_UNSANDBOXED_CONVERSION="1") == "read 2\n"
    assert receiver.requests


def test_inside_the_sandbox_the_kernels_settings_are_read_only_even_for_root(tmp_path):
    """Run as root (CI, most containers), the sandbox's uid 0 is the machine's: /proc/sys was writable
    inside (kernel/core_pattern names a program the kernel runs as root outside). Probed with the
    sandbox's own arguments around a shell."""
    from wufei.importers.readers import sandbox

    work = tmp_path / "work"
    work.mkdir()
    probe = sandbox.sandboxed(
        sandbox.bwrap(),
        ["/bin/sh", "-c", "test -w /proc/sys/kernel/core_pattern && echo writable || echo read-only"],
        work,
    )
    answer = subprocess.run(probe, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=True)
    assert answer.stdout.strip() == "read-only"


def test_the_servers_stdin_is_not_handed_to_the_conversion(tmp_path):
    """An .rtf whose INCLUDEPICTURE names /dev/stdin copied the server's standard input (here a picture
    holding a marker) into the converted copy: LibreOffice now reads /dev/null there."""
    fed = tmp_path / "stdin.png"
    fed.write_bytes(png(MARKER))
    path = rtf_linking("file:///dev/stdin", tmp_path / "upload" / "通知.rtf")
    script = (
        "import sys, zipfile\n"
        "from pathlib import Path\n"
        "from wufei.importers.readers.office import libreoffice_copy\n"
        f"with libreoffice_copy(Path({str(path)!r}), 'docx') as copy, zipfile.ZipFile(copy) as docx:\n"
        f"    print(any({MARKER.encode()!r} in docx.read(name) for name in docx.namelist()))\n"
    )
    with fed.open("rb") as stdin:
        answer = subprocess.run(
            [sys.executable, "-c", script], stdin=stdin, capture_output=True, text=True, timeout=300
        )
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "False"


def test_a_bwrap_failing_for_another_reason_is_refused_quoting_it_not_blaming_namespaces(tmp_path, monkeypatch):
    """Docker's `bwrap: Can't mount proc on /newroot/proc` comes after the namespaces were made: the
    refusal quotes bwrap, and does not send the operator to the namespace settings."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bwrap").write_text(
        '#!/bin/sh\necho "bwrap: Can\'t mount proc on /newroot/proc: Operation not permitted" >&2\nexit 1\n'
    )
    (fake / "bwrap").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:{os.environ['PATH']}")
    monkeypatch.delenv("WUFEI_UNSANDBOXED_CONVERSION", raising=False)
    path = rtf_linking("file:///nowhere.png", tmp_path / "upload" / "通知.rtf")
    with pytest.raises(ImportError_) as refused:
        read_source(path)
    assert "Can't mount proc on /newroot/proc" in str(refused.value) and "sysctl" not in str(refused.value)


def rtf_with_pictures(parts: list[str], path: Path) -> Path:
    """An .rtf of TEXT's title, then `parts` (RTF groups: pictures, fields), then the two tasks."""
    lines = ["".join(rf"\u{ord(c)}?" if ord(c) > 127 else c for c in line) for line in TEXT]
    body = lines[0] + r"\par " + r"\par ".join(parts) + r"\par " + r"\par ".join(lines[1:]) + r"\par"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(r"{\rtf1\ansi\deff0{\fonttbl{\f0 SimSun;}}\f0 " + body + "}")
    return path


def stored_picture() -> str:
    return r"{\pict\pngblip\picw600\pich200\picwgoal9000\pichgoal3000 " + png().hex() + "}"


def linked_picture(href: str) -> str:
    return r'{\field{\*\fldinst INCLUDEPICTURE "' + href + r'" \\* MERGEFORMAT \\d}{\fldrslt }}'


def doubt_messages(path: Path) -> list[str]:
    [plan] = read_source(path).plans
    return [doubt.message for doubt in plan.doubts]


def test_each_picture_an_rtf_links_is_named_in_a_doubt_not_lost_silently(receiver, tmp_path):
    """An .rtf with a stored picture, then a picture linked at http://… and one at file:///…: the
    sandbox fetches neither (nothing reaches the receiver, the file's marker is nowhere), and the
    preview names each linked one by its place among the document's pictures (on main: no word of
    them). The plan's two tasks are read."""
    secret = tmp_path / "secret" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png(MARKER))
    path = rtf_with_pictures(
        [stored_picture(), linked_picture(receiver.url), linked_picture(secret.as_uri())],
        tmp_path / "upload" / "通知.rtf",
    )
    messages = doubt_messages(path)
    assert f"第2张图片链接到外部地址 {receiver.url}，未读取" in "\n".join(messages)
    assert f"第3张图片链接到外部地址 {secret.as_uri()}，未读取" in "\n".join(messages)
    assert MARKER not in repr(read_source(path))
    assert receiver.requests == []
    assert_text_read(path)


@pytest.mark.parametrize("kind", ["odt", "doc"])
def test_a_picture_an_odt_or_a_doc_links_is_named_as_linked_not_as_missing(kind, tmp_path):
    """The .odt's (and the .doc's) linked picture stays a link in the converted copy; the doubt says
    where it links to and that it was not read, not that a file is missing."""
    href = "http://127.0.0.1:9/picture.png"  # nothing listens: LibreOffice writing the .doc fetches nothing
    path = odt_linking(href, tmp_path / "upload" / "方案.odt")
    if kind == "doc":
        path = convert(path, "doc:MS Word 97", tmp_path / "doc")
    messages = doubt_messages(path)
    assert any(f"第1张图片链接到外部地址 {href}，未读取" in message for message in messages), messages
    assert not any("未找到" in message for message in messages)


KILLED_MIDWAY = """
import sys
from pathlib import Path
from wufei.importers.service import read_source
read_source(Path(sys.argv[1]))
"""


def test_a_conversion_killed_midway_leaves_nothing_once_the_next_conversion_ran(tmp_path, monkeypatch):
    """A process converting an upload is killed (SIGKILL: no cleanup runs) while LibreOffice works; its
    work folder (the upload's copy, LibreOffice's profile) is left in the temporary folder. The next
    conversion, in another process, removes it (on main it stayed for good)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    path = rtf_linking("file:///nowhere.png", tmp_path / "upload" / "通知.rtf")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_MIDWAY, str(path)], env={**os.environ, "TMPDIR": str(temporary)}
    )
    try:
        while not list(temporary.rglob("source.rtf")):  # the upload copied in: the conversion has begun
            assert child.poll() is None, "the conversion ended before it could be killed"
            threading.Event().wait(0.05)
        child.kill()
    finally:
        child.wait()
    assert list(temporary.rglob("source.rtf"))  # left behind by the killed process
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    assert_text_read(path)  # the next conversion
    assert not list(temporary.rglob("source.rtf"))
    assert not list(temporary.rglob("profile"))
