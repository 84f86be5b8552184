"""The date pipeline inside a real Scrapy crawler: values filled, raw text kept, unreadable dates counted."""

from __future__ import annotations

import logging
import warnings

import pytest
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.items import Article, DateEvidence
from pipelines.dates import DateNormalisationPipeline


@pytest.fixture
def crawler():
    return get_crawler(settings_dict={"ITEM_PIPELINES": {"pipelines.dates.DateNormalisationPipeline": 300}})


@pytest.fixture
def pipeline(crawler):
    return build_from_crawler(DateNormalisationPipeline, crawler)


def vietnamese_article(published: list[DateEvidence], modified: list[DateEvidence] | None = None) -> Article:
    article = Article(
        url="https://vnexpress.net/chay-bai-rac-lon-nhat-nghe-an-lua-lan-sang-rung-phong-ho-5099243.html",
        site="vnexpress.net",
        language="vi",
        crawled_at="2026-07-20T01:00:00+00:00",
    )
    article.dates = {"published": published, "modified": modified or []}
    return article


def test_pipeline_normalises_with_the_site_zone_and_the_fetch_time(pipeline, crawler):
    article = vietnamese_article(
        [
            DateEvidence("Chủ nhật, 19/7/2026, 22:35 (GMT+7)", False, "visible"),
            DateEvidence("2026-07-19T22:35:28+07:00", True, "meta"),
        ],
        [DateEvidence("2 giờ trước", False, "visible")],
    )
    assert pipeline.process_item(article) is article
    assert (article.published, article.published_raw) == (
        "2026-07-19T22:35:28+07:00",
        "Chủ nhật, 19/7/2026, 22:35 (GMT+7)",
    )
    # "2 giờ trước" against crawled_at (08:00 in Hanoi), in the site's zone.
    assert article.modified == "2026-07-20T06:00:00+07:00"
    assert article.dates == {}
    assert crawler.stats.get_value("news/date_unparsed") is None


def test_pipeline_counts_unreadable_dates_and_keeps_raw_text(pipeline, crawler, caplog):
    article = vietnamese_article([DateEvidence("Cập nhật lúc ??", False, "visible")])
    with caplog.at_level(logging.WARNING, logger="pipelines.dates"):
        pipeline.process_item(article)
    assert (article.published, article.published_raw) == (None, "Cập nhật lúc ??")
    assert crawler.stats.get_value("news/vnexpress.net/date_unparsed/published") == 1
    assert crawler.stats.get_value("news/date_unparsed") == 1
    assert "Article (no-date): https://vnexpress.net/" in caplog.text
    assert "Cập nhật lúc ??" in caplog.text


def test_pipeline_without_crawled_at_still_reads_absolute_dates(pipeline):
    article = Article(url="https://example.com/a", site="example.com", language="en")
    article.dates = {"published": [DateEvidence("May 3, 2024 7:15 pm EDT", False, "visible")]}
    pipeline.process_item(article)
    assert article.published == "2024-05-03T19:15:00-04:00"


def test_pipeline_reads_dict_items_with_evidence_and_passes_others(pipeline, crawler):
    item = {
        "url": "https://dantri.com.vn/a.htm",
        "site": "dantri.com.vn",
        "crawled_at": "2026-07-21T03:00:00Z",
        "dates": {"published": [{"raw": "Thứ ba, 21/07/2026 - 00:00", "machine": False, "origin": "visible"}]},
    }
    assert pipeline.process_item(item) is item
    assert item["published"] == "2026-07-21T00:00:00+07:00"
    assert item["published_raw"] == "Thứ ba, 21/07/2026 - 00:00"
    assert item["dates"] == {}

    other = {"title": "no dates here"}
    assert pipeline.process_item(other) == {"title": "no dates here"}


def test_scrapy_loads_the_pipeline_from_settings_without_deprecation_warnings(crawler):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "process_item() requires a spider argument"
        manager = ItemPipelineManager.from_crawler(crawler)
    assert [type(m) for m in manager.middlewares] == [DateNormalisationPipeline]
