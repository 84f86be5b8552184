"""Downloader middlewares, each a thin wrapper around plain functions of the ``crawler`` package: routing a
host to a local server (hostmap), saving and replaying responses (archive), honouring Retry-After (retry)."""
