"""`wufei web`: the portal under uvicorn."""

from __future__ import annotations

import click


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--today", help="固定“今天”（如 2023-06-07，演示与测试用；也可设 WUFEI_TODAY）")
def web_command(host: str, port: int, today: str | None) -> None:
    """启动门户网站（办公室、部门联系人、领导使用）"""
    import uvicorn

    from wufei.clitools import engine
    from wufei.web.app import create_app
    from wufei.web.portal import Settings, parse_today

    overrides = {"today": parse_today(today)} if today else {}
    app = create_app(Settings.from_environment(engine(), **overrides))
    click.echo(f"门户网站：http://{host}:{port}/")
    uvicorn.run(app, host=host, port=port, log_level="info")
