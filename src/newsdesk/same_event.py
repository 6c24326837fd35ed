"""Whether two mentions can report one real event: the tests the corpus applies to the events of
many articles (:mod:`newsdesk.corpus.merging`) and the events stage to the mentions of one
(:mod:`newsdesk.stages.events.incidents`). Pure functions on records; imports nothing of
newsdesk but the records and :mod:`newsdesk.geo`, so that both layers can share them.
"""

from __future__ import annotations

from newsdesk import geo
from newsdesk.records import Place

__all__ = ["intervals_meet", "same_place"]

# A place of this precision or coarser is a province or a country: it holds the places in it.
_PROVINCE = 3
_COUNTRY = 4


def same_place(a: Place, b: Place, max_km: float) -> bool:
    """True when two places can be where one event happened: the same gazetteer place; one
    the province or country that holds the other (when the provinces agree); or within
    ``max_km`` of each other. Different countries, or distant places, never are."""
    if a.gazetteer_id and a.gazetteer_id == b.gazetteer_id:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    coarse = max(a.precision or 1, b.precision or 1) >= _PROVINCE
    if coarse and a.country and a.country == b.country:
        return (
            (a.precision or 1) >= _COUNTRY or (b.precision or 1) >= _COUNTRY or a.admin1 == b.admin1
        )
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return geo.distance_km(a.lat, a.lon, b.lat, b.lon) <= max_km
    return a.name.casefold() == b.name.casefold()


def intervals_meet(a: tuple[int, int], b: tuple[int, int], window: int) -> bool:
    """True when two day intervals (day numbers, both ends included) overlap once each is
    widened by ``window`` days: the dates two reports give one event may differ that much."""
    return not (a[0] > b[1] + window or a[1] < b[0] - window)
