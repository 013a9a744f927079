"""``python -m roasterdesk``: the same as the ``roasterdesk`` command."""

from .cli import main

raise SystemExit(main())
