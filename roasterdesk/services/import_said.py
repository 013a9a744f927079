"""What an import says instead of doing silently: the facts a new lot keeps "not recorded"
because the file gives none, stored values an emptied cell keeps on an update, and lot codes a
buyer changed or wrote in another case. Each is a warning or a note of the plan, never a
silent default (:mod:`roasterdesk.services.import_builders` calls these)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .import_checks import Problem
from .import_plan import ImportPlan

LOT_NOT_GIVEN = {
    "species": "no market price, ICE C or London, until it is; a 'Species' column says which",
    "process": "no Fairtrade floor of its own until it is; a 'Process' column says each one's",
    "organic": "its Fairtrade floor is compared with and without the organic differential; a "
               "claimed organic certification does not set it; an 'Organic' column says which",
    "status": "counted as possibly bought, in the relationship, the history by harvest and "
              "commitments, and its statement asks whether it was bought, until it is set; a "
              "'Status' column says each one's: offer, contracted, shipped, arrived or "
              "cancelled",
}
"""Facts a new lot keeps "not recorded" when the file gives none, and what that leaves out."""

_FACT_NAMES = {"organic": "organic status"}


def lot_not_recorded_notes(plan: ImportPlan) -> list[str]:
    """The notes naming the new lots whose species, process, organic status or status the file
    does not give (count and first codes): stored "not recorded", and told, never silent."""
    out = []
    for key, (n, first) in plan.lot_not_recorded.items():
        shown = ", ".join(first) + (f" and {n - len(first):,} more" if n > len(first) else "")
        out.append(f"{n:,} new lot{'s' if n != 1 else ''} with {_FACT_NAMES.get(key, key)} "
                   f"not recorded ({LOT_NOT_GIVEN[key]}): {shown}")
    return out


@cache
def lot_kept(scalars: tuple[str, ...]) -> dict[str, str]:
    """Mapped lot field -> the stored lot's attribute an emptied cell leaves in place."""
    return {**{k: k for k in scalars if k not in ("code", "uuid")},
            "premiums": "premiums", "costs": "costs", "fixations": "fixations",
            "certifications": "certifications_claimed", "plots": "plot_ids",
            "fg_amount": "farm_gate"}


VISIT_KEPT = {"notes": "notes", "participants": "participants", "purposes": "purposes",
              "observations": "observations", "follow_ups": "follow_ups"}


def blank_kept(plan: ImportPlan, line: int, values: dict[str, Any], old: Any,
               attrs: dict[str, str]) -> None:
    """An update keeps a stored value whose column is mapped but whose cell is empty (empty is
    "not given"): said as a warning naming those columns, so a buyer who emptied a cell to
    remove a premium or a follow-up is told it stays, never silently."""
    kept = []
    for i, key in plan.mapping.items():
        attr = attrs.get(key)
        if attr is None or key in values:
            continue
        if getattr(old, attr, None) not in (None, "", (), []):
            headers = plan.table.headers
            kept.append(headers[i] if i < len(headers) and headers[i] else key)
    if kept:
        names = ", ".join(repr(h) for h in dict.fromkeys(kept))
        plan.problems.append(Problem(
            line, kept[0] if len(kept) == 1 else "",
            f"empty cell{'s' if len(kept) > 1 else ''} ({names}): the stored "
            f"value{'s are' if len(kept) > 1 else ' is'} kept; an empty cell does not clear "
            "(change or remove it in the editor)", False))


def code_said(plan: ImportPlan, ctx: Any, line: int, header_of: dict[str, str], code: str,
              action: str, old: Any) -> None:
    """A lot code that differs from the stored lot's (same UUID) is kept as stored, and a new
    code that differs from a stored one only in case or spacing makes a second lot: both said,
    never silent."""
    col = header_of.get("code", "Lot code")
    if old is not None and old.code != code:
        plan.problems.append(Problem(
            line, col, f"this lot (same UUID) is {old.code!r} here: its code is kept (rename it "
            "in the lot's editor)", False, value=code))
    elif action == "create":
        stored = ctx.folded_codes.get(" ".join(code.split()).casefold())
        if stored is not None and stored != code:
            plan.problems.append(Problem(
                line, col, f"differs from the stored lot {stored!r} only in case or spacing: "
                "a second lot is created (write the code as stored to update that one)", False,
                value=code))
