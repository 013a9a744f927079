"""Lists of small records in one spreadsheet cell: a lot's premiums, cost legs, plots and
upstream DDS references, a visit's follow-ups. The forms are written for a buyer to read and fix
in a spreadsheet, and the import reads back exactly what the export writes:

- items are separated by ";" (or a line break in the cell);
- an item's parts are separated by "," (a comma between two digits is a decimal comma, not a
  separator: "0,50 USD/kg");
- a free text that holds ";", ",", quotes or brackets is written in double quotes, a quote
  inside doubled (``"Asociación; Norte"``).

Premiums (USD, as the lot records them), e.g.
``quality: 0.10 USD/kg, in FOB, to producer; second payment: 1500 USD per lot, on top,
to members, 40 farmers; social/community: 5 % of price, on top, voided``:
``type: amount`` with its basis (``USD/kg``, ``USD per lot``, ``USD per farmer``,
``% of price``), then ``in FOB`` or ``on top`` (one of them, never assumed), and optionally
``to <recipient>``, ``<n> farmers`` (a per-farmer premium needs it) and ``voided``.

Cost legs (USD per lb green, or USD/kg converted), e.g.
``exporter collection: 0.1184 USD/lb; importer freight: 0.12 USD/lb``: the party (exporter or
importer), the leg, its amount with the unit.

Follow-ups, e.g. ``Send the cupping notes [who: Ana Ruiz, due: 2025-03-14, done]``: what, then
in square brackets who, the due date and ``done`` or ``open`` (no brackets: open, nobody
named, no due date).

Plots, e.g. ``Lote 1; El Alto, of Finca La Estrella`` (a plot of another producer, such as a
cooperative member's, names its producer).

Upstream DDS references, e.g. ``25DEUP0000001, verification ABCD1234, from Importer GmbH``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from ..domain.model import CostLeg, Party, Premium, PremiumBasis, PremiumType
from ..domain.units import LB_KG
from ..domain.visits import FollowUp

_SPECIAL = re.compile(r"[;,\"\[\]()\n\r]|^\s|\s$")


def quote(text: str) -> str:
    """``text`` as it goes into an item: in double quotes when it holds a separator."""
    if not text or not _SPECIAL.search(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def unquote(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] == '"' and t[-1] == '"':
        return t[1:-1].replace('""', '"')
    if '"' in t:
        raise ValueError(f"{t!r}: a quoted text must start and end with a double quote")
    return t


def _split(text: str, at: Callable[[str, int], bool]) -> list[str]:
    """Split ``text`` where ``at(text, i)`` holds, outside double quotes and brackets."""
    parts: list[str] = []
    cur: list[str] = []
    depth, quoted, i = 0, False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth = max(depth - 1, 0)
        if not quoted and depth == 0 and at(text, i):
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    if quoted:
        raise ValueError(f"{text.strip()!r}: a double quote is not closed")
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def items(text: str) -> list[str]:
    """The items of a cell: separated by ";" or a line break."""
    return _split(text, lambda t, i: t[i] in ";\n\r")


def parts(item: str) -> list[str]:
    """The parts of an item: separated by "," (not a decimal comma between two digits)."""
    def at(t: str, i: int) -> bool:
        return t[i] == "," and not (0 < i < len(t) - 1 and t[i - 1].isdigit()
                                    and t[i + 1].isdigit())
    return _split(item, at)


def join(values: Iterable[str]) -> str:
    return "; ".join(values)


def _number(text: str) -> Decimal:
    from .parsing import parse_number

    return parse_number(text)


def _text(value: Decimal) -> str:
    return format(value, "f")


# -- premiums ------------------------------------------------------------------------------------
_BASIS_UNIT = {PremiumBasis.PER_KG: "USD/kg", PremiumBasis.PER_LOT: "USD per lot",
               PremiumBasis.PER_FARMER: "USD per farmer", PremiumBasis.PCT_OF_PRICE: "% of price"}
_AMOUNT = re.compile(
    r"^(?P<n>[-+]?\d[\d.,\s]*?)\s*(?:(?P<cur>[A-Za-z]{3}|\$)\s*(?P<per>/\s*kg|per\s+kg|"
    r"per\s+lot|per\s+farmer|lump\s+sum)|(?P<pct>%)\s*(?:of\s+(?:the\s+)?(?:fob\s+)?"
    r"(?:price|fob))?)\s*$", re.IGNORECASE)
_PER = {"/kg": PremiumBasis.PER_KG, "perkg": PremiumBasis.PER_KG,
        "perlot": PremiumBasis.PER_LOT, "lumpsum": PremiumBasis.PER_LOT,
        "perfarmer": PremiumBasis.PER_FARMER}
_TYPES = {**{t.value: t for t in PremiumType}, "social": PremiumType.SOCIAL,
          "community": PremiumType.SOCIAL, "relationship": PremiumType.RELATIONSHIP,
          "loyalty": PremiumType.RELATIONSHIP}


def premium_text(p: Premium) -> str:
    bits = [f"{p.type.value}: {_text(p.amount)} {_BASIS_UNIT[p.basis]}",
            "in FOB" if p.included_in_fob else "on top"]
    if p.paid_to:
        bits.append(f"to {quote(p.paid_to)}")
    if p.farmers is not None:
        bits.append(f"{p.farmers} farmers")
    if p.voided:
        bits.append("voided")
    return ", ".join(bits)


def parse_premiums(text: str) -> tuple[Premium, ...]:
    return tuple(_premium(item) for item in items(text))


def _premium(item: str) -> Premium:
    head, *rest = parts(item)
    kind, colon, amount = head.partition(":")
    if not colon:
        raise ValueError(f"{item!r}: write a premium as 'type: amount basis, in FOB|on top' "
                         "(e.g. 'quality: 0.10 USD/kg, on top')")
    ptype = _TYPES.get(" ".join(kind.lower().split()))
    if ptype is None:
        raise ValueError(f"{kind.strip()!r} is not a premium type "
                         f"({', '.join(t.value for t in PremiumType)})")
    m = _AMOUNT.match(amount.strip())
    if not m:
        raise ValueError(f"{amount.strip()!r}: write the amount with its basis (0.10 USD/kg, "
                         "1500 USD per lot, 25 USD per farmer, 5 % of price)")
    if m.group("cur") and m.group("cur").upper() not in ("USD", "$"):
        raise ValueError(f"{amount.strip()!r}: premiums are recorded in USD")
    basis = (PremiumBasis.PCT_OF_PRICE if m.group("pct")
             else _PER["".join(m.group("per").lower().split())])
    value = _number(m.group("n"))
    included: bool | None = None
    paid_to, farmers, voided = "", None, False
    for part in rest:
        word = " ".join(part.lower().split())
        if word in ("in fob", "included", "included in fob", "in the fob"):
            included = _once(included, True, item)
        elif word in ("on top", "paid on top", "on top of fob"):
            included = _once(included, False, item)
        elif word == "voided":
            voided = True
        elif word.startswith("to "):
            paid_to = unquote(part.strip()[3:])
        elif m2 := re.fullmatch(r"(\d+)\s+farmers?", word):
            farmers = int(m2.group(1))
        else:
            raise ValueError(f"{item!r}: {part!r} is not part of a premium (in FOB, on top, "
                             "to <recipient>, <n> farmers, voided)")
    if included is None:
        raise ValueError(f"{item!r}: say whether the premium is 'in FOB' or paid 'on top'")
    return Premium(ptype, basis, value, included_in_fob=included, paid_to=paid_to,
                   farmers=farmers, voided=voided)


def _once(old: bool | None, new: bool, item: str) -> bool:
    if old is not None and old != new:
        raise ValueError(f"{item!r}: a premium is either 'in FOB' or 'on top', not both")
    return new


# -- cost legs -----------------------------------------------------------------------------------
def cost_text(c: CostLeg) -> str:
    return f"{c.party.value} {quote(c.leg)}: {_text(c.usd_lb)} USD/lb"


def parse_costs(text: str) -> tuple[CostLeg, ...]:
    out = []
    for item in items(text):
        head, colon, amount = item.rpartition(":")
        party, _, leg = head.strip().partition(" ")
        if not colon or party.lower() not in ("exporter", "importer") or not leg.strip():
            raise ValueError(f"{item!r}: write a cost leg as 'exporter|importer leg: amount "
                             "USD/lb' (e.g. 'exporter milling: 0.07 USD/lb')")
        m = re.fullmatch(r"\s*([-+]?\d[\d.,\s]*?)\s*(?:USD|US\$|\$)\s*(?:/|per)\s*(lb|kg)\s*",
                         amount, re.IGNORECASE)
        if not m:
            raise ValueError(f"{amount.strip()!r}: write the amount with its unit (USD/lb)")
        value = _number(m.group(1))
        if m.group(2).lower() == "kg":
            value = value * LB_KG  # USD per kg → USD per lb (exact)
        out.append(CostLeg(Party(party.lower()), unquote(leg), value))
    return tuple(out)


# -- follow-ups ----------------------------------------------------------------------------------
def follow_up_text(f: FollowUp) -> str:
    bits = [f"who: {quote(f.who)}"] if f.who else []
    if f.due is not None:
        bits.append(f"due: {f.due.isoformat()}")
    bits.append("done" if f.done else "open")
    return f"{quote(f.what)} [{', '.join(bits)}]"


def parse_follow_ups(text: str) -> tuple[FollowUp, ...]:
    from .parsing import parse_date

    out = []
    for item in items(text):
        what, attrs = item, ""
        m = re.search(r"\[([^\[\]]*)\]\s*$", item)
        if m and item[:m.start()].count('"') % 2 == 0:
            what, attrs = item[:m.start()], m.group(1)
        who, due, done = "", None, None
        for part in parts(attrs):
            key, colon, value = part.partition(":")
            word = " ".join(key.lower().split())
            if colon and word == "who":
                who = unquote(value)
            elif colon and word in ("due", "due on", "by"):
                due = parse_date(value.strip())
            elif not colon and word in ("done", "open", "not done"):
                done = word == "done"
            else:
                raise ValueError(f"{item!r}: {part!r} is not part of a follow-up (who: name, "
                                 "due: date, done or open)")
        if not unquote(what):
            raise ValueError(f"{item!r}: a follow-up needs what is to be done")
        out.append(FollowUp(unquote(what), who, due, bool(done)))
    return tuple(out)


# -- upstream DDS references ---------------------------------------------------------------------
def upstream_text(reference: str, verification: str, supplier: str) -> str:
    bits = [quote(reference)]
    if verification:
        bits.append(f"verification {quote(verification)}")
    if supplier:
        bits.append(f"from {quote(supplier)}")
    return ", ".join(bits)


def parse_upstream(text: str) -> tuple[tuple[str, str, str], ...]:
    """(reference, verification, supplier) of each upstream DDS."""
    out = []
    for item in items(text):
        ref, *rest = parts(item)
        ver = sup = ""
        for part in rest:
            word, _, value = part.strip().partition(" ")
            if word.lower() == "verification" and value.strip():
                ver = unquote(value)
            elif word.lower() == "from" and value.strip():
                sup = unquote(value)
            else:
                raise ValueError(f"{item!r}: {part!r} is not part of a DDS reference "
                                 "('verification <number>', 'from <supplier>')")
        out.append((unquote(ref), ver, sup))
    return tuple(out)


def plot_text(name: str, producer: str = "") -> str:
    """A lot's plot: its name, and ``of <producer>`` when it is another producer's (a
    cooperative's lot from its members' plots)."""
    return quote(name) + (f", of {quote(producer)}" if producer else "")


def parse_plot_names(text: str) -> tuple[tuple[str, str], ...]:
    """(plot name, producer name or "" for the lot's own producer) of each plot."""
    out = []
    for item in items(text):
        name, *rest = parts(item)
        producer = ""
        for part in rest:
            word, _, value = part.strip().partition(" ")
            if word.lower() != "of" or not value.strip():
                raise ValueError(f"{item!r}: write a plot as 'name' or 'name, of producer'")
            producer = unquote(value)
        out.append((unquote(name), producer))
    return tuple(out)


def parse_dds_status(text: str) -> str:
    from ..store.eudr_records import DDS_STATUSES

    word = " ".join(text.lower().split())
    if word not in DDS_STATUSES:
        raise ValueError(f"{text.strip()!r} is not a DDS status "
                         f"({', '.join(s for s in DDS_STATUSES if s)})")
    return word
