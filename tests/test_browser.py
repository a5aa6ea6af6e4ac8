"""The seed site in headless Chromium: layout on desktop and phone, accessibility, offline use."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from generator.kinds import KINDS

from .conftest import ARTIFACTS, ROOT

pytestmark = pytest.mark.browser

TOPIC = "topics/iran-missile-strikes-2020/"
ARTICLE = "articles/iran-missile-strikes-2020/003-b1d62ed8f169936c/"
PAGES = ["", TOPIC, ARTICLE, "guide/how-to-read/", "browse/outlets/", "browse/2020/"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = 1280, 390


@pytest.fixture
def visit(browser, seed_url) -> Iterator:
    """Open a seed-site page at a given width and colour scheme; fails on any request that leaves the machine."""
    contexts, foreign = [], []

    def open_page(path: str, width: int = DESKTOP, scheme: str = "light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)

        def route(r):
            if urlparse(r.request.url).hostname == "127.0.0.1":
                r.continue_()
            else:
                foreign.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(seed_url + path, wait_until="networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not foreign, f"the site fetched from elsewhere: {foreign}"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize(("width", "name"), [(DESKTOP, "topic-desktop.png"), (PHONE, "topic-phone.png")])
def test_topic_page_shows_every_passage_and_the_legend(visit, width, name):
    page = visit(TOPIC, width)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert no_horizontal_scroll(page)
    legend = page.locator(".sc-legend")
    assert legend.is_visible() and legend.locator("li").count() == len(KINDS)
    passages = page.locator(".sc-passage")
    assert passages.count() >= 5
    for i in range(passages.count()):
        p = passages.nth(i)
        p.scroll_into_view_if_needed()
        assert p.is_visible() and p.locator(".sc-version").first.is_visible()
        box = p.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.locator(".sc-findings").is_visible()


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
