"""Hostile input, second round (issue 13): blank lines that open Markdown blocks, outputs that
overlap the seeds, links out of the seeds folder, FIFOs, memory bombs, broken MkDocs pages,
signals and full disks.  Each test here failed on the code before the fix it names.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.pipeline.build import build

from .conftest import ROOT, SEED_TOPIC, serve_folder

# A blank line ends the paragraph a value sits in; the next line is then a Markdown block of its
# own, and attr_list turns `{: onerror=… }` into an attribute.  \r ends a line for Markdown too.
BLOCK = "# ![i](https:x){: onerror=alert(1) }"
PAYLOADS = (f"x\n\n{BLOCK}\n\ny", f"x\r\r{BLOCK.replace('1', '2')}\r\ry")
NAME_PAYLOAD = f"n\n\n{BLOCK.replace('1', '3')}\n\nm"
SHARED = (
    "The attack began shortly after midnight when several armed men opened fire on a crowded cafe "
    "in the eleventh district of the city, witnesses told reporters at the scene."
)
META = ("title", "outlet", "published", "language", "byline", "note")


def _hostile_seeds(root: Path) -> Path:
    """Every metadata field, front-matter field, file name and folder name carries a blank-line payload."""
    seeds = root / "seeds"
    topic = seeds / f"topic {NAME_PAYLOAD}"
    topic.mkdir(parents=True)
    txt = f"wire {NAME_PAYLOAD}.txt"
    per_article = {field: PAYLOADS[0] for field in META}
    meta = {"title": PAYLOADS[0], "summary": PAYLOADS[1], "articles": {txt: per_article}}
    (topic / "topic.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    body = f"Headline\n\n{SHARED}\n\n{PAYLOADS[0]}\n\n{SHARED}\n"
    (topic / txt).write_text(body, encoding="utf-8")
    front = yaml.safe_dump({field: PAYLOADS[1] for field in META})
    (topic / f"blog {NAME_PAYLOAD}.md").write_text(f"---\n{front}---\n# Headline\n\n{SHARED}\n\n{SHARED}\n", encoding="utf-8")
    bare = seeds / f"bare {NAME_PAYLOAD}"  # a folder name alone, no topic.yml
    bare.mkdir()
    (bare / "one.txt").write_text(f"Headline\n\n{SHARED}\n", encoding="utf-8")
    (bare / "two.txt").write_text(f"Other headline\n\n{SHARED}\n", encoding="utf-8")
    return seeds


@pytest.fixture(scope="module")
def blank_line_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blank-lines")
    build(_hostile_seeds(out), out / "docs", out / "site", log=lambda _m: None)
    return out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(page: Path) -> _Tags:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_blank_lines_in_metadata_and_names_never_open_a_markdown_block(blank_line_build: Path) -> None:
    """Defect 1: a blank line in any field or name let `# ![i](…){: onerror=… }` become a live <img>."""
    pages = sorted((blank_line_build / "site").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        parsed = _parsed(page)
        injected = [(tag, a) for tag, a in parsed.tags if any(name.startswith("on") for name in a) or a.get("src") == "https:x"]
        assert not injected, (page, injected)
    topic = next((blank_line_build / "site" / "topics").glob("*/index.html"))
    shown = " ".join("".join(_parsed(topic).text).split())
    assert "x # ![i](https:x){: onerror=alert(1) } y" in shown  # the payload is there, as text
    assert "x # ![i](https:x){: onerror=alert(2) } y" in shown
    # a folder without topic.yml is titled by its headlines; its name is shown in each article's path
    article = next((blank_line_build / "site" / "articles").glob("bare-*/one/index.html"))
    assert "bare n # ![i](https:x){: onerror=alert(3) } m/one.txt" in " ".join("".join(_parsed(article).text).split())


@pytest.mark.browser
def test_no_dialog_opens_on_any_page_with_blank_line_payloads(blank_line_build: Path, page) -> None:
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    server, url = serve_folder(blank_line_build / "site")
    try:
        visited = 0
        for html in sorted((blank_line_build / "site").rglob("*.html")):
            rel = html.relative_to(blank_line_build / "site").as_posix()
            page.goto(url + rel, wait_until="load")
            page.wait_for_timeout(50)
            if rel.startswith(("topics/topic-", "articles/")):  # the bare folder's topic page is titled by a headline
                assert "![i](https:x){: onerror=alert(" in page.inner_text("body")
            visited += 1
        assert visited >= 6
    finally:
        server.shutdown()
    assert dialogs == []


def _topic(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(f"Headline one\n\n{SHARED}\n\n{extra}\n\n{SHARED}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Headline two\n\n{SHARED}\n\nSomething else entirely.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("docs", "site"),
    [("proj/seeds", None), ("proj/docs", "proj"), ("proj", "site"), ("proj/seeds/t", None), ("docs", "docs/site"), ("docs", "docs")],
)
def test_output_folders_that_overlap_the_seeds_or_each_other_are_refused(tmp_path: Path, capsys, docs: str, site: str | None) -> None:
    """Defect 2: `--site` holding the seeds folder deleted the seeds; `--docs` equal to it deleted topics named data/."""
    seeds = tmp_path / "proj" / "seeds"
    _topic(seeds / "t")
    _topic(seeds / "data")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    args = ["build", "--seeds", str(seeds), "--docs", str(tmp_path / docs)]
    args += ["--site", str(tmp_path / site)] if site else ["--no-site"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "folder" in err[0]
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written, nothing deleted


_CAPPED = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from generator.pipeline.topic import process_topic
from generator.ingest.read import discover, read_inputs
seeds = Path(sys.argv[1])
out = process_topic(read_inputs(discover(seeds)[0], seeds))
print(type(out).__name__)
"""


