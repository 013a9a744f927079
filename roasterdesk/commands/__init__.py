"""Headless subcommands. Each module here defines ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``; :mod:`roasterdesk.cli` finds them by listing this package, so a new
command is one new file. Modules must import nothing heavy (Qt, reportlab) at import time.
"""
