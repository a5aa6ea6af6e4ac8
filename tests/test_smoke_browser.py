import pytest


@pytest.mark.browser
def test_seed_topic_page_opens_in_chromium(page, seed_url):
    page.goto(seed_url + "topics/iran-missile-strikes-2020/")
    assert "Iranian missile strikes" in page.title()
    assert page.locator(".sc-passage").count() >= 5
