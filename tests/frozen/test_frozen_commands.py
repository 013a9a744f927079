"""Command discovery in the PyInstaller build, where pkgutil may not see the command modules:
the names shipped in ``commands.txt`` beside them still give every subcommand."""

from __future__ import annotations

import sys

import pytest

from roasterdesk import cli, commands


def _subcommands(parser) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for action in parser._subparsers._group_actions for name in action.choices}


@pytest.fixture
def archive_like(tmp_path, monkeypatch):
    """The command package as seen frozen: its folder holds no .py files pkgutil could list."""
    cli.build_parser()  # the real modules are imported once, as from source
    monkeypatch.setattr(commands, "__path__", [str(tmp_path)])
    return tmp_path


def test_frozen_build_finds_commands_from_the_shipped_list(archive_like, monkeypatch):
    (archive_like / cli.FROZEN_COMMANDS).write_text("demo\ninfo\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _subcommands(cli.build_parser()) == {"demo", "info"}
    args = cli.build_parser().parse_args(["info", "--json"])
    assert args.command == "info" and args.json is True


def test_the_list_is_read_only_when_frozen(archive_like, monkeypatch):
    (archive_like / cli.FROZEN_COMMANDS).write_text("info\n", encoding="utf-8")
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert _subcommands(cli.build_parser()) == set()


def test_from_source_every_command_module_is_a_subcommand():
    found = _subcommands(cli.build_parser())
    assert {"info", "demo"} <= found
    assert all(not name.startswith("_") for name in found)


def test_build_spec_ships_the_list_under_the_name_cli_reads():
    from pathlib import Path

    spec = (Path(__file__).resolve().parents[2] / "build.spec").read_text(encoding="utf-8")
    assert f'WORK / "{cli.FROZEN_COMMANDS}"' in spec
    assert '"roasterdesk/commands")' in spec
