"""The price chain of a lot: C, FOB, premium over C, farm gate, intermediaries, references.

Every figure is computed here (docs/domain.md "Formulas"); the UI and the PDF only display them.
A figure that cannot be computed from the records is ``None`` — never a guess — and
:class:`LotEconomics` says which inputs are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import (
    ContractType,
    FarmGatePrice,
    Lot,
    Party,
    PremiumBasis,
    Process,
    Species,
)
from .money import fmt_kg
from .reference import CSeries, FairtradeTerms, LivingIncomeReference, LondonSeries
from .units import (
    DEFAULT_KG_PER_KG_GREEN,
    KG,
    LB_KG,
    Price,
    cents_lb_to_usd_lb,
    usd_tonne_to_usd_lb,
)


def weight_lb(weight_kg: Decimal) -> Decimal:
    """``weight_lb = weight_kg / 0.45359237``."""
    return weight_kg / LB_KG


def usd_lb_to_usd_kg(usd_lb: Decimal) -> Decimal:
    return usd_lb / LB_KG


def usd_kg_to_usd_lb(usd_kg: Decimal) -> Decimal:
    return usd_kg * LB_KG


def recorded_c_cents(lot: Lot) -> Decimal | None:
    """The C price the records give (cents/lb), whether or not it is the lot's C at fixation:
    on a PTBF lot with fixations their volume-weighted C (of what is fixed, see
    :func:`fixed_c_cents`), else the C recorded on the lot. For checking the figures as they
    are written (C + differential against a recorded FOB), never for pricing the lot.

    Choice: a fixation without a volume counts for the unfixed rest of the lot (nothing when the
    recorded volumes already cover the lot); when every fixation has a volume, those volumes are
    the weights; fixations without volumes on a lot without a weight count equally.
    """
    if lot.contract_type is ContractType.PTBF and lot.fixations:
        return _weighted(lot, [f.c_cents_lb for f in lot.fixations])
    return lot.c_cents_lb


def fixed_c_cents(lot: Lot) -> Decimal | None:
    """The lot's C at fixation (cents/lb): volume-weighted over the fixations of a PTBF
    contract (weights as :func:`recorded_c_cents`), the recorded C of any other contract.

    A PTBF lot has no C at fixation until its whole weight is fixed: none without a fixation
    (a C recorded on it is not fixed: :func:`not_fixed`), none while its fixations' volumes
    cover only part of it (the rest is fixed later, at a C not known yet).
    """
    if lot.contract_type is ContractType.PTBF:
        if not lot.fixations or _unfixed_kg(lot):
            return None
        return _weighted(lot, [f.c_cents_lb for f in lot.fixations])
    return lot.c_cents_lb


def _weighted(lot: Lot, values: list[Decimal]) -> Decimal:
    volumes = [f.volume_kg for f in lot.fixations]
    unfixed = sum(1 for v in volumes if v is None)
    total = lot.weight
    if unfixed and total is None:
        return sum(values, Decimal(0)) / len(values)
    known = sum((v for v in volumes if v is not None), Decimal(0))
    rest = max(total - known, Decimal(0)) / unfixed if unfixed and total else Decimal(0)
    weights = [v if v is not None else rest for v in volumes]
    weighted = sum((w * x for w, x in zip(weights, values, strict=True)), Decimal(0))
    return weighted / sum(weights, Decimal(0))


def _unfixed_kg(lot: Lot) -> Decimal:
    """The kg of a PTBF lot whose price is not fixed yet by its fixations: its weight less
    their volumes when every fixation has one, else 0 (a fixation without a volume stands for
    the rest; see :func:`not_fixed` for a lot without a weight or fixed beyond it)."""
    weight = lot.weight
    volumes = [f.volume_kg for f in lot.fixations]
    known = [v for v in volumes if v is not None]
    if weight is None or not volumes or len(known) < len(volumes):
        return Decimal(0)
    return max(weight - sum(known, Decimal(0)), Decimal(0))


@dataclass(frozen=True)
class NotFixed:
    """What of a PTBF lot's price is not fixed yet: until it is, the lot has no C at fixation,
    and with part of it unfixed no FOB either (:func:`not_fixed`)."""

    fixed_kg: Decimal  # 0: no fixation recorded
    unfixed_kg: Decimal | None  # None: no fixation and the lot's weight not recorded
    fixed_c_cents_lb: Decimal | None  # the fixed volumes' C, volume-weighted; None: none fixed
    fixed_fob_usd_lb: Decimal | None  # their price, C + differential; None without both
    why: str  # "C not fixed yet", "price of 1,400 kg not fixed yet"


def not_fixed(lot: Lot) -> NotFixed | None:
    """What of a PTBF lot's price is not fixed yet, or ``None`` when nothing is left to fix
    (or the contract is not PTBF).

    - No fixation: the lot has no C at fixation (a C recorded on it is not one), said as
      "C not fixed yet" ("London price" for robusta, "market price" when the species is not
      recorded).
    - Fixations whose volumes cover less than the lot's weight (none without a volume for
      "the rest"): neither C nor FOB of the lot is known, said as "price of 1,400 kg not fixed
      yet"; the fixed part's C and price are kept here, to be shown as such.

    Choice: a lot without a recorded weight counts as fixed by its fixations (nothing says a
    part is left; its lot values are not recorded anyway); volumes fixed beyond the lot's
    weight count as the whole lot fixed, its price weighted by those volumes, as before (every
    kg has a price; the import refuses such a row).
    """
    if lot.contract_type is not ContractType.PTBF:
        return None
    if not lot.fixations:
        market = ("C" if lot.species is Species.ARABICA else "London price"
                  if lot.species is Species.ROBUSTA else "market price")
        return NotFixed(Decimal(0), lot.weight, None, None, f"{market} not fixed yet")
    rest = _unfixed_kg(lot)
    if not rest:
        return None
    fixed = sum((f.volume_kg for f in lot.fixations if f.volume_kg is not None), Decimal(0))
    c = _weighted(lot, [f.c_cents_lb for f in lot.fixations])
    diff = lot.differential_cents_lb
    fob = cents_lb_to_usd_lb(c + diff) if diff is not None else None
    return NotFixed(fixed, rest, c, fob, f"price of {fmt_kg(rest)} kg not fixed yet")


def fob_usd_lb(lot: Lot) -> Decimal | None:
    """FOB in USD/lb. PTBF: volume-weighted (C at each fixation + differential) / 100.

    A PTBF lot whose fixations cover only part of its weight has no FOB (the rest's price is
    not known: :func:`not_fixed`), whatever FOB is recorded on it.

    Choice: a FOB recorded on a PTBF lot without fixations (or without a differential to price
    them) is what the records say was paid or agreed: it stays the lot's FOB, but never meets
    a C that is not fixed (:func:`fixed_c_cents` gives none, so no premium over C is computed
    from it).
    """
    if lot.contract_type is ContractType.PTBF:
        if lot.fixations and _unfixed_kg(lot):
            return None
        if not lot.fixations or lot.differential_cents_lb is None:
            return lot.fob_usd_lb
        diff = lot.differential_cents_lb
        return cents_lb_to_usd_lb(_weighted(lot, [f.c_cents_lb + diff for f in lot.fixations]))
    return lot.fob_usd_lb


def farm_gate_usd_lb_green(fg: FarmGatePrice) -> Decimal:
    """``price_local / unit_kg × kg_basis_per_kg_green / fx_local_per_usd × 0.45359237``."""
    factor = fg.kg_per_kg_green or DEFAULT_KG_PER_KG_GREEN[fg.basis]
    return fg.amount / fg.unit_kg * factor / fg.fx_local_per_usd * LB_KG


def farm_gate_local_per_kg_green(fg: FarmGatePrice) -> Decimal:
    factor = fg.kg_per_kg_green or DEFAULT_KG_PER_KG_GREEN[fg.basis]
    return fg.amount / fg.unit_kg * factor


@dataclass(frozen=True)
class FairtradeComparison:
    floor_usd_lb: Decimal
    minimum_usd_lb: Decimal
    meets: bool
    difference_usd_lb: Decimal  # FOB − floor (negative: below the floor)
    # what was not recorded ("process not recorded"): then the FOB is above every floor the lot
    # could have (floor = the highest) or below every one (floor = the lowest); "" when exact
    not_recorded: str = ""
    at_least: bool = False
    """The floor is at least ``floor_usd_lb``: the C price at fixation is not recorded, so only
    the lower bound of ``max(minimum, C) + premium`` is known (the minimum + premium), and a FOB
    below it is below the floor whatever C was. (Above it there is no comparison.)"""


def _in_words(gone: list[str]) -> str:
    """["species", "process", "organic status"] → "species, process and organic status not
    recorded"; "" for none."""
    if not gone:
        return ""
    head = ", ".join(gone[:-1])
    return (f"{head} and {gone[-1]}" if head else gone[-1]) + " not recorded"


