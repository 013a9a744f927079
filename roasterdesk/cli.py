"""The ``roasterdesk`` command: no subcommand opens the app; subcommands work headless.

User errors (missing file, newer database, bad argument) print one line to stderr and exit
non-zero; only bugs show a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse

from . import __version__, commands, startup
from .errors import KNOWN_ERRORS, UserError
from .launch import resolve_db  # the commands import it from here too

EXIT_USER_ERROR = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a command cut short by `| head` returns
# In the PyInstaller build the command modules sit in an archive that pkgutil may not list;
# build.spec ships their names in this file beside them.
FROZEN_COMMANDS = "commands.txt"


def _command_names() -> list[str]:
    import pkgutil

    names = {info.name for info in pkgutil.iter_modules(commands.__path__)}
    if getattr(sys, "frozen", False):
        for folder in commands.__path__:
            listing = Path(folder) / FROZEN_COMMANDS
            if listing.is_file():
                names.update(listing.read_text(encoding="utf-8").split())
    return sorted(name for name in names if not name.startswith("_"))


def _command_modules() -> list[ModuleType]:
    import importlib

    return [importlib.import_module(f"{commands.__name__}.{name}") for name in _command_names()]


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _Parser(argparse.ArgumentParser):
        """A bad argument is a user error too: one line on stderr (no usage block), status 2."""

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USER_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")

    return _Parser


def db_parent() -> argparse.ArgumentParser:
    """The ``--db`` option every command shares (it may come before or after the command)."""
    import argparse

    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db", type=Path, default=argparse.SUPPRESS,
        help="database file (default: $ROASTERDESK_DB, else roasterdesk.sqlite in your data "
             "folder)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(
        prog="roasterdesk",
        description="RoasterDesk: producers, visits, lots and the price chain of green coffee.",
        parents=[db_parent()],
    )
    parser.add_argument("--version", action="version", version=f"RoasterDesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true",
        help="open the app on a demo database (created in your data folder on first use)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for mod in _command_modules():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP, parents=[db_parent()])
        mod.add_arguments(p)
        p.set_defaults(run=mod.run, writes=getattr(mod, "WRITES", False))
    return parser


def app_options(argv: Sequence[str]) -> SimpleNamespace | None:
    """``argv`` read by hand when it holds only the app's own options (``--db PATH``,
    ``--db=PATH``, ``--demo``): the window's start then loads neither argparse nor the command
    modules. None for anything else, which the full parser takes (with its help and errors)."""
    options: dict[str, Any] = {"demo": False}
    rest = iter(argv)
    for arg in rest:
        if arg == "--db" or arg.startswith("--db="):
            value = next(rest, None) if arg == "--db" else arg.removeprefix("--db=")
            if not value or value.startswith("-"):
                return None  # the full parser says what is missing
            options["db"] = Path(value)
        elif arg == "--demo":
            options["demo"] = True
        else:
            return None
    return SimpleNamespace(**options)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args: Any = app_options(argv) or build_parser().parse_args(argv)
    try:
        if getattr(args, "run", None) is None:
            startup.mark("command_line")
            from .xcb_check import xcb_advice

            advice = xcb_advice()  # before Qt: its own message names the wrong library
            if advice:
                print(advice, file=sys.stderr)
                return 1
            startup.import_before_qt()
            from .ui.app import run_app  # Qt is imported only for the window

            return run_app(args)
        from .services.encryption import unlock_headless
        from .services.recovery import recover_at_start

        for note in recover_at_start(resolve_db(args)):  # what an interrupted command left
            print(f"roasterdesk: {note}", file=sys.stderr)
        unlock_headless(resolve_db(args))  # an encrypted database: its key, asked for once
        if not getattr(args, "writes", False):
            return int(args.run(args) or 0)
        from .services.lock import writer_lock

        # one writer, every writer: taken before the command's first write, held to its end
        with writer_lock(resolve_db(args), f"roasterdesk {args.command}", reentrant=True):
            status = int(args.run(args) or 0)
            from .store.seal import write_seal

            write_seal(resolve_db(args))  # as the app does at a clean close: damage at rest shows
            return status
    except BrokenPipeError:  # `roasterdesk info | head -3`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except EOFError:  # a prompt (a passphrase) met the end of its input
        print("roasterdesk: the input ended before the answer this command asks for "
              "(run it in a terminal)", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # noqa: BLE001 - known conditions become one line; bugs re-raise
        from .store.diagnosis import diagnose

        known = diagnose(exc, resolve_db(args)) if not isinstance(exc, UserError) else None
        if known is None and not isinstance(exc, KNOWN_ERRORS):
            raise
        print(f"roasterdesk: {_one_line(known or exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("roasterdesk: interrupted", file=sys.stderr)
        return 130


def _quiet_stdout() -> None:
    """Point stdout at the null device: what is still buffered for a closed pipe is dropped
    when Python exits, not reported as another broken pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return " ".join(str(exc).split()) or type(exc).__name__
