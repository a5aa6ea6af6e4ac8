"""Shared fixtures: the read-only shared/ folder, built sites, and a real headless Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_TOPIC = SEEDS / "iran-missile-strikes-2020"
ARTIFACTS = ROOT / ".artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# shared/ sits beside every checkout; helpers' worktrees live one level deeper.
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared")


# Python run first in a fresh interpreter whose sockets cannot connect: a model that wants the network fails there.
NO_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


def run_offline(code: str, timeout: float = 300) -> str:
    """Run ``code`` in a fresh interpreter (at the repo root) with the network blocked; its standard output."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", NO_NETWORK + code], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared/ folder not found beside the repo ({SHARED})")
    return SHARED


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's seeds folder."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the project's seeds into a temporary folder (docs/ and site/ inside)."""
    from generator.pipeline.build import build

    out = tmp_path_factory.mktemp("seed-build")
    build(SEEDS, out / "docs", out / "site", log=lambda _m: None)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature from the stdlib
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on a free loopback port; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# A large real topic (37 match reports, no topic.yml) from WikiRef220; never the held-out topics.
LARGE_TOPIC = "premier.league"


def copy_corpus_topic(shared: Path, label: str, dest: Path) -> Path:
    """The WikiRef220 files of one label (``label.N.txt``) copied into a topic folder of their own."""
    folder = dest / label
    folder.mkdir(parents=True)
    files = sorted((shared / "corpora" / "wikiref220").glob(f"{label}.*.txt"))
    for f in files:
        shutil.copy2(f, folder / f.name)
    return folder


@pytest.fixture(scope="session")
def large_site(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of one large real topic folder without ``topic.yml``, built as a user would."""
    from generator.pipeline.build import build

    out = tmp_path_factory.mktemp("large-build")
    copy_corpus_topic(shared, LARGE_TOPIC, out / "seeds")
    build(out / "seeds", out / "docs", out / "site", log=lambda _m: None)
    return out


@pytest.fixture(scope="session")
def large_url(large_site: Path) -> Iterator[str]:
    server, url = serve_folder(large_site / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def seed_url(seed_site: Path) -> Iterator[str]:
    """Base URL of the seed site served on localhost."""
    server, url = serve_folder(seed_site / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, headless, with no network chatter."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run ./tasks.sh test, which installs it")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def seed_topic():
    """The seed topic as read by the pipeline."""
    from generator.ingest.read import discover, read_topic

    return next(read_topic(s, SEEDS) for s in discover(SEEDS) if s.folder == SEED_TOPIC)
