"""One spider per site profile, generated: ``scrapy list`` shows them, ``scrapy crawl <profile id>`` runs one.

No class is written by hand for a site: its knowledge is its profile (crawler/profiles/<id>.toml), and its
crawl is spiders/site.py's. A site whose crawl one day needs code gets a subclass of SiteSpider here.
"""

from __future__ import annotations

from crawler.profiles import Profile, load_profiles
from spiders.site import SiteSpider


def spider_class(profile: Profile) -> type[SiteSpider]:
    """The spider of one profile; its [crawl] limits become spider-priority settings (-s still overrides)."""
    settings = {}
    if profile.limits.concurrency is not None:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = profile.limits.concurrency
    if profile.limits.delay is not None:
        settings["DOWNLOAD_DELAY"] = profile.limits.delay
    class_name = "".join(part.capitalize() for part in profile.id.replace("-", "_").split("_")) + "Spider"
    return type(
        class_name,
        (SiteSpider,),
        {
            "name": profile.id,
            "profile": profile,
            "custom_settings": settings,
            # Scrapy lists the classes defined in a spider module: this module, not the base class's.
            "__module__": __name__,
            "__doc__": f"Crawls {profile.name} ({', '.join(profile.domains)}) as crawler/profiles/{profile.id}.toml says.",
        },
    )


SPIDERS = {profile.id: spider_class(profile) for profile in load_profiles()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
