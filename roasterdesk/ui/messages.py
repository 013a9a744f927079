"""Messages through a signal: plain code emits, the main window shows.

``MessageBus`` is owned by the :class:`~roasterdesk.ui.context.AppContext`; every page
reaches it as ``ctx.messages``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..store.kinds import TABLES

#: Record kinds understood by ``open_record`` and ``data_changed``: the pages of the registry of
#: tables (producer, commitment, visit, lot, project).
RECORD_KINDS = tuple(dict.fromkeys(t.page for t in TABLES.values() if t.page != "reference"))


class MessageBus(QObject):
    """Application-wide signals.

    - ``info(str)``, ``warning(str)``, ``error(str)``: a message for the user (status bar for
      info, a message box for warning/error).
    - ``open_record(kind, id)``: ask the main window to show a record; ``kind`` is one of
      :data:`RECORD_KINDS`.
    - ``data_changed(kind)``: records of ``kind`` were written; pages showing them refresh.
      ``kind`` may also be ``"*"`` (everything, e.g. after opening another database or undo).
    - ``new_record(kind, producer_id)``: ask the main window to start a new record of ``kind``
      for that producer (the page's ``new_record(producer_id)``).
    """

    info = Signal(str)
    warning = Signal(str)
    error = Signal(str)
    open_record = Signal(str, int)
    data_changed = Signal(str)
    new_record = Signal(str, int)