def not_recorded_facts(lot: Lot) -> str:
    """The facts behind a lot's Fairtrade floor that are not recorded, in words
    ("species and process not recorded", "organic status not recorded"), or ""."""
    return _in_words([name for name, value in (("species", lot.species),
                                               ("process", lot.process),
                                               ("organic status", lot.organic))
                      if value is None])


LIVING_INCOME_PREFIX = "living-income reference ("
"""Every missing-list entry of a living-income reference left open by a fact not recorded
starts so (:func:`living_income_missing`): a lot whose country has a reference that its species
(arabica or robusta) or its organic status would choose, when that is not recorded."""


def living_income_missing(facts: str) -> str:
    """The missing-list entry of a living-income reference that ``facts`` leave open
    ("species not recorded", "organic status not recorded")."""
    return f"{LIVING_INCOME_PREFIX}{facts})"


def living_income_open(missing: list[str] | tuple[str, ...]) -> str:
    """The facts that left the living-income reference open, from an economics' missing list
    ("species not recorded"), or ""."""
    return next((m[len(LIVING_INCOME_PREFIX):-1] for m in missing
                 if m.startswith(LIVING_INCOME_PREFIX)), "")


def fairtrade_missing(facts: str) -> str:
    """The missing-list entry of a Fairtrade comparison that ``facts`` leave open."""
    return f"Fairtrade comparison ({facts})"