def test_one_long_token_stays_within_a_memory_cap(tmp_path: Path) -> None:
    """Defect 3: a 2 KB "word" (a pasted CSV row) built n²/2 deletions of length n: 4.4 GB peak."""
    row = ",".join(f"field{i:04d}" for i in range(200))
    _topic(tmp_path / "seeds" / "t", extra=row)
    script = _CAPPED.format(cap=1_000_000_000)
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "seeds")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "TopicOutput"


def _capped_build(seeds: Path, out: Path, cap: int = 1_500_000_000, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``generator build --no-site`` in a process whose address space is capped: a memory bomb fails fast there."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    args = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(out), "--no-site", "--jobs", "1"]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout, preexec_fn=limit)


def _published(docs: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in docs.rglob("*") if p.is_file() and ".cache" not in p.parts)


def test_symbolic_links_out_of_the_seeds_folder_are_not_followed(tmp_path: Path) -> None:
    """Defect 4: `ln -s /etc/passwd seeds/t/p.txt` published the file; a topic folder linked to /etc was walked."""
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "passwd.txt").write_text(f"Root secret line\n\nroot:x:0:0:secret-marker\n\n{SHARED}\n", encoding="utf-8")
    (secret / "other.txt").write_text(f"Another secret\n\nsecret-marker two\n\n{SHARED}\n", encoding="utf-8")
    seeds = tmp_path / "seeds"
    topic = _topic(seeds / "t")
    (topic / "p.txt").symlink_to(secret / "passwd.txt")
    (topic / "topic.yml").symlink_to(secret / "passwd.txt")
    (seeds / "etc").symlink_to(secret)
    (topic / "inside.txt").symlink_to(topic / "a.txt")  # a link that stays inside is an ordinary article
    result = _capped_build(seeds, tmp_path / "docs")
    assert result.returncode == 0, result.stderr
    assert "secret-marker" not in _published(tmp_path / "docs")
    for link in (topic / "p.txt", topic / "topic.yml", seeds / "etc"):
        assert f"warning: {link}: symbolic link leading out of the seeds folder; not followed" in result.stderr


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def test_a_yaml_alias_bomb_is_refused_and_the_topic_still_builds(tmp_path: Path) -> None:
    """Defect 5: nine levels of nine aliases in `title` took 27 s to end in MemoryError, every topic lost."""
    seeds = tmp_path / "seeds"
    (_topic(seeds / "t") / "topic.yml").write_text(BILLION_LAUGHS + "title: *i\nsummary: *i\n", encoding="utf-8")
    (seeds / "t" / "c.md").write_text(f"---\n{BILLION_LAUGHS}title: *i\n---\n# Third\n\n{SHARED}\n", encoding="utf-8")
    _topic(seeds / "u")
    result = _capped_build(seeds, tmp_path / "docs")
    assert result.returncode == 0, result.stderr
    assert "aliases (*name) are not allowed" in result.stderr
    assert {p.name for p in (tmp_path / "docs" / "topics").iterdir()} == {"t.md", "u.md"}


