"""Units of mass, price and processing basis, with exact ``Decimal`` conversions.

Every quantity carries its unit: a :class:`Mass` knows it is kilograms inside, a :class:`Price`
knows its currency, the mass unit it is quoted per and the basis (cherry, parchment, green) of the
coffee it pays for. Arithmetic between prices refuses to mix units silently
(:class:`UnitMismatch`); converting is always explicit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .countries import country_name

LB_KG = Decimal("0.45359237")
"""One avoirdupois pound in kilograms (exact by definition)."""


class UnitMismatch(ValueError):
    """Two quantities in different units were combined without a conversion."""


def dec(value: object) -> Decimal:
    """Turn an int, str or Decimal into a Decimal; floats are refused (they are not exact)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"refusing inexact value {value!r}: pass a str or Decimal")
    if isinstance(value, (int, str)):
        return Decimal(value)
    raise TypeError(f"cannot make a Decimal of {type(value).__name__}")


@dataclass(frozen=True)
class MassUnit:
    """A named unit of mass, defined by its size in kilograms."""

    name: str
    kg: Decimal

    def __post_init__(self) -> None:
        if self.kg <= 0:
            raise ValueError(f"unit {self.name!r} must weigh more than 0 kg")


KG = MassUnit("kg", Decimal(1))
LB = MassUnit("lb", LB_KG)
QUINTAL = MassUnit("quintal (46 kg)", Decimal(46))
QUINTAL_GT = MassUnit("quintal (100 lb)", 100 * LB_KG)
CARGA = MassUnit("carga (125 kg)", Decimal(125))
ARROBA_CO = MassUnit("arroba (12.5 kg)", Decimal("12.5"))
ARROBA_BR = MassUnit("arroba (15 kg)", Decimal(15))


def bag(size_kg: object) -> MassUnit:
    """A bag of any size, e.g. ``bag(69)`` for Central America; ``BAG_100LB`` for Hawaii."""
    size = dec(size_kg)
    return MassUnit(f"bag ({size.normalize():f} kg)", size)


BAG_60 = bag(60)
BAG_69 = bag(69)
BAG_70 = bag(70)
BAG_50 = bag(50)
BAG_100LB = MassUnit("bag (100 lb)", 100 * LB_KG)

LOCAL_UNITS: dict[str, MassUnit] = {
    u.name: u
    for u in (KG, LB, QUINTAL, QUINTAL_GT, CARGA, ARROBA_CO, ARROBA_BR, BAG_60, BAG_69, BAG_70)
}
"""Units a farm-gate price may be quoted per, by display name."""


class UnitNotKnown(ValueError):
    """A unit name that does not name one unit: ``candidates`` are the units it could be (none
    when the name is no unit known here)."""

    def __init__(self, message: str, candidates: tuple[MassUnit, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


LOCAL_UNIT_ORIGINS: dict[str, tuple[tuple[MassUnit, frozenset[str]], ...]] = {
    "arroba": ((ARROBA_CO, frozenset({"CO"})), (ARROBA_BR, frozenset({"BR"}))),
    "quintal": ((QUINTAL, frozenset({"CR", "HN", "NI", "PE", "SV"})),
                (QUINTAL_GT, frozenset({"GT"}))),
    "carga": ((CARGA, frozenset({"CO"})),),
}
"""A local unit's name → its sizes, each with the countries (ISO-2) where it is the usual one
(docs/domain.md "Units"). In any other country the name is asked, never guessed."""

UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramo",
                     "kilogramos", "kilograma", "kilogramas"), "kg"),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds", "libra", "libras"), "lb"),
    **dict.fromkeys(("bag", "bags", "sack", "sacks", "saco", "sacos", "saca", "sacas"), "bag"),
    **dict.fromkeys(("arroba", "arrobas", "@"), "arroba"),
    **dict.fromkeys(("quintal", "quintales", "quintais", "qq", "qqs"), "quintal"),
    **dict.fromkeys(("carga", "cargas"), "carga"),
}
"""How a unit is written (lower case, no accents, no "per") → the unit's own name."""

_SIZED = re.compile(r"(.+?)\s*\(\s*(\d+(?:\.\d+)?)\s*kg\s*\)")


def _word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    word = " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())
    word = re.sub(r"^(?:per|por|/)\s*", "", word)
    return word.rstrip(".")


