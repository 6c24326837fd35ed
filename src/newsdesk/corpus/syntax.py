"""What a search reads and how its hits are marked: words the faces show in help texts and
tables, kept apart from ``store`` so that showing them loads no database library."""

from __future__ import annotations

__all__ = ["HIT_END", "HIT_START", "SEARCH_SYNTAX"]

HIT_START = "«"
HIT_END = "»"
"""Marks around the matched words in :attr:`SearchHit.snippet`, on both back ends."""

SEARCH_SYNTAX = (
    'words, which must all appear ("advancing" also finds "advanced"); "quoted phrases"; a '
    "prefix ending in * (dron* finds drone and drones); and OR between alternatives "
    "(hospital OR convoy; kabul airport OR kandahar finds kabul with airport, or kandahar)"
)
"""What :meth:`Store.search` reads, in words: for help texts and error messages."""