def test_fifos_are_skipped_without_being_opened(tmp_path: Path) -> None:
    """Defect 6: a FIFO named topic.yml hung `build` (and `serve`) for good."""
    seeds = tmp_path / "seeds"
    topic = _topic(seeds / "t")
    os.mkfifo(topic / "topic.yml")
    os.mkfifo(topic / "pipe.txt")
    result = _capped_build(seeds, tmp_path / "docs", timeout=30)
    assert result.returncode == 0, result.stderr
    fifo = "not a regular file (a FIFO, device or socket)"
    assert f"warning: {topic / 'topic.yml'}: {fifo}; not opened; topic built without it" in result.stderr
    assert f"warning: {topic / 'pipe.txt'}: {fifo}; ignored" in result.stderr
    assert (tmp_path / "docs" / "topics" / "t.md").is_file()


def test_a_huge_sparse_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Defect 7: a 2 GB sparse file was read whole (2.1 GB resident) before being refused as too large."""
    seeds = tmp_path / "seeds"
    topic = _topic(seeds / "t")
    with open(topic / "huge.txt", "wb") as f:
        f.truncate(2_000_000_000)
    with open(topic / "topic.yml", "wb") as f:
        f.truncate(1_200_000_000)
    result = _capped_build(seeds, tmp_path / "docs", cap=1_000_000_000)
    assert result.returncode == 0, result.stderr
    assert f"warning: {topic / 'huge.txt'}: 2000.0 MB is more than the 5 MB it may have; article left out" in result.stderr
    assert f"warning: {topic / 'topic.yml'}: 1200.0 MB is more than the 1 MB it may have; topic built without it" in result.stderr


_MAPPINGS = """
import sys
from pathlib import Path
from generator.ingest.read import MAX_BYTES, read_regular
files = sorted(Path(sys.argv[1]).iterdir())
def mappings() -> int:
    with open("/proc/self/maps") as f:
        return sum(1 for _ in f)
before = mappings()
kept = [read_regular(path, MAX_BYTES) for path in files]
print(mappings() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="counts the memory mappings Linux lists in /proc")
def test_reading_many_articles_leaves_no_memory_mapping_per_file(tmp_path: Path) -> None:
    """Defect 9: each file read kept a shrunk 5 MB buffer, one memory mapping per article: a build of 10,000 topics
    ran out of mappings (vm.max_map_count, 65,530) before any topic was compared."""
    for n in range(3000):
        (tmp_path / f"{n:04d}.txt").write_text(f"Headline {n}\n\n{SHARED}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", _MAPPINGS, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout) < 100  # was 3,000: one per file


def test_a_topic_whose_pages_mkdocs_rejects_is_named_and_the_others_publish(tmp_path: Path, monkeypatch) -> None:
    """Defect 8: a strict MkDocs failure ended the run with exit 1 and no message, and took every topic down."""
    from generator.pipeline import topic as topic_pipeline
    from generator.pipeline.runners import Runner

    real = topic_pipeline.render_topic

    def render_with_a_broken_link(env, c):
        files = real(env, c)
        if c.topic.slug == "bad":  # a page MkDocs warns about, so strict mode rejects it
            files["topics/bad.md"] += "\n## [dead](missing-page.md)\n"
        return files

    monkeypatch.setattr(topic_pipeline, "render_topic", render_with_a_broken_link)
    seeds = tmp_path / "seeds"
    _topic(seeds / "bad")
    _topic(seeds / "good")
    lines: list[str] = []
    build(seeds, tmp_path / "docs", tmp_path / "site", log=lines.append, runner=Runner(jobs=1))
    assert any(line.startswith("warning: mkdocs: ") and "topics/bad.md" in line and "missing-page.md" in line for line in lines)
    assert "error: topic 'bad': MkDocs rejected its pages; it is left out of the site, the other topics are published" in lines
    assert "Headline one" in (tmp_path / "site" / "topics" / "good" / "index.html").read_text(encoding="utf-8")
    assert "Topic not published" in (tmp_path / "site" / "topics" / "bad" / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "site" / "articles" / "bad").exists()


def test_the_site_folder_gets_the_permissions_of_the_umask(tmp_path: Path) -> None:
    """Defect 9: site/ was drwx------ (from mkdtemp): a web server running as another user got 403."""
    previous = os.umask(0o022)
    try:
        build(_topic(tmp_path / "seeds" / "t").parent, tmp_path / "docs", tmp_path / "site", log=lambda _m: None)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "docs" / "topics").stat().st_mode) == 0o755


def _litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".staging-" in p.name or ".old-" in p.name)


