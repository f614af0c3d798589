"""The docs keep up with the code: every command is in the README's CLI reference and has
help, every public name is exported deliberately."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import typer.main

import cablegram
from cablegram.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name: str) -> None:
    assert f"`cablegram {name}" in README, f"README's CLI reference lacks `cablegram {name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help, f"`cablegram {name}` has no help text"


def test_exported_members() -> None:
    """Public names of the package are exactly its ``__all__`` (submodules aside)."""
    public = {
        name
        for name in dir(cablegram)
        if not name.startswith("_") and not inspect.ismodule(getattr(cablegram, name))
    }
    assert public == set(cablegram.__all__)
    assert {"parse", "render", "lint", "Cable", "Marking"} <= public


def test_two_setup_commands() -> None:
    setup = README.split("## Set up", 1)[1].split("##", 1)[0]
    commands = [line for line in setup.splitlines() if line.startswith("make ")]
    assert [c.split()[1] for c in commands] == ["demo", "test"]
