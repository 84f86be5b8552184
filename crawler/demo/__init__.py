"""The demo news site: an invented Vietnamese-style paper ("Báo Mẫu", baomau.example), generated from a seed.

:mod:`.content` invents the articles, :mod:`.pages` renders them (articles, listings, sitemaps, RSS, robots.txt),
:mod:`.site` serves them on 127.0.0.1. ``crawler demo`` crawls it into SQLite; the crawl tests count its requests.
"""
