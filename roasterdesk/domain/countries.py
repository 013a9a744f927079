"""Coffee-origin countries: names → ISO 3166-1 alpha-2, and rough bounding boxes.

The bounding boxes are a *plausibility* check for plot coordinates (swapped latitude/longitude,
a plot in the wrong country), not a border test: a box is a rectangle around the country (plus
a margin), so a point just across a border inside the rectangle passes. Boxes cover the coffee
origins a roaster buys from; for any other country the check reports "not checked".
"""

from __future__ import annotations

import unicodedata

# (min_lon, min_lat, max_lon, max_lat), WGS84 degrees, rounded outwards.
BOUNDING_BOXES: dict[str, tuple[float, float, float, float]] = {
    "AU": (112.9, -43.7, 153.7, -10.0),
    "BI": (29.0, -4.5, 30.9, -2.3),
    "BO": (-69.7, -22.9, -57.4, -9.6),
    "BR": (-74.0, -33.8, -34.7, 5.3),
    "CD": (12.2, -13.5, 31.3, 5.4),
    "CI": (-8.6, 4.3, -2.4, 10.8),
    "CM": (8.4, 1.6, 16.2, 13.1),
    "CN": (73.5, 18.1, 134.8, 53.6),
    "CO": (-81.8, -4.3, -66.8, 13.4),
    "CR": (-86.0, 8.0, -82.5, 11.3),
    "CU": (-85.0, 19.8, -74.1, 23.3),
    "DO": (-72.1, 17.4, -68.3, 20.0),
    "EC": (-92.1, -5.1, -75.2, 1.7),
    "ET": (32.9, 3.4, 48.0, 14.9),
    "GT": (-92.3, 13.7, -88.2, 17.9),
    "HN": (-89.4, 12.9, -83.1, 17.5),
    "HT": (-74.5, 18.0, -71.6, 20.1),
    "ID": (95.0, -11.0, 141.1, 6.1),
    "IN": (68.1, 6.7, 97.4, 35.5),
    "JM": (-78.4, 17.7, -76.2, 18.6),
    "KE": (33.9, -4.7, 41.9, 5.0),
    "LA": (100.1, 13.9, 107.7, 22.5),
    "MG": (43.2, -25.7, 50.5, -11.9),
    "MM": (92.2, 9.8, 101.2, 28.6),
    "MW": (32.6, -17.2, 36.0, -9.3),
    "MX": (-117.2, 14.5, -86.7, 32.8),
    "NI": (-87.7, 10.7, -82.6, 15.1),
    "NP": (80.0, 26.3, 88.3, 30.5),
    "PA": (-83.1, 7.2, -77.1, 9.7),
    "PE": (-81.4, -18.4, -68.6, 0.0),
    "PG": (140.8, -11.7, 156.0, -1.0),
    "PH": (116.9, 4.6, 126.6, 21.1),
    "PR": (-68.0, 17.9, -65.2, 18.6),
    "RW": (28.8, -2.9, 30.9, -1.0),
    "SV": (-90.2, 13.1, -87.6, 14.5),
    "TH": (97.3, 5.6, 105.7, 20.5),
    "TL": (124.0, -9.5, 127.4, -8.1),
    "TW": (119.3, 21.8, 122.1, 25.4),
    "TZ": (29.3, -11.8, 40.5, -0.9),
    "UG": (29.5, -1.5, 35.1, 4.3),
    "US": (-179.2, 18.9, -66.9, 71.4),
    "VE": (-73.4, 0.6, -59.8, 12.2),
    "VN": (102.1, 8.4, 109.5, 23.4),
    "YE": (42.5, 12.1, 54.6, 19.0),
    "ZM": (21.9, -18.1, 33.8, -8.2),
    "ZW": (25.2, -22.5, 33.1, -15.6),
}

MARGIN_DEG = 0.1
"""Slack around each box (≈ 11 km), so plots on a border are not flagged."""