def local_unit(text: str, country: str = "", bag_kg: Decimal | None = None) -> MassUnit:
    """The unit a price is quoted per, from its name as written and the producer's country
    (ISO-2): "arroba" is 15 kg in Brazil and 12.5 kg in Colombia, "quintal" or "qq" 100 lb in
    Guatemala and 46 kg in Honduras, "carga" 125 kg in Colombia; "bag" (saco, saca) is the
    lot's own bag size ``bag_kg``. A name with its size ("arroba (15 kg)") is that unit
    anywhere. A name that could be several units (an arroba in Peru, a quintal with no country
    known, a bag with no bag size) raises :class:`UnitNotKnown` naming them: it is asked, never
    guessed."""
    name = " ".join(text.split())
    if name in LOCAL_UNITS:
        return LOCAL_UNITS[name]
    word = _word(name)
    sized = _SIZED.fullmatch(word)
    if sized and UNIT_WORDS.get(sized[1]) not in ("kg", "lb") and Decimal(sized[2]) > 0:
        size = Decimal(sized[2])
        return MassUnit(f"{UNIT_WORDS.get(sized[1], sized[1])} ({size.normalize():f} kg)", size)
    unit = UNIT_WORDS.get(word)
    if unit is None:
        raise UnitNotKnown(f"{name!r} is not a unit known here (kg, lb, bag, arroba, quintal, "
                           "carga, or a unit with its size, e.g. 'lata (12 kg)')")
    if unit in ("kg", "lb"):
        return KG if unit == "kg" else LB
    if unit == "bag":
        if bag_kg is None or bag_kg <= 0:
            raise UnitNotKnown(f"a price per {word} is per the lot's own bag size, and the lot "
                               "records none (60, 69 and 70 kg bags differ by origin)",
                               (BAG_60, BAG_69, BAG_70))
        return bag(bag_kg)
    sizes = LOCAL_UNIT_ORIGINS[unit]
    found = [u for u, where in sizes if country.upper() in where]
    if found:
        return found[0]
    usual = "; ".join(f"{u.name} in {', '.join(sorted(country_name(c) for c in where))}"
                      for u, where in sizes)
    whose = (f"for a producer in {country_name(country.upper())}" if country
             else "with no country known")
    raise UnitNotKnown(f"{name!r} {whose}: which size? (usually {usual}); write the unit "
                       f"with its size, e.g. {sizes[0][0].name!r}",
                       tuple(u for u, _where in sizes))


def units_offered(country: str = "") -> tuple[MassUnit, ...]:
    """The units a farm-gate price for a producer in ``country`` is offered in: kg, lb, the
    local units usual there (a Brazilian producer's arroba is 15 kg, never Colombia's 12.5)
    and the export bags; every local unit when the country is not known (each name says its
    size)."""
    where = {u: w for sizes in LOCAL_UNIT_ORIGINS.values() for u, w in sizes}
    return tuple(u for u in LOCAL_UNITS.values()
                 if not country or u not in where or country.upper() in where[u])


@dataclass(frozen=True, order=True)
class Mass:
    """A mass, held in kilograms. Build with :meth:`of`; read with :meth:`in_`."""

    kg: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.kg, Decimal):
            raise TypeError("Mass.kg must be a Decimal")

    @classmethod
    def of(cls, value: object, unit: MassUnit = KG) -> Mass:
        return cls(dec(value) * unit.kg)

    def in_(self, unit: MassUnit) -> Decimal:
        return self.kg / unit.kg

    @property
    def lb(self) -> Decimal:
        return self.kg / LB_KG

    def __add__(self, other: object) -> Mass:
        if not isinstance(other, Mass):
            raise UnitMismatch(f"cannot add {type(other).__name__} to a Mass")
        return Mass(self.kg + other.kg)

    def __mul__(self, factor: object) -> Mass:
        if isinstance(factor, Mass):
            raise UnitMismatch("mass × mass is not a mass")
        return Mass(self.kg * dec(factor))


class Basis(StrEnum):
    """The form of the coffee a price or a weight refers to."""

    CHERRY = "cherry"
    PARCHMENT = "parchment"
    DRY_CHERRY = "dry_cherry"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {
            "cherry": "fresh cherry",
            "parchment": "dry parchment",
            "dry_cherry": "dried cherry (natural)",
            "green": "green",
        }[self.value]


DEFAULT_KG_PER_KG_GREEN: dict[Basis, Decimal] = {
    Basis.CHERRY: Decimal(6),
    Basis.PARCHMENT: Decimal("1.25"),
    Basis.DRY_CHERRY: Decimal(2),
    Basis.GREEN: Decimal(1),
}
"""Default outturn: kg of each basis needed for 1 kg of green (docs/domain.md; editable per lot)."""


def factor_from_rendimiento(fr: object) -> Decimal:
    """Colombia's *factor de rendimiento* (kg dry parchment per 70 kg excelso) → kg per kg green.

    >>> factor_from_rendimiento(94)
    Decimal('1.342857142857142857142857143')
    """
    value = dec(fr)
    if value <= 0:
        raise ValueError("factor de rendimiento must be positive")
    return value / 70