def fairtrade_floor(
    terms: FairtradeTerms, lot: Lot, c_usd_lb: Decimal | None,
    species: Species | None = None, process: Process | None = None,
    organic: bool | None = None,
) -> tuple[Decimal, Decimal]:
    """``max(ft_minimum, c) + ft_premium (+ organic differential)`` → (floor, minimum), for the
    lot's species, process and organic status (or those given, when the lot's are not
    recorded).

    Without a C price the floor is the minimum + premium (the safety net alone).
    """
    species = species or lot.species
    process = process or lot.process
    organic = lot.organic if organic is None else organic
    if species is None or process is None or organic is None:
        raise ValueError("a Fairtrade floor needs a species, a process and an organic status")
    minimum = terms.minimum(species, process)
    market = max(minimum, c_usd_lb) if c_usd_lb is not None else minimum
    floor = market + terms.premium_usd_lb
    if organic:
        floor += terms.organic_differential_usd_lb
    return floor, minimum


def fairtrade_floors(
    terms: FairtradeTerms, lot: Lot, c_usd_lb: Decimal | None
) -> list[tuple[Decimal, Decimal]]:
    """Every (floor, minimum) the lot could have, lowest first: one when its species, process
    and organic status are recorded, else one per species, process (washed or natural) and/or
    organic status (with and without the organic differential) not recorded."""
    species = [lot.species] if lot.species is not None else list(Species)
    processes = [lot.process] if lot.process is not None else [Process.WASHED, Process.NATURAL]
    organic = [lot.organic] if lot.organic is not None else [False, True]
    return sorted({fairtrade_floor(terms, lot, c_usd_lb, s, p, o)
                   for s in species for p in processes for o in organic})


