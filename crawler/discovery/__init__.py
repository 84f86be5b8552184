"""Finding a site's articles: the plain-function half of a site crawl (spiders/site.py is the Scrapy half).

- :mod:`.sources`: links out of robots.txt, sitemaps and indexes, RSS/Atom feeds, listing pages.
- :mod:`.window`: ``--since``/``--until`` as a window of publication times.
- :mod:`.frontier`: which links become requests (article shape, window, seen, stored).
- :mod:`.known`: batched lookups of stored canonical URLs; where an incremental crawl picks up.
- :mod:`.jobs`: job files, so a stopped or killed crawl resumes with the window it started with.
"""
