"""Send the requests for some hosts to another address: ``NEWS_HOST_MAP = {"baomau.example": "127.0.0.1:8000"}``.

The target is used as an HTTP proxy, so the URL, the Host header, robots.txt, canonical URLs and the store's
keys all keep the site's own name while the bytes come from the local server: this is how `crawler demo` and
the crawl tests reach the demo site, and how a staging mirror of a real site can be crawled. Plain http only
(an https URL would need the proxy to speak CONNECT and TLS).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured


class HostMapMiddleware:
    def __init__(self, host_map: dict[str, str]):
        self.proxies = {host.lower(): f"http://{target}" for host, target in host_map.items()}

    @classmethod
    def from_crawler(cls, crawler):
        host_map = crawler.settings.getdict("NEWS_HOST_MAP")
        if not host_map:
            raise NotConfigured
        return cls(host_map)

    def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        proxy = self.proxies.get((parts.hostname or "").lower())
        if proxy and parts.scheme == "http" and "proxy" not in request.meta:
            request.meta["proxy"] = proxy
        return None