def compare_fairtrade(
    terms: FairtradeTerms, lot: Lot, fob: Decimal, c_usd_lb: Decimal | None
) -> FairtradeComparison | None:
    """FOB against the Fairtrade floor. A lot whose species, process or organic status is not
    recorded is compared with every floor it could have: above the highest or below the lowest
    is true whichever it is (said with ``not_recorded``); in between there is no comparison
    (``None``): never a guess. Without the C price at fixation only a FOB below the lowest minimum +
    premium is compared (``at_least``)."""
    floors = fairtrade_floors(terms, lot, c_usd_lb)
    (low, low_min), (high, high_min) = floors[0], floors[-1]
    unknown = not_recorded_facts(lot) if low != high else ""
    if c_usd_lb is None:  # the floor is at least the minimum + premium, its top unknown
        if fob >= low:
            return None  # never the minimum alone taken for the floor, as if C were below it
        return FairtradeComparison(low, low_min, False, fob - low, unknown, at_least=True)
    if fob >= high:
        floor, minimum = high, high_min
    elif fob < low:
        floor, minimum = low, low_min
    else:
        return None
    return FairtradeComparison(floor, minimum, fob >= floor, fob - floor, unknown)


def living_income_usd_lb_green(
    ref: LivingIncomeReference, fg: FarmGatePrice | None = None
) -> Decimal | None:
    """The reference price as USD/lb green, with the lot's own factors where they apply.

    Choice: the lot's outturn factor is used when the reference has the same basis as the lot's
    farm-gate price, the default factor otherwise; a reference in a local currency is converted
    with the lot's exchange rate when the currencies match, else there is no comparison (``None``).
    """
    fx: Decimal | None = None
    if ref.currency != "USD":
        if fg is None or fg.currency != ref.currency:
            return None
        fx = fg.fx_local_per_usd
    factor = fg.kg_per_kg_green if fg is not None and fg.basis is ref.basis else None
    price = Price(ref.value / ref.unit_kg, ref.currency, KG, ref.basis)
    return price.usd_per_lb_green(fx, factor)


def pick_living_income(
    refs: list[LivingIncomeReference] | tuple[LivingIncomeReference, ...],
    country: str,
    lot: Lot,
) -> LivingIncomeReference | None:
    """The reference for the producer's country, species and organic status: the latest one
    published no later than the harvest, else the earliest later one.

    A lot whose organic status is not recorded takes a reference only when the organic and the
    conventional choice give the same figure; where they differ it takes none (never a guess:
    :func:`economics` says it missing)."""
    if lot.organic is None:
        either = [_pick_living_income(refs, country, lot.species, lot.harvest, o)
                  for o in (False, True)]
        same = either[0] is not None and either[1] is not None and \
            _figure(either[0]) == _figure(either[1])
        return either[0] if same else None
    return _pick_living_income(refs, country, lot.species, lot.harvest, lot.organic)


def _figure(r: LivingIncomeReference) -> tuple[object, ...]:
    return (r.value, r.currency, r.unit_kg, r.basis)


def _pick_living_income(
    refs: list[LivingIncomeReference] | tuple[LivingIncomeReference, ...],
    country: str, species: Species | None, harvest: int, organic: bool,
) -> LivingIncomeReference | None:
    matching = [
        r for r in refs
        if r.country == country and r.species is species and r.organic == organic
    ]
    if not matching:
        return None
    before = [r for r in matching if r.year <= harvest]
    if before:
        return max(before, key=lambda r: r.year)
    return min(matching, key=lambda r: r.year)


def premium_value_usd(lot: Lot, fob: Decimal | None) -> tuple[Decimal, Decimal]:
    """Total of the lot's premium payments in USD → (included in FOB, paid on top).

    Voided payments are left out. A per-kg premium without a lot weight, or a % premium without a
    FOB, counts as 0 and is reported missing by :func:`economics`.
    """
    included = on_top = Decimal(0)
    weight = lot.weight
    for p in lot.premiums:
        if p.voided:
            continue
        value = Decimal(0)
        if p.basis is PremiumBasis.PER_LOT:
            value = p.amount
        elif p.basis is PremiumBasis.PER_FARMER:
            value = p.amount * (p.farmers or 0)
        elif p.basis is PremiumBasis.PER_KG and weight is not None:
            value = p.amount * weight
        elif p.basis is PremiumBasis.PCT_OF_PRICE and fob is not None and weight is not None:
            value = p.amount / 100 * fob * weight_lb(weight)
        if p.included_in_fob:
            included += value
        else:
            on_top += value
    return included, on_top


