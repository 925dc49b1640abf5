"""Debian's headless Chromium as the browser tests start it (tests/web, the bulletins' views, the
import layouts' browser copy): `chromium-headless-shell`, the same Blink and V8 without the
browser's windowing layer (what Playwright itself runs for headless), about 30 % less CPU than
`chromium --headless` for the same six browser tests (their pytest process with its children:
14.4-15.6 s of CPU against 20.7-20.8 s).

Its CPU follows the pages' actions (navigations, clicks, checks), not an idle burn (two pages idle
for 10 s: 0.5 s). Measured for issue 12, none of these moved it beyond run-to-run noise:
--in-process-gpu, --js-flags=--jitless, --disable-site-isolation-trials with
--renderer-process-limit=1, --num-raster-threads=1 with --disable-partial-raster (the 100-report
queue: 9.5-11 s each), and no screenshots (three browser tests: 21.6 s either way)."""

CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
