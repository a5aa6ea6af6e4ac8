"""Retake the README's screenshots of the seed topic in headless Chromium.

Run after a build: ``.venv/bin/python benchmarks/readme_screenshots.py [SITE] [OUT]``
(defaults: ``site/`` and ``docs/assets/screenshots/``).  The site is served on a
loopback port for the length of the run.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
TOPIC = "topics/iran-missile-strikes-2020/"
SHOTS = (  # file, viewport width and height, element scrolled to the top (none: the page's top), pixels left above it
    ("topic-header.png", 1280, 900, None, 0),
    ("topic-passage.png", 1280, 860, "#shared-passages", 60),
    ("topic-phone.png", 390, 844, "#shared-passages", 56),
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


def main(site: Path, out: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{TOPIC}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for name, width, height, target, above in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url, wait_until="networkidle")
                if target:
                    page.evaluate(f"window.scrollTo(0, document.querySelector({target!r}).getBoundingClientRect().top + scrollY - {above})")
                page.wait_for_timeout(400)
                page.screenshot(path=str(out / name))
                page.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    main(args[0] if args else ROOT / "site", args[1] if len(args) > 1 else ROOT / "docs" / "assets" / "screenshots")