@dataclass(frozen=True)
class MoneySplit:
    """Where the money for one lb of green went, USD/lb (FOB = producer + exporter side)."""

    producer: Decimal
    exporter_legs: dict[str, Decimal]
    exporter_margin: Decimal  # the remainder of FOB − farm gate after the recorded legs
    importer_legs: dict[str, Decimal]
    premium_on_top: Decimal

    @property
    def exporter_total(self) -> Decimal:
        return sum(self.exporter_legs.values(), Decimal(0)) + self.exporter_margin

    @property
    def importer_total(self) -> Decimal:
        return sum(self.importer_legs.values(), Decimal(0))


@dataclass(frozen=True)
class LotEconomics:
    """Every price figure of one lot; ``None`` where the records do not allow it."""

    weight_kg: Decimal | None
    weight_lb: Decimal | None
    c_usd_lb: Decimal | None
    c_estimated: bool
    london_usd_t: Decimal | None  # a robusta lot's London level (USD/t) behind c_usd_lb
    fob_usd_lb: Decimal | None
    premium_over_c_usd_lb: Decimal | None
    premium_over_c_pct: Decimal | None
    farm_gate_usd_lb: Decimal | None
    farm_gate_share: Decimal | None
    intermediaries_usd_lb: Decimal | None  # stayed between farm gate and FOB
    fob_value_usd: Decimal | None
    premium_over_c_value_usd: Decimal | None
    farm_gate_value_usd: Decimal | None
    intermediaries_value_usd: Decimal | None
    premiums_in_fob_usd: Decimal
    premiums_on_top_usd: Decimal
    fairtrade: FairtradeComparison | None
    living_income: LivingIncomeReference | None
    living_income_usd_lb: Decimal | None
    farm_gate_vs_living_income: Decimal | None  # farm_gate / lirp
    split: MoneySplit | None
    not_fixed: NotFixed | None  # a PTBF lot's price not (wholly) fixed yet: what and why
    missing: tuple[str, ...]

    @property
    def fairtrade_from_estimate(self) -> bool:
        """Whether the Fairtrade floor is made of an estimated C (the market above the minimum:
        floor = C + premium), so it is an estimate too."""
        return bool(self.c_estimated and self.fairtrade is not None and self.c_usd_lb is not None
                    and self.c_usd_lb > self.fairtrade.minimum_usd_lb)


