"""The files of `deploy/` (docs/deploy.md), as an office's server runs them: the systemd units pass
`systemd-analyze verify`; every command they start exists with the options they give it; the
environment file names only settings wufei or Prefect read; the nightly backup unit's command makes
a dated backup; and the portal started by its unit's own command, behind nginx with the shipped
site configuration over HTTPS, signs a user in (its cookies are HTTPS-only there) and answers an
upload larger than the portal takes with the portal's own Chinese refusal, not nginx's."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from configparser import ConfigParser
from pathlib import Path

import httpx
import pytest

from tests.seed_files import HENGSHUI_PLAN
from wufei.backup import DATED_BACKUP
from wufei.cadence.config import CadenceConfig
from wufei.web.liaison import request_limit
from wufei.web.portal import IMPORT_MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
INSTALLED = "/srv/wufei"  # where docs/deploy.md installs the clone; the repository stands in for it here
ENV_FILE = "/etc/wufei/wufei.env"
WUFEI = ROOT / ".venv" / "bin" / "wufei"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

pytestmark = pytest.mark.backend_independent  # the units and proxy, not the database, are under test


def _unit(name: str) -> ConfigParser:
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def _exec_start(name: str) -> list[str]:
    return shlex.split(_unit(name)["Service"]["ExecStart"])


def _environment_example() -> dict[str, str]:
    lines = (DEPLOY / "wufei.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def _rendered_units(folder: Path) -> list[Path]:
    """The units with this checkout for /srv/wufei and a real environment file, as verify needs the
    programs and files they name to exist."""
    env_file = folder / "wufei.env"
    env_file.write_text("\n".join(f"{k}={v}" for k, v in _environment_example().items()) + "\n", encoding="utf-8")
    rendered = []
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8").replace(INSTALLED, str(ROOT)).replace(ENV_FILE, str(env_file))
        (folder / unit.name).write_text(text, encoding="utf-8")
        rendered.append(folder / unit.name)
    return rendered


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, **client) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited: {process.stdout.read() if process.stdout else ''}")
        try:
            httpx.get(url, timeout=2, **client)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


@pytest.mark.nodb
def test_the_units_pass_systemd_verify(tmp_path):
    assert {u.name for u in UNITS} >= {"prefect-server.service", "wufei-serve.service", "wufei-web.service"}
    rendered = _rendered_units(tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, rendered)], capture_output=True, text=True, check=False, timeout=60
    )
    ours = [line for line in result.stderr.splitlines() if str(tmp_path) in line]
    assert result.returncode == 0 and not ours, result.stderr
    timer = _unit("wufei-backup.timer")
    assert timer["Timer"]["Persistent"] == "true"  # a night the server was off is made up at boot


@pytest.mark.nodb
def test_every_command_the_units_start_exists_with_the_options_they_give_it():
    for unit in UNITS:
        if not unit.name.endswith(".service"):
            continue
        program, *arguments = _exec_start(unit.name)
        assert program.startswith(f"{INSTALLED}/.venv/bin/"), unit.name
        command = [str(ROOT / program.removeprefix(f"{INSTALLED}/")), *[a for a in arguments if not a.startswith("-")]]
        if program.endswith("/wufei") and command[1:] == ["db", "backup", "/var/backups/wufei"]:
            command = command[:-1]  # its folder is an argument, not a subcommand
        shown = subprocess.run([*command, "--help"], capture_output=True, text=True, check=False, timeout=120)
        assert shown.returncode == 0, (unit.name, shown.stderr)
        for option in (a for a in arguments if a.startswith("--")):
            assert option in shown.stdout, (unit.name, option)


@pytest.mark.nodb
def test_the_environment_file_names_only_settings_that_are_read():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("wufei/**/*.py"), *ROOT.glob("flows/*.py")])
    settings = _environment_example()
    for name in settings:
        if name.startswith("WUFEI_"):
            assert f'"{name}"' in sources, f"{name} is read nowhere"
        else:
            assert name in {"PREFECT_API_URL", "PREFECT_HOME"}, name
    assert {"WUFEI_DATABASE_URL", "WUFEI_PORTAL_URL", "WUFEI_SECRET_KEY", "WUFEI_SECURE_COOKIES"} <= set(settings)


@pytest.mark.nodb
def test_nginx_lets_through_every_request_the_portal_takes_and_points_at_its_unit():
    site = (DEPLOY / "nginx" / "wufei.conf").read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site)[1])
    largest = max(request_limit(CadenceConfig.load()), IMPORT_MAX_BYTES)
    assert megabytes * 1024 * 1024 >= largest
    web = _exec_start("wufei-web.service")
    assert f"proxy_pass http://{web[web.index('--host') + 1]}:{web[web.index('--port') + 1]};" in site


def test_the_backup_unit_makes_a_dated_backup(tmp_path):
    database = f"sqlite:///{tmp_path / 'wufei.db'}"
    env = {**os.environ, "WUFEI_DATABASE_URL": database}
    subprocess.run([str(WUFEI), "import", str(HENGSHUI_PLAN)], env=env, check=True, capture_output=True, timeout=300)
    folder = tmp_path / "backups"
    folder.mkdir()
    program, *arguments = _exec_start("wufei-backup.service")
    arguments = [str(folder) if a == "/var/backups/wufei" else a for a in arguments]
    done = subprocess.run(
        [str(ROOT / program.removeprefix(f"{INSTALLED}/")), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    made = [p for p in folder.iterdir() if DATED_BACKUP.match(p.name)]
    assert len(made) == 1 and made[0].stat().st_size > 10_000 and "已备份到" in done.stdout


def test_the_portal_behind_nginx_over_https_signs_a_user_in(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    database = f"sqlite:///{tmp_path / 'wufei.db'}"
    env = {
        **os.environ,
        **_environment_example(),
        "WUFEI_DATABASE_URL": database,
        "WUFEI_CONFIG_DIR": str(tmp_path / "config"),
        "WUFEI_BULLETIN_DIR": str(tmp_path / "bulletins"),
        "WUFEI_IMPORT_DIR": str(tmp_path / "imports"),
        "WUFEI_EVIDENCE_DIR": str(tmp_path / "evidence"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    (tmp_path / "config").mkdir()
    subprocess.run([str(WUFEI), "import", str(HENGSHUI_PLAN)], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([str(WUFEI), "users", "add", "office", "--role", "office"], env=env, check=True, capture_output=True)
    portal_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    link = subprocess.run(
        [str(WUFEI), "users", "link", "office", "--base-url", f"https://127.0.0.1:{https_port}"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    signin = re.search(r"https://\S+/signin/\S+", link)[0]

    program, *arguments = _exec_start("wufei-web.service")
    arguments = [str(portal_port) if a == "8000" else a for a in arguments]
    web = subprocess.Popen(
        [str(ROOT / program.removeprefix(f"{INSTALLED}/")), *arguments],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(tmp_path / "privkey.pem"),
            "-out",
            str(tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "wufei.conf").read_text(encoding="utf-8")
    site = (
        site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
        .replace("/etc/ssl/wufei", str(tmp_path))
        .replace("127.0.0.1:8000", f"127.0.0.1:{portal_port}")
    )
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"user root;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n proxy_temp_path {tmp_path}/proxy;\n"
        f" include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    proxy = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{portal_port}/healthz", web)
        _wait_for(f"https://127.0.0.1:{https_port}/healthz", proxy, verify=False)
        plain = httpx.get(f"http://127.0.0.1:{http_port}/login", timeout=10)
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")

        with httpx.Client(verify=False, timeout=60, follow_redirects=False) as browser:
            page = browser.get(signin)
            assert page.status_code == 200 and "登录" in page.text
            signed = browser.post(signin, data={"csrf_token": CSRF.search(page.text)[1]})
            assert signed.status_code == 303, signed.text
            assert "secure" in signed.headers["set-cookie"].lower()  # WUFEI_SECURE_COOKIES=1 from the env file
            home = browser.get(f"https://127.0.0.1:{https_port}/", follow_redirects=True)
            assert home.status_code == 200 and "衡水" in home.text

            too_large = b"x" * (IMPORT_MAX_BYTES + 1024 * 1024)
            refused = browser.post(f"https://127.0.0.1:{https_port}/import", files={"plan": ("方案.docx", too_large)})
            assert refused.status_code == 413 and "nginx" not in refused.text
            assert re.search(r"[\u4e00-\u9fff]", refused.text), refused.text[:300]
    finally:
        proxy.terminate()
        web.terminate()
        proxy.wait(timeout=10)
        web.wait(timeout=10)
