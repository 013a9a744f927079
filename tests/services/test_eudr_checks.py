"""EUDR plot checks as TRACES judges them: real borders, geometry, area, decimals as recorded."""

from __future__ import annotations

import json
from decimal import Decimal

from roasterdesk.services import borders, eudr


def _cats(findings):
    return [c for c, _ in findings]


def _point(lon, lat):
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})


def _polygon(ring):
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


# A square of about 200 m x 200 m (≈ 4 ha) near Pitalito, Huila, counter-clockwise
SQUARE = [[-76.050001, 1.850001], [-76.048201, 1.850001], [-76.048201, 1.851801],
          [-76.050001, 1.851801], [-76.050001, 1.850001]]


def test_quito_plot_of_a_colombian_producer_is_an_error():
    findings, feature = eudr.plot_findings("Quito", _point(-78.470001, -0.180001),
                                           Decimal(1), "CO")
    assert feature is None
    detail = dict(findings)[eudr.OUTSIDE]
    assert "in Ecuador" in detail and "outside Colombia" in detail and "tolerance 1 km" in detail


def test_merida_plot_of_a_colombian_producer_is_an_error():
    findings, feature = eudr.plot_findings("Mérida", _point(-71.144581, 8.589722), Decimal(1), "CO")
    assert feature is None and "in Venezuela" in dict(findings)[eudr.OUTSIDE]
    findings, feature = eudr.plot_findings("Mérida", _point(-71.144581, 8.589722), Decimal(1), "VE")
    assert feature is not None and findings == []


def test_plot_500_m_inside_the_border_is_a_warning():
    inside, outside = (-77.28, 1.21), (-78.47, -0.18)  # Pasto (CO) towards Quito (EC)
    for _ in range(40):
        mid = ((inside[0] + outside[0]) / 2, (inside[1] + outside[1]) / 2)
        if borders.border_check("CO", *mid).inside:
            inside = mid
        else:
            outside = mid
    # 500 m back towards Pasto (the line runs about 45° to the meridian: step both ways)
    step = 0.5 / 111.195 / 2 ** 0.5
    lon, lat = inside[0] + step, inside[1] + step
    text = f'{{"type": "Point", "coordinates": [{lon:.6f}, {lat:.6f}]}}'
    findings, feature = eudr.plot_findings("Frontera", text, Decimal(1), "CO")
    assert feature is not None
    assert _cats(findings) == [eudr.NEAR_BORDER]
    assert "m inside the border of Colombia" in findings[0][1]


def test_a_5_ha_point_needs_a_polygon():
    findings, feature = eudr.plot_findings("Big", _point(-76.05, 1.85), Decimal(5), "CO")
    assert feature is None and _cats(findings) == [eudr.POINT_OVER_4HA]
    findings, feature = eudr.plot_findings("Small", _point(-76.050001, 1.850001), Decimal(4),
                                           "CO")
    assert feature is not None and findings == []


def test_bow_tie_polygon_is_invalid_with_the_reason():
    bowtie = [[-76.0, 1.0], [-75.99, 1.01], [-75.99, 1.0], [-76.0, 1.01], [-76.0, 1.0]]
    findings, feature = eudr.plot_findings("Bow", _polygon(bowtie), None, "CO")
    assert feature is None and _cats(findings) == [eudr.INVALID]
    assert "Self-intersection" in findings[0][1]


def test_duplicate_vertex_is_an_error():
    ring = SQUARE[:2] + [SQUARE[1]] + SQUARE[2:]
    findings, feature = eudr.plot_findings("Dup", _polygon(ring), None, "CO")
    assert feature is None and _cats(findings) == [eudr.DUPLICATE_VERTEX]


def test_three_decimals_warn_and_are_written_as_recorded():
    text = '{"type": "Point", "coordinates": [-75.681, 4.531]}'
    findings, feature = eudr.plot_findings("Tres", text, Decimal(1), "CO")
    assert feature is not None and _cats(findings) == [eudr.FEW_DECIMALS]
    assert "3 decimals" in findings[0][1] and "not padded" in findings[0][1]
    feature["properties"] = {"ProductionPlace": "Tres"}
    out = eudr.geojson_text([feature])
    assert '"coordinates":[-75.681,4.531]' in out and "4.531000" not in out
    assert '"coordinates":[-75.6810,4.5310]' in eudr.geojson_text(
        [{**feature, "geometry": json.loads('{"type": "Point", "coordinates": '
                                            '[-75.6810, 4.5310]}', parse_float=Decimal)}])


def test_area_off_by_30_percent_warns():
    computed = eudr.geodesic_area_ha([tuple(p) for p in SQUARE])
    assert 3.9 < computed < 4.1  # 200 m x 200 m
    off = Decimal(str(round(computed * 1.3, 4)))
    findings, feature = eudr.plot_findings("Off", _polygon(SQUARE), off, "CO")
    assert feature is not None and _cats(findings) == [eudr.AREA_MISMATCH]
    assert "30 % apart" in findings[0][1]
    close = Decimal(str(round(computed * 1.05, 4)))
    findings, _ = eudr.plot_findings("Close", _polygon(SQUARE), close, "CO")
    assert findings == []


def test_clockwise_ring_is_written_counter_clockwise_and_said():
    clockwise = SQUARE[::-1]
    findings, feature = eudr.plot_findings("CW", _polygon(clockwise), None, "CO")
    assert _cats(findings) == [eudr.REVERSED]
    ring = [[float(x) for x in p] for p in feature["geometry"]["coordinates"][0]]
    assert ring == SQUARE
