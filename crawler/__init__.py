"""A news crawler: Scrapy spiders, plain-function extraction, normalised article records."""

__version__ = "0.1.0"
