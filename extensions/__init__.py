"""Scrapy extensions: thin wrappers around plain functions of the ``crawler`` package (progress)."""