def economics(
    lot: Lot,
    *,
    fairtrade: FairtradeTerms | None = None,
    living_income: list[LivingIncomeReference] | tuple[LivingIncomeReference, ...] = (),
    country: str = "",
    c_series: CSeries | None = None,
    london_series: LondonSeries | None = None,
) -> LotEconomics:
    """Compute a lot's price chain.

    A fixed-price lot without a recorded C takes the reference series at its contract date and is
    marked *estimated* (docs/domain.md). Its market is ICE "C" for arabica and ICE London for
    robusta (USD/t, converted to USD/lb); one never stands in for the other.

    A PTBF lot's C is the one at fixation, never the series' at its contract date: without a
    fixation it has none, and with part of its weight not fixed neither C nor FOB (nor what
    derives from them: premium over C, farm-gate share, Fairtrade comparison, lot values); the
    missing list says why ("FOB price (price of 1,400 kg not fixed yet)", "C price at fixation
    (C not fixed yet)"), and ``not_fixed`` holds what is fixed (:func:`not_fixed`).
    """
    missing: list[str] = []
    w = lot.weight
    wlb = weight_lb(w) if w is not None else None
    if w is None:
        missing.append("lot weight")

    unfixed = not_fixed(lot)
    c_cents = fixed_c_cents(lot)
    estimated = lot.c_estimated and unfixed is None
    # The C series is ICE arabica (KC); a robusta lot's market is ICE London (USD/t). A lot
    # takes the series of its own market at its contract date, never the other one; a lot whose
    # species is not recorded has no market to take (never assumed arabica). A PTBF lot takes
    # none: its C is the one at fixation, which no series knows.
    species = lot.species
    london_usd_t = None
    if c_cents is None and lot.contract_date is not None \
            and lot.contract_type is not ContractType.PTBF:
        if species is Species.ARABICA and c_series is not None:
            c_cents = c_series.at(lot.contract_date)
            estimated = c_cents is not None
        elif species is Species.ROBUSTA and london_series is not None:
            london_usd_t = london_series.at(lot.contract_date)
            estimated = london_usd_t is not None
    c = cents_lb_to_usd_lb(c_cents) if c_cents is not None else None
    if london_usd_t is not None:
        c = usd_tonne_to_usd_lb(london_usd_t)
    if c is None and unfixed is not None:
        missing.append(("C price" if species is Species.ARABICA else "market price")
                       + f" at fixation ({unfixed.why})")
    elif c is None:
        missing.append("C price at fixation" if species is Species.ARABICA
                       else "market price at fixation (robusta)" if species is Species.ROBUSTA
                       else "market price at fixation (species not recorded)")

    fob = fob_usd_lb(lot)
    if fob is None:
        missing.append(f"FOB price ({unfixed.why})" if unfixed is not None else "FOB price")

    prem = prem_pct = None
    if fob is not None and c is not None:
        prem = fob - c
        prem_pct = prem / c

    fg = fg_share = between = None
    if lot.farm_gate is not None:
        fg = farm_gate_usd_lb_green(lot.farm_gate)
        if fob is not None:
            fg_share = fg / fob
            between = fob - fg
    else:
        missing.append("farm-gate price")

    def total(per_lb: Decimal | None) -> Decimal | None:
        return per_lb * wlb if per_lb is not None and wlb is not None else None

    in_fob, on_top = premium_value_usd(lot, fob)
    ft = compare_fairtrade(fairtrade, lot, fob, c) if fairtrade and fob is not None else None
    if fairtrade and fob is not None and ft is None:
        gaps = [not_recorded_facts(lot)]
        if c is None and unfixed is not None:
            gaps.append(unfixed.why)
        elif c is None:
            market = "C" if lot.species is Species.ARABICA else "market"
            gaps.append(f"{market} price at fixation not recorded")
        missing.append(fairtrade_missing("; ".join(g for g in gaps if g)))

    lir = pick_living_income(living_income, country, lot) if country else None
    if lir is None and (lot.species is None or lot.organic is None):
        # a reference this country has that the facts not recorded would choose
        open_facts = _in_words([name for name, value in (("species", lot.species),
                                                         ("organic status", lot.organic))
                                if value is None])
        if any(r.country == country and (lot.organic is None or r.organic == lot.organic)
               and (lot.species is None or r.species is lot.species) for r in living_income):
            missing.append(living_income_missing(open_facts))
    lir_usd = living_income_usd_lb_green(lir, lot.farm_gate) if lir is not None else None
    vs_lir = fg / lir_usd if fg is not None and lir_usd else None

    split = None
    if fg is not None and fob is not None:
        exp = {c_.leg: c_.usd_lb for c_ in lot.costs if c_.party is Party.EXPORTER}
        imp = {c_.leg: c_.usd_lb for c_ in lot.costs if c_.party is Party.IMPORTER}
        margin = fob - fg - sum(exp.values(), Decimal(0))
        on_top_lb = on_top / wlb if wlb else Decimal(0)
        split = MoneySplit(fg, exp, margin, imp, on_top_lb)

    return LotEconomics(
        weight_kg=w,
        weight_lb=wlb,
        c_usd_lb=c,
        c_estimated=estimated,
        london_usd_t=london_usd_t,
        fob_usd_lb=fob,
        premium_over_c_usd_lb=prem,
        premium_over_c_pct=prem_pct,
        farm_gate_usd_lb=fg,
        farm_gate_share=fg_share,
        intermediaries_usd_lb=between,
        fob_value_usd=total(fob),
        premium_over_c_value_usd=total(prem),
        farm_gate_value_usd=total(fg),
        intermediaries_value_usd=total(between),
        premiums_in_fob_usd=in_fob,
        premiums_on_top_usd=on_top,
        fairtrade=ft,
        living_income=lir,
        living_income_usd_lb=lir_usd,
        farm_gate_vs_living_income=vs_lir,
        split=split,
        not_fixed=unfixed,
        missing=tuple(missing),
    )

