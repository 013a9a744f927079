"""The customer-facing impact statement as PDF (reportlab, imported only when rendering).

``render_statement(data, template) -> bytes`` lays out a
:class:`roasterdesk.pdf.data.StatementData`; ``load_template`` reads a template from
``reports/``. Importing this package loads neither reportlab nor Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .template import Template, available_templates, load_template

if TYPE_CHECKING:
    from .data import StatementData


def render_statement(data: StatementData, template: Template | str | None = None, *,
                     compress: bool = True) -> bytes:
    """The statement of one lot as PDF bytes (``compress=False`` leaves streams readable)."""
    from .render import render

    if not isinstance(template, Template):
        template = load_template(template)
    return render(data, template, compress=compress)


__all__ = ["Template", "available_templates", "load_template", "render_statement"]