def test_a_site_folder_that_is_a_mount_point_is_filled_in_place_with_docs(tmp_path: Path, monkeypatch) -> None:
    """Defect 10: with --site a mount point (rename: EBUSY), docs were new, the site old and a .site.old-* left."""
    import errno

    from generator.pipeline import output

    seeds = tmp_path / "seeds"
    _topic(seeds / "t")
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(seeds, docs, site, log=lambda _m: None)
    real = os.replace

    def mount_point(src, dst, *args, **kwargs):
        if Path(src) == site:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(output.os, "replace", mount_point)
    inode = site.stat().st_ino
    _topic(seeds / "u")
    build(seeds, docs, site, log=lambda _m: None)
    assert site.stat().st_ino == inode  # the same folder, filled in
    assert (site / "topics" / "u" / "index.html").is_file() and (docs / "topics" / "u.md").is_file()
    assert _litter(tmp_path) == [] and _litter(site) == []


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("code", ["ENOSPC", "EROFS", "EACCES", "EBUSY"])
def test_a_failing_disk_ends_with_one_error_line_and_the_old_output(tmp_path: Path, monkeypatch, capsys, code: str) -> None:
    """Defect 12: ENOSPC, EROFS, EBUSY and EACCES ended in a traceback."""
    import errno

    from generator.pipeline import build as build_module

    seeds = tmp_path / "seeds"
    _topic(seeds / "t")
    args = ["build", "--seeds", str(seeds), "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site"), "--jobs", "1"]
    assert main(args) == 0
    before = _snapshot(tmp_path / "docs"), _snapshot(tmp_path / "site")
    (seeds / "t" / "a.txt").write_text(f"Changed headline\n\n{SHARED}\n", encoding="utf-8")
    number = getattr(errno, code)

    def fail(path, data):
        raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(build_module, "replace_file", fail)
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and os.strerror(number) in errors[0] and errors[0].endswith("docs and site left as they were")
    assert (_snapshot(tmp_path / "docs"), _snapshot(tmp_path / "site")) == before
    assert _litter(tmp_path) == []


