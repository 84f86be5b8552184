"""What the database holds: articles per site and day, and how complete their fields are per site.

Every figure is an aggregate computed by the database (GROUP BY), so memory does not grow with the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawler.store.schema import article_authors, article_images, articles


@dataclass(frozen=True)
class SiteDay:
    site: str | None
    day: str | None
    """The publication date as the site gives it (its local day, the first ten characters of ``published``);
    None for articles without a publication date."""
    articles: int


@dataclass(frozen=True)
class Coverage:
    """Per site: how many articles, and how many of them have each field."""

    site: str | None
    articles: int
    published: int
    authors: int
    lede: int
    images: int
    """Images of the site's articles (not articles with images)."""
    captioned: int
    """Of those images, the ones with a caption."""

    def share(self, name: str) -> float | None:
        """The share of articles with field ``name`` (``captioned``: of images); None when there is no base."""
        base = self.images if name == "captioned" else self.articles
        return getattr(self, name) / base if base else None


def articles_per_day(engine: Engine) -> list[SiteDay]:
    """Article counts per site and publication day, by site then day."""
    day = sa.func.substr(articles.c.published, 1, 10).label("day")
    query = (
        sa.select(articles.c.site, day, sa.func.count().label("n"))
        .group_by(articles.c.site, day)
        .order_by(articles.c.site, day)
    )
    with engine.connect() as conn:
        return [SiteDay(site, day, n) for site, day, n in conn.execute(query)]


def coverage(engine: Engine) -> list[Coverage]:
    """Field coverage per site, by site."""
    base = sa.select(
        articles.c.site,
        sa.func.count().label("articles"),
        sa.func.count(articles.c.published).label("published"),
        sa.func.count(articles.c.lede).label("lede"),
    ).group_by(articles.c.site)
    with_authors = (
        sa.select(articles.c.site, sa.func.count(sa.distinct(article_authors.c.article_id)))
        .join(article_authors, article_authors.c.article_id == articles.c.id)
        .group_by(articles.c.site)
    )
    images = (
        sa.select(articles.c.site, sa.func.count(), sa.func.count(article_images.c.caption))
        .join(article_images, article_images.c.article_id == articles.c.id)
        .group_by(articles.c.site)
    )
    with engine.connect() as conn:
        authors = dict(conn.execute(with_authors).all())
        pictures = {site: (n, captioned) for site, n, captioned in conn.execute(images)}
        rows = conn.execute(base).all()
    return sorted(
        (
            Coverage(
                site=row.site,
                articles=row.articles,
                published=row.published,
                authors=authors.get(row.site, 0),
                lede=row.lede,
                images=pictures.get(row.site, (0, 0))[0],
                captioned=pictures.get(row.site, (0, 0))[1],
            )
            for row in rows
        ),
        key=lambda c: c.site or "",
    )
