"""The corpus layer: many reports as one desk.

``store`` keeps articles, rejections and corpus results in SQLite or PostgreSQL; ``schema``
declares its tables and ``migrations`` brings an older store up to date. This layer imports
records, never spaCy or a stage.
"""
