"""The seed site in headless Chromium: layout on desktop and phone, accessibility, offline use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from generator.kinds import KINDS

from .conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

TOPIC = "topics/iran-missile-strikes-2020/"
LARGE = "topics/premier-league/"
# A topic page of any size stays light and short (issue 16): at most this much HTML and this tall at 1280 px.
MAX_HTML_BYTES = 600_000
MAX_HEIGHT = 30_000
ARTICLE = "articles/iran-missile-strikes-2020/003-b1d62ed8f169936c/"
PAGES = ["", TOPIC, ARTICLE, "guide/how-to-read/", "browse/outlets/", "browse/2020/"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1280, 390


@pytest.fixture
def visit(browser, seed_url) -> Iterator:
    """Open a seed-site page (or, with ``base``, another site's) at a given width and colour scheme;
    fails on any request that leaves the machine."""
    contexts, foreign = [], []

    def open_page(path: str, width: int = DESKTOP, scheme: str = "light", base: str | None = None, script: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, java_script_enabled=script)
        contexts.append(context)

        def route(r):
            if urlparse(r.request.url).hostname == "127.0.0.1":
                r.continue_()
            else:
                foreign.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto((base or seed_url) + path, wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not foreign, f"the site fetched from elsewhere: {foreign}"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize(("width", "name"), [(DESKTOP, "topic-desktop.png"), (PHONE, "topic-phone.png")])
def test_topic_page_shows_the_top_passages_whole_and_the_legend(visit, width, name):
    page = visit(TOPIC, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert no_horizontal_scroll(page)
    legend = page.locator(".sc-legend")
    assert legend.is_visible() and legend.locator("li").count() == len(KINDS)
    whole = page.locator(".sc-group > .sc-passage:not(:has(details))")  # the passages shown in full
    assert whole.count() >= 5
    for i in range(whole.count()):
        p = whole.nth(i)
        p.scroll_into_view_if_needed()
        assert p.is_visible() and p.locator(".sc-version").first.is_visible()
        box = p.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.locator(".sc-findings").is_visible()


def _passage_ids(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('.sc-passage h3')].map(h => h.id)")


def _reachable(page, ids: list[str]) -> list[str]:
    """The passages whose heading a link to it brings into view (opening its fold); returns those it does not."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # imported here: fast test runs may lack playwright

    in_view = """id => { const h = document.getElementById(id), r = h.getBoundingClientRect();
        return h.checkVisibility() && r.height > 0 && r.bottom > 0 && r.top < innerHeight; }"""
    unreachable = []
    for pid in ids:
        page.evaluate(f"location.hash = {pid!r}")
        try:
            page.wait_for_function(in_view, arg=pid, timeout=3000)
        except PlaywrightTimeout:
            unreachable.append(pid)
    return unreachable


@pytest.mark.parametrize("which", ["seeds", "large"])
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_every_passage_is_reachable_and_the_page_fits(visit, request, which, width):
    base, path, site = (None, TOPIC, "seed_site") if which == "seeds" else (request.getfixturevalue("large_url"), LARGE, "large_site")
    page = visit(path, width, base=base)
    assert no_horizontal_scroll(page)
    data = json.loads(next((request.getfixturevalue(site) / "docs" / "data").glob("*.json")).read_text(encoding="utf-8"))
    ids = _passage_ids(page)
    assert sorted(ids) == sorted(p["id"] for p in data["passages"])  # every passage of the data is on the page, once
    assert int(page.locator(".sc-facts-line .sc-count").inner_text()) == len(ids)  # the header counts what the page shows
    assert _reachable(page, ids) == []
    assert no_horizontal_scroll(page)
    # the coverage table fits the width too, without scrolling inside its frame
    assert page.evaluate("(() => { const m = document.querySelector('.sc-matrix'); return m.scrollWidth <= m.clientWidth; })()")


@pytest.mark.parametrize("which", ["seeds", "large"])
def test_topic_page_weight_and_height_stay_within_target(visit, request, which):
    base, path, site = (None, TOPIC, "seed_site") if which == "seeds" else (request.getfixturevalue("large_url"), LARGE, "large_site")
    html = request.getfixturevalue(site) / "site" / path / "index.html"
    assert html.stat().st_size <= MAX_HTML_BYTES
    page = visit(path, DESKTOP, base=base)
    assert page.evaluate("document.documentElement.scrollHeight") <= MAX_HEIGHT


def _shown(page) -> list[dict]:
    return page.evaluate(
        """[...document.querySelectorAll('.sc-passage')].filter(p => !p.hidden).map(p => ({
            id: p.querySelector('h3').id, kind: p.dataset.kind, sources: p.dataset.sources.split(' '), differs: p.dataset.differs}))"""
    )


@pytest.mark.parametrize("which", ["seeds", "large"])
def test_filters_hide_and_show_the_right_passages(visit, request, which):
    base, path = (None, TOPIC) if which == "seeds" else (request.getfixturevalue("large_url"), LARGE)
    page = visit(path, PHONE, base=base)
    every = _shown(page)
    form = page.locator("form.sc-filters")
    assert form.is_visible() and f"all {len(every)} passages" in form.locator("output").inner_text()
    form.get_by_label("Kind of match").select_option("reuse")
    reuse = _shown(page)
    assert reuse and {p["kind"] for p in reuse} == {"reuse"} and len(reuse) == sum(p["kind"] == "reuse" for p in every)
    assert f"Showing {len(reuse)} of {len(every)}" in form.locator("output").inner_text()
    form.get_by_label("Kind of match").select_option("")
    source = page.locator("select[name=source] option").nth(1).get_attribute("value")
    form.get_by_label("Outlet").select_option(source)
    one = _shown(page)
    assert one and len(one) == sum(source in p["sources"] for p in every) < len(every)
    form.get_by_label("with differences only").check()
    differing = _shown(page)
    assert {p["id"] for p in differing} == {p["id"] for p in one if p["differs"] == "1"}
    form.get_by_label("Outlet").select_option("")
    form.get_by_label("with differences only").uncheck()
    assert len(_shown(page)) == len(every)


def test_without_javascript_the_page_lists_every_passage_and_no_filter(visit):
    page = visit(TOPIC, DESKTOP, script=False)
    assert page.locator("form.sc-filters").is_hidden()
    ids = _passage_ids(page)
    assert len(ids) == int(page.locator(".sc-facts-line .sc-count").inner_text())
    assert page.locator(".sc-passage[hidden]").count() == 0


def test_filters_work_after_instant_navigation(visit):
    """Material swaps pages without reloading scripts: the filters must be set up on the new page too."""
    page = visit("")
    page.locator(f'.md-content a[href$="{TOPIC}"]').first.click()  # instant navigation makes links absolute
    page.wait_for_url(f"**/{TOPIC}")
    page.locator("form.sc-filters").wait_for(state="visible")
    page.locator("form.sc-filters").get_by_label("Kind of match").select_option("paraphrase")
    assert {p["kind"] for p in _shown(page)} == {"paraphrase"}


def test_versions_sit_side_by_side_on_a_laptop_and_stack_on_a_phone(visit):
    def lefts(page) -> set[int]:
        passage = page.locator(".sc-passage").filter(has=page.locator(".sc-version:nth-child(2)")).first
        return {round(v.bounding_box()["x"]) for v in passage.locator(".sc-version").all()}

    assert len(lefts(visit(TOPIC, DESKTOP))) > 1
    assert len(lefts(visit(TOPIC, PHONE))) == 1


@pytest.mark.parametrize("path", [ARTICLE, "", "guide/how-to-read/", "browse/outlets/"])
def test_other_pages_fit_a_phone(visit, path):
    assert no_horizontal_scroll(visit(path, PHONE))


def test_each_difference_names_its_kind_in_a_tooltip_and_in_text(visit):
    page = visit(TOPIC)
    marks = page.locator(".sc-versions .sc-d")
    assert marks.count() > 0
    for d in page.evaluate(
        """() => [...document.querySelectorAll('.sc-versions .sc-d')].map(e => ({
            cls: [...e.classList].find(c => c.startsWith('sc-k-')).slice(5),
            title: e.title,
            tag: e.nextElementSibling.textContent,
            sr: e.nextElementSibling.nextElementSibling.textContent}))"""
    ):
        kind = d["title"].split(":")[0]
        assert kind.replace(" ", "-") == d["cls"] and d["tag"] and kind in d["sr"]


def test_unticking_a_kind_in_the_legend_stops_its_highlighting(visit):
    page = visit(TOPIC)
    kind = page.locator(".sc-versions .sc-d").first.get_attribute("class").split("sc-k-")[1]
    mark = page.locator(f".sc-versions .sc-k-{kind}.sc-d").first

    def background():
        return mark.evaluate("e => getComputedStyle(e).backgroundColor")

    before = background()
    page.locator(f'.sc-show[value="{kind}"]').uncheck()
    assert background() != before and background() == "rgba(0, 0, 0, 0)"


def test_passage_links_lead_to_the_article_and_back(visit):
    page = visit(TOPIC)
    link = page.locator(".sc-version__who a").first
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(f"**#{anchor}")
    ref = page.locator(f"#{anchor}")
    assert ref.is_visible()
    passage = ref.inner_text()
    ref.click()
    page.wait_for_url(f"**/{TOPIC}#{passage}")
    assert page.locator(f"h3#{passage}").is_visible()


def test_print_style_keeps_the_comparison_and_drops_the_chrome(visit):
    page = visit(TOPIC)
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden()
    assert page.locator(".sc-passage").first.is_visible()
    assert page.locator(".sc-legend input").first.is_hidden()


def _serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(visit, path, scheme):
    if not AXE.is_file():
        pytest.fail("axe-core missing: run ./tasks.sh test, which runs npm ci")
    assert _serious_violations(visit(path, DESKTOP, scheme)) == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_serious_violation_on_a_large_topic(visit, large_url, width):
    if not AXE.is_file():
        pytest.fail("axe-core missing: run ./tasks.sh test, which runs npm ci")
    page = visit(LARGE, width, base=large_url)
    page.locator("form.sc-filters").get_by_label("Kind of match").select_option("reuse")  # the filtered state too
    assert _serious_violations(page) == []
