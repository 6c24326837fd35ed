"""Distances on the earth."""

from __future__ import annotations

import pytest

from newsdesk.geo import distance_km


def test_geo_distance_london_to_paris() -> None:
    assert distance_km(51.5074, -0.1278, 48.8566, 2.3522) == pytest.approx(343.5, abs=2)


def test_geo_distance_is_symmetric_and_zero_at_a_point() -> None:
    assert distance_km(34.5, 69.2, 31.6, 65.7) == pytest.approx(distance_km(31.6, 65.7, 34.5, 69.2))
    assert distance_km(34.5, 69.2, 34.5, 69.2) == 0.0
