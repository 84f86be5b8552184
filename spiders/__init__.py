"""Scrapy spiders. They find URLs and hand responses to extraction; they hold no selectors."""