def test_listing_a_folder_without_permission_ends_with_one_error_line(tmp_path: Path, monkeypatch, capsys) -> None:
    """Defect 12: EACCES while listing the docs folder ended in a traceback."""
    seeds = tmp_path / "seeds"
    _topic(seeds / "t")
    docs = tmp_path / "docs"
    args = ["build", "--seeds", str(seeds), "--docs", str(docs), "--site", str(tmp_path / "site"), "--jobs", "1"]
    assert main(args) == 0
    real = Path.iterdir

    def refuse(self: Path):
        if self == docs:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    (seeds / "t" / "a.txt").write_text(f"Changed headline\n\n{SHARED}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and f"error: {docs}: Permission denied; docs and site left as they were" in err.splitlines()


def test_control_characters_in_file_names_are_escaped_when_printed(tmp_path: Path, capsys) -> None:
    """Defect 13: a file name with a newline forged a `warning:` line; one with ESC [2J cleared the screen."""
    topic = _topic(tmp_path / "seeds" / "t")
    (topic / "x\nwarning: all good\x1b[2J.txt").write_bytes(b"")
    assert main(["build", "--seeds", str(tmp_path / "seeds"), "--docs", str(tmp_path / "docs"), "--no-site", "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "warning: all good" not in err.splitlines()
    assert f"warning: {topic}/x\\nwarning: all good\\x1b[2J.txt: no text (empty or only whitespace); article left out" in err.splitlines()


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (the forkserver and the pool workers under it), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _wait_for(condition, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def busy_seeds(tmp_path: Path) -> Path:
    """Enough topics to keep two workers busy for several seconds, and a previous build of one of them."""
    seeds = tmp_path / "seeds"
    for n in range(16):
        topic = seeds / f"topic-{n:02d}"
        topic.mkdir(parents=True)
        for article in sorted(SEED_TOPIC.glob("*.txt")):
            (topic / article.name).write_bytes(article.read_bytes())
    first = tmp_path / "first"
    (first / "topic-00").mkdir(parents=True)
    for article in (seeds / "topic-00").iterdir():
        (first / "topic-00" / article.name).write_bytes(article.read_bytes())
    assert main(["build", "--seeds", str(first), "--docs", str(tmp_path / "docs"), "--no-site", "--jobs", "1"]) == 0
    return seeds


def _start_build(seeds: Path) -> tuple[subprocess.Popen[str], set[int]]:
    args = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(seeds.parent / "docs"), "--no-site"]
    proc = subprocess.Popen([*args, "--jobs", "2", "--no-cache"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert _wait_for(lambda: len(_children(proc.pid)) >= 3, 30), "the pool did not start"  # forkserver + two workers
    assert _wait_for(lambda: any(".docs.staging-" in p.name for p in seeds.parent.iterdir()), 30)
    return proc, _children(proc.pid)


@pytest.mark.parametrize(("signum", "code", "word"), [(2, 130, "interrupted"), (15, 143, "terminated")])
def test_ctrl_c_and_sigterm_end_with_one_error_line_and_no_workers_left(busy_seeds: Path, signum: int, code: int, word: str) -> None:
    """Defects 11 and 12: Ctrl-C printed a 29–45-line traceback; workers outlived the build."""
    before = _snapshot(busy_seeds.parent / "docs")
    proc, workers = _start_build(busy_seeds)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [f"error: {word}; docs and site left as they were"], err
    assert _wait_for(lambda: not _alive(workers), 15), f"pool processes outlived the build: {_alive(workers)}"
    assert _snapshot(busy_seeds.parent / "docs") == before
    assert _litter(busy_seeds.parent) == []


def test_after_kill_9_the_workers_die_and_the_next_build_removes_the_litter(busy_seeds: Path) -> None:
    """Defect 11: after kill -9 pool processes stayed alive and .docs.staging-* folders were never removed."""
    proc, workers = _start_build(busy_seeds)
    proc.kill()
    proc.communicate(timeout=30)
    assert _wait_for(lambda: not _alive(workers), 15), f"pool processes outlived the killed build: {_alive(workers)}"
    assert _litter(busy_seeds.parent)  # the killed build's staging folder is left behind
    docs = busy_seeds.parent / "docs"
    assert main(["build", "--seeds", str(busy_seeds.parent / "first"), "--docs", str(docs), "--no-site", "--jobs", "1"]) == 0
    assert _litter(busy_seeds.parent) == []


_CJK = "东京电力公司周二表示福岛核电站的处理水排放工作将于下周开始日本政府表示安全"


@pytest.mark.parametrize(
    ("text", "codec", "read_as"),
    [
        ("Reuters report: κατάσταση άμεσες πρωθυπουργός νότια χρειάζονται σοβαρή πρωθυπουργός Αθήνα (AP) said.", "cp1253", "cp1253"),
        ("Reuters report: Ελλάδα Ρίχτερ σοβαρή (AP) said on Tuesday.", "cp1253", "cp1253"),
        (
            "Reuters report: Ελλάδα ανακοίνωσε άμεσες είναι πρωθυπουργός χρειάζονται νότια άμεσες Η μέτρα πρωθυπουργός δήλωσε "
            "για νέα αποφάσεις (AP) said on Tuesday.",
            "cp1253",
            "cp1253",
        ),
        ("Its Tokyo office, known as 東京本社, confirmed the figures on Tuesday. " + "Sales rose sharply. " * 10, "shift_jis", "cp932"),
        ("The anime studio スタジオジブリ announced a new film. " + "More about the film follows. " * 10, "shift_jis", "cp932"),
        ("".join(c for c in _CJK if b"\x00" not in c.encode("utf-16-le")) * 3, "utf-16-le", "utf-16-le"),
    ],
    ids=["greek-not-mac-greek", "greek-not-latin-1", "greek-not-cyrillic", "english-with-kanji", "english-with-kana", "utf-16-cjk-no-nul"],
)
def test_legacy_bytes_are_read_in_the_charset_plausible_for_their_script(tmp_path: Path, text: str, codec: str, read_as: str) -> None:
    """Defect 14: Greek cp1253 read as Mac Greek, English with a short Shift-JIS run as Windows-1252,
    UTF-16LE CJK text without a mark (so without NUL bytes) skipped as binary."""
    from generator.ingest.read import read_article

    data = text.encode(codec)
    assert b"\x00" not in data and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    (tmp_path / "a.txt").write_bytes(data)
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert (article.encoding, article.text) == (read_as, text)


@pytest.mark.slow
def test_serve_with_a_fifo_topic_file_serves_and_ends_on_sigterm(tmp_path: Path) -> None:
    """Defect 6 (serve): a FIFO named topic.yml hung `serve`, which then ignored SIGTERM."""
    import socket
    import urllib.request

    topic = _topic(tmp_path / "seeds" / "t")
    os.mkfifo(topic / "topic.yml")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["serve", "--seeds", str(tmp_path / "seeds"), "--docs", str(tmp_path / "docs"), "--dev-addr", f"127.0.0.1:{port}"]
    proc = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT, stderr=subprocess.PIPE, text=True)

    def serving() -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/topics/t/", timeout=2).status == 200
        except OSError:
            return False

    try:
        assert _wait_for(serving, 90), "serve did not answer"
        proc.terminate()
        _out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 143, err
    assert err.strip().splitlines()[-1] == "error: terminated; docs and site left as they were"
