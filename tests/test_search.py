"""Site search (issue 19): what the index holds, and a search typed into the built seed site in Chromium."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

TOPIC = "iran-missile-strikes-2020"


def _index(seed_site: Path) -> list[dict]:
    return json.loads((seed_site / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def _data(seed_site: Path) -> dict:
    return json.loads((seed_site / "docs" / "data" / f"{TOPIC}.json").read_text(encoding="utf-8"))


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_search_finds_the_topic_its_outlets_and_article_titles_but_not_the_articles_own_text(seed_site):
    docs = _index(seed_site)
    topic = [d for d in docs if d["location"].startswith(f"topics/{TOPIC}/")]
    text = " ".join(_plain(d["title"] + " " + d["text"]) for d in topic)
    data = _data(seed_site)
    assert any(_plain(d["title"]) == data["topic"]["title"] for d in topic)
    for a in data["articles"]:
        assert a["outlet"] in text and " ".join(a["title"].split()) in text, a["id"]
        # what an article says alone is on its own page, which search leaves out: not copied into the index
        for span in a["unique"]:
            said = " ".join(span["text"].split())
            if len(said.split()) >= 12 and said not in " ".join(a["title"].split()):
                assert said not in text, (a["id"], said[:60])
    # no entry that every topic page would repeat with nothing of its own ("Translation report", "Coverage"…)
    titles = Counter(_plain(d["title"]) for d in topic)
    repeated = ("Coverage", "Passages", "What each article says alone", "Inside each article", "Translation report")
    assert not [t for t in titles if t in repeated]
    assert not [d["location"] for d in topic if not d["text"].strip() and "#" in d["location"]]


def _rare_word_of_one_passage(docs: list[dict], data: dict) -> tuple[str, str]:
    """A word that only one passage's base reading has in the whole index, and that passage's id."""
    counts = Counter(w for d in docs for w in set(re.findall(r"[a-z]{7,}", _plain(d["title"] + " " + d["text"]).lower())))
    for p in data["passages"]:
        if len({m["article"] for m in p["members"]}) < 2:
            continue
        entry = next(d for d in docs if d["location"].endswith(f"#{p['id']}") and d["text"])
        for word in sorted(set(re.findall(r"[a-z]{7,}", _plain(entry["text"]).lower()))):
            if counts[word] == 1:
                return word, p["id"]
    raise AssertionError("no passage has a word of its own")


@pytest.mark.browser
def test_typing_in_the_search_box_lists_the_passage_and_the_topic(browser, seed_site, seed_url):
    """A reader types a word of one shared passage, then an outlet's name: results appear and lead there."""
    docs, data = _index(seed_site), _data(seed_site)
    word, passage = _rare_word_of_one_passage(docs, data)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(seed_url, wait_until="networkidle")
        page.click(".md-search__input")
        page.keyboard.type(word)
        page.wait_for_selector(".md-search-result__item", timeout=30_000)
        links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")
        found = [urlsplit(link) for link in links]  # Material adds ?h=<query> to highlight the words on the page
        assert any(u.path.endswith(f"/topics/{TOPIC}/") and u.fragment == passage for u in found), (word, links)

        page.fill(".md-search__input", "")
        page.keyboard.type("LBC")
        page.wait_for_function(
            "[...document.querySelectorAll('.md-search-result__item a')].some(a => a.getAttribute('href').includes('topics/'))",
            timeout=30_000,
        )
        page.click(".md-search-result__item a[href*='topics/']")
        page.wait_for_url(f"**/topics/{TOPIC}/**")
        assert "LBC" in page.inner_text("article")
    finally:
        context.close()