def factor_from_ico(ico_factor: object) -> Decimal:
    """An ICO conversion factor (kg green per kg basis, e.g. 0.8 for parchment) → kg/kg green."""
    value = dec(ico_factor)
    if not 0 < value <= 1:
        raise ValueError("an ICO factor is a fraction between 0 and 1")
    return 1 / value


def green_equivalent(mass: Mass, basis: Basis, kg_per_kg_green: Decimal | None = None) -> Mass:
    """The green coffee a mass of ``basis`` yields (default outturn unless one is given)."""
    factor = kg_per_kg_green if kg_per_kg_green is not None else DEFAULT_KG_PER_KG_GREEN[basis]
    if factor <= 0:
        raise ValueError("outturn factor must be positive")
    return Mass(mass.kg / factor)


@dataclass(frozen=True)
class Price:
    """An amount of ``currency`` per one ``unit`` of coffee in ``basis`` form."""

    amount: Decimal
    currency: str
    unit: MassUnit = LB
    basis: Basis = Basis.GREEN

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Price.amount must be a Decimal")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code like 'USD', not {self.currency!r}")

    @property
    def per_kg(self) -> Decimal:
        return self.amount / self.unit.kg

    def per(self, unit: MassUnit) -> Price:
        """The same price quoted per another unit of mass."""
        return Price(self.per_kg * unit.kg, self.currency, unit, self.basis)

    def to_green(self, kg_per_kg_green: Decimal | None = None) -> Price:
        """Price per unit of green: a kg of green needs ``kg_per_kg_green`` kg of this basis."""
        factor = (
            kg_per_kg_green
            if kg_per_kg_green is not None
            else DEFAULT_KG_PER_KG_GREEN[self.basis]
        )
        if factor <= 0:
            raise ValueError("outturn factor must be positive")
        return Price(self.amount * factor, self.currency, self.unit, Basis.GREEN)

    def to_usd(self, fx_local_per_usd: Decimal) -> Price:
        """Convert with an exchange rate given as local currency per USD."""
        if self.currency == "USD":
            return self
        if fx_local_per_usd <= 0:
            raise ValueError("exchange rate must be positive")
        return Price(self.amount / fx_local_per_usd, "USD", self.unit, self.basis)

    def in_currency(self, currency: str, fx_local_per_usd: Decimal) -> Price:
        """Convert a USD price into ``currency`` at ``fx_local_per_usd``."""
        if self.currency != "USD":
            raise UnitMismatch("convert to USD first, then to the other currency")
        if fx_local_per_usd <= 0:
            raise ValueError("exchange rate must be positive")
        return Price(self.amount * fx_local_per_usd, currency, self.unit, self.basis)

    def usd_per_lb_green(
        self, fx_local_per_usd: Decimal | None = None, kg_per_kg_green: Decimal | None = None
    ) -> Decimal:
        """The amount in USD per lb of green equivalent (docs/domain.md's farm-gate formula)."""
        price = self
        if price.currency != "USD":
            if fx_local_per_usd is None:
                raise UnitMismatch(f"a price in {self.currency} needs an exchange rate")
            price = price.to_usd(fx_local_per_usd)
        return price.to_green(kg_per_kg_green).per(LB).amount

    def _same_units(self, other: Price) -> None:
        if (self.currency, self.unit, self.basis) != (other.currency, other.unit, other.basis):
            raise UnitMismatch(
                f"{self.currency}/{self.unit.name} {self.basis.value} vs "
                f"{other.currency}/{other.unit.name} {other.basis.value}"
            )

    def __sub__(self, other: Price) -> Price:
        self._same_units(other)
        return Price(self.amount - other.amount, self.currency, self.unit, self.basis)

    def __add__(self, other: Price) -> Price:
        self._same_units(other)
        return Price(self.amount + other.amount, self.currency, self.unit, self.basis)

    def ratio(self, other: Price) -> Decimal:
        """self / other, both in the same units (a share or a multiple)."""
        self._same_units(other)
        if other.amount == 0:
            raise ZeroDivisionError("ratio to a zero price")
        return self.amount / other.amount


def usd_lb(amount: object) -> Price:
    return Price(dec(amount), "USD", LB)


def usd_kg(amount: object) -> Price:
    return Price(dec(amount), "USD", KG)


def cents_lb_to_usd_lb(cents: Decimal) -> Decimal:
    """ICE "C" quotes are US cents per lb: ``c_usd_lb = c_cents_lb / 100``."""
    return cents / 100


def usd_tonne_to_usd_lb(usd_t: Decimal) -> Decimal:
    """ICE London robusta quotes are USD per metric tonne; 1 t = 1,000 kg = 1,000 / 0.45359237 lb
    (≈ 2,204.62 lb), so ``usd_lb = usd_t × 0.45359237 / 1,000`` (4,400 USD/t ≈ 1.9958 USD/lb)."""
    return usd_t * LB_KG / 1000