_NAMES: dict[str, tuple[str, ...]] = {
    "AU": ("Australia",),
    "BI": ("Burundi",),
    "BO": ("Bolivia", "Plurinational State of Bolivia"),
    "BR": ("Brazil", "Brasil", "Brésil"),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo", "Congo (Kinshasa)",
           "Congo, Democratic Republic"),
    "CI": ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"),
    "CM": ("Cameroon", "Cameroun"),
    "CN": ("China", "Yunnan"),
    "CO": ("Colombia", "Colombie", "Kolumbien"),
    "CR": ("Costa Rica",),
    "CU": ("Cuba",),
    "DO": ("Dominican Republic", "República Dominicana"),
    "EC": ("Ecuador", "Équateur"),
    "ET": ("Ethiopia", "Etiopía", "Etiopia", "Éthiopie", "Äthiopien"),
    "GT": ("Guatemala",),
    "HN": ("Honduras",),
    "HT": ("Haiti", "Haïti"),
    "ID": ("Indonesia", "Sumatra", "Java", "Sulawesi", "Bali", "Flores"),
    "IN": ("India", "Inde", "Indien"),
    "JM": ("Jamaica",),
    "KE": ("Kenya", "Kenia"),
    "LA": ("Laos", "Lao PDR"),
    "MG": ("Madagascar",),
    "MM": ("Myanmar", "Burma"),
    "MW": ("Malawi",),
    "MX": ("Mexico", "México", "Mexique"),
    "NI": ("Nicaragua",),
    "NP": ("Nepal",),
    "PA": ("Panama", "Panamá"),
    "PE": ("Peru", "Perú", "Pérou"),
    "PG": ("Papua New Guinea", "PNG"),
    "PH": ("Philippines",),
    "PR": ("Puerto Rico",),
    "RW": ("Rwanda", "Ruanda"),
    "SV": ("El Salvador", "Salvador"),
    "TH": ("Thailand",),
    "TL": ("Timor-Leste", "East Timor", "Timor"),
    "TW": ("Taiwan",),
    "TZ": ("Tanzania", "United Republic of Tanzania"),
    "UG": ("Uganda", "Ouganda"),
    "US": ("United States", "USA", "Hawaii", "Kona"),
    "VE": ("Venezuela",),
    "VN": ("Vietnam", "Viet Nam"),
    "YE": ("Yemen", "Yémen", "Jemen"),
    "ZM": ("Zambia",),
    "ZW": ("Zimbabwe",),
}
_ALPHA3 = {
    "AUS": "AU", "BDI": "BI", "BOL": "BO", "BRA": "BR", "COD": "CD", "CIV": "CI", "CMR": "CM",
    "CHN": "CN", "COL": "CO", "CRI": "CR", "CUB": "CU", "DOM": "DO", "ECU": "EC", "ETH": "ET",
    "GTM": "GT", "HND": "HN", "HTI": "HT", "IDN": "ID", "IND": "IN", "JAM": "JM", "KEN": "KE",
    "LAO": "LA", "MDG": "MG", "MMR": "MM", "MWI": "MW", "MEX": "MX", "NIC": "NI", "NPL": "NP",
    "PAN": "PA", "PER": "PE", "PNG": "PG", "PHL": "PH", "PRI": "PR", "RWA": "RW", "SLV": "SV",
    "THA": "TH", "TLS": "TL", "TWN": "TW", "TZA": "TZ", "UGA": "UG", "USA": "US", "VEN": "VE",
    "VNM": "VN", "YEM": "YE", "ZMB": "ZM", "ZWE": "ZW",
}


def _fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Etiopía " → "etiopia"."""
    text = text.replace("’", "'")  # before folding to ASCII, which would drop it
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


_BY_NAME: dict[str, str] = {
    _fold(name): code for code, names in _NAMES.items() for name in names
}


def country_code(text: str) -> str | None:
    """ISO-2 code for a country name, an ISO-2 or an ISO-3 code; ``None`` if unknown.

    Any two letters are accepted as an ISO-2 code (the store checks only the shape), so a
    country outside this table can still be entered by its code.
    """
    raw = text.strip()
    if len(raw) == 2 and raw.isalpha() and raw.isascii():
        return raw.upper()
    if len(raw) == 3 and raw.isalpha() and raw.upper() in _ALPHA3:
        return _ALPHA3[raw.upper()]
    return _BY_NAME.get(_fold(raw))


def country_name(code: str) -> str:
    """The English name of a code in the table, else the code itself."""
    names = _NAMES.get(code)
    return names[0] if names else code


def in_box(code: str, lon: float, lat: float) -> bool | None:
    """Whether (lon, lat) lies in the country's box (with margin); ``None`` if no box is known."""
    box = BOUNDING_BOXES.get(code)
    if box is None:
        return None
    min_lon, min_lat, max_lon, max_lat = box
    return (min_lon - MARGIN_DEG <= lon <= max_lon + MARGIN_DEG
            and min_lat - MARGIN_DEG <= lat <= max_lat + MARGIN_DEG)


def location_check(code: str, lon: float, lat: float) -> str:
    """``"ok"``, ``"swapped"`` (inside only with lat/lon exchanged), ``"outside"`` or ``"unknown"``.

    Swapped means the position as written lies outside the box and the exchanged pair inside.
    """
    inside = in_box(code, lon, lat)
    if inside is None:
        return "unknown"
    if inside:
        return "ok"
    if abs(lon) <= 90 and in_box(code, lat, lon):
        return "swapped"
    return "outside"
