"""The demo paper's pages: article pages, section listings, sitemaps, the RSS feed and robots.txt.

Markup in the style of Vietnamese news sites (a weekday date line "Thứ hai, 20/07/2026 - 08:15 (GMT+7)", a sapo
opening with the paper's mark "BM - ", a captioned photo with "(Ảnh: ...)", the author's name closing the
body, JSON-LD), the shapes crawler/profiles/baomau.toml describes. Sitemaps, feed and canonical links give
absolute URLs on the paper's own host (``http://baomau.example``); page links are paths, so a browser pointed
at the test server can follow them too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from crawler.demo.content import SECTIONS, DemoArticle

HOST = "baomau.example"
BASE = f"http://{HOST}"
NAME = "Báo Mẫu"
# Article layouts: "standard"; "nodates", the same pages with every publication date gone (the date line, the
# meta tag, JSON-LD's datePublished), as after a site's redesign: the health checks must notice.
LAYOUTS = ("standard", "nodates")
_WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")


def article_page(article: DemoArticle, related: Sequence[DemoArticle] = (), layout: str = "standard") -> str:
    text = article.text
    dated = layout != "nodates"
    url = BASE + article.path
    published = article.published.isoformat()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        **({"datePublished": published} if dated else {}),
        "author": [{"@type": "Person", "name": text.author}, {"@type": "Organization", "name": NAME}],
        "articleSection": article.section_name,
    }
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in text.paragraphs[:2])
    body += f"""
      <figure class="photo">
        <img src="/anh/{article.id}.jpg" alt="{escape(text.photo_caption)}">
        <figcaption>{escape(text.photo_caption)} (Ảnh: {escape(text.photo_credit)})</figcaption>
      </figure>
"""
    body += "\n".join(f"      <p>{escape(p)}</p>" for p in text.paragraphs[2:])
    links = "".join(f'<li><a href="{r.path}">{escape(r.title)}</a></li>' for r in related)
    tags = "".join(f'<a class="tag" href="/tag/{escape(t)}">{escape(t)}</a>' for t in text.tags)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{escape(article.title)} - {NAME}</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="{NAME}">
<meta property="og:title" content="{escape(article.title)}">
{f'<meta itemprop="datePublished" content="{published}">' if dated else ""}
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body>
{_header()}
<main class="container">
  <ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/{article.section}">{article.section_name}</a></li></ul>
  <article class="article-detail">
    <h1 class="article-title">{escape(article.title)}</h1>
    <div class="article-meta">{f'<span class="article-date">{_visible_date(article.published)}</span>' if dated else ""}</div>
    <p class="sapo">BM - {escape(text.lede)}</p>
    <div class="article-body">
{body}
      <p class="author">{escape(text.author)}</p>
    </div>
    <div class="tags">{tags}</div>
  </article>
  <aside class="related"><h2>Tin liên quan</h2><ul>{links}</ul></aside>
</main>
</body>
</html>
"""


def listing_page(title: str, path: str, items: Sequence[DemoArticle], page: int, has_next: bool) -> str:
    """A section (or home) page: newest first, a date per item, a "next page" link while older ones remain."""
    rows = "\n".join(
        f'  <article class="item-news"><h3 class="title-news"><a href="{a.path}">{escape(a.title)}</a></h3>'
        f'<time datetime="{a.published.isoformat()}">{a.published:%d/%m/%Y %H:%M}</time></article>'
        for a in items
    )
    nav = f'<a class="next-page" rel="next" href="{path}?page={page + 1}">Trang sau</a>' if has_next else ""
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>{escape(title)} - {NAME}</title>
<link rel="alternate" type="application/rss+xml" href="/rss/tin-moi.rss"></head>
<body>
{_header()}
<main class="container"><h1>{escape(title)}</h1>
<section class="list-news">
{rows}
</section>
<div class="pagination">{nav}</div>
</main>
</body>
</html>
"""


def sitemap_index(months: Sequence[tuple[str, datetime]]) -> str:
    """The index of per-month sitemaps, newest first; lastmod is the newest article in that month."""
    rows = "\n".join(
        f"  <sitemap><loc>{BASE}/sitemaps/{month}.xml</loc><lastmod>{last.isoformat()}</lastmod></sitemap>"
        for month, last in months
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{rows}
</sitemapindex>
"""


def urlset(items: Sequence[DemoArticle]) -> str:
    """A sitemap of article URLs with lastmod and Google News' publication date."""
    rows = "\n".join(
        f"  <url><loc>{BASE}{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod>"
        f"<news:news><news:publication><news:name>{NAME}</news:name><news:language>vi</news:language>"
        f"</news:publication><news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{rows}
</urlset>
"""


def rss(items: Sequence[DemoArticle]) -> str:
    rows = "\n".join(
        f"<item><title>{escape(a.title)}</title><link>{BASE}{a.path}?utm_source=rss</link>"
        f'<guid isPermaLink="false">bm-{a.id}</guid><pubDate>{format_datetime(a.published)}</pubDate></item>'
        for a in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{NAME} - Tin mới</title><link>{BASE}/</link><language>vi</language>
{rows}
</channel></rss>
"""


def robots() -> str:
    # The search page is the kind of endless URL space a crawler must stay out of; a polite one does.
    return f"User-agent: *\nDisallow: /tim-kiem\n\nSitemap: {BASE}/sitemap.xml\nSitemap: {BASE}/sitemap-news.xml\n"


def _header() -> str:
    nav = "".join(f'<a href="/{slug}">{name}</a>' for slug, name in SECTIONS)
    return f'<header class="site-header"><a class="logo" href="/">{NAME}</a><nav>{nav}</nav></header>'


def _visible_date(moment: datetime) -> str:
    return f"{_WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y - %H:%M} (GMT+7)"
