"""One robots.txt fetch serves Scrapy's robots middleware and the spider (middlewares/robots.py)."""

from __future__ import annotations

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from middlewares.robots import RobotsOnceMiddleware

ROBOTS = "http://baomau.example/robots.txt"


def answer(url: str, status: int = 200) -> TextResponse:
    return TextResponse(url, status=status, body=b"Sitemap: http://baomau.example/sitemap.xml\n")


def middleware() -> RobotsOnceMiddleware:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return RobotsOnceMiddleware.from_crawler(crawler)


def test_the_second_request_gets_the_first_answer_once():
    mw = middleware()
    scrapys = Request(ROBOTS, meta={"dont_obey_robotstxt": True, "news_fetched_at": "2026-11-25T12:00:00+00:00"})
    assert mw.process_request(scrapys) is None
    mw.process_response(scrapys, answer(ROBOTS))
    spiders = Request(ROBOTS)
    reused = mw.process_request(spiders)
    assert reused.body == answer(ROBOTS).body and reused.request is spiders and "reused" in reused.flags
    assert spiders.meta["news_fetched_at"] == "2026-11-25T12:00:00+00:00"
    assert mw.process_response(spiders, reused) is reused and mw.process_request(Request(ROBOTS)) is None
    assert mw.stats.get_value("robotstxt/reused") == 1


def test_answers_to_retry_and_other_urls_are_not_kept():
    mw = middleware()
    for status in (503, 429):
        mw.process_response(Request(ROBOTS), answer(ROBOTS, status))
        assert mw.process_request(Request(ROBOTS)) is None
    page = "http://baomau.example/robots.txt.html"
    mw.process_response(Request(page), answer(page))
    assert mw.process_request(Request(page)) is None
