"""Item pipelines: each does one thing to an extracted record (normalise dates, validate, store), in the order
``ITEM_PIPELINES`` gives. Each is a thin wrapper around a plain function of the ``crawler`` package."""
