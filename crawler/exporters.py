"""Feed exporters that keep the record intact in flat formats.

Scrapy's CSV exporter joins lists with commas and writes other values with ``str()``: author names that
contain commas become ambiguous and ``images`` becomes a Python repr. Here every list or mapping is one JSON
cell, which any CSV reader can decode.
"""

from __future__ import annotations

import dataclasses
import json

from scrapy.exporters import CsvItemExporter


class CsvExporter(CsvItemExporter):
    def serialize_field(self, field, name, value):
        if isinstance(value, (list, tuple, dict)):
            return json.dumps(_plain(value), ensure_ascii=False)
        return super().serialize_field(field, name, value)


def _plain(value):
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
