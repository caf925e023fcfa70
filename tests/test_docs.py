"""Keep the README true: every command and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from sayyes.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def _commands(group, prefix: str = "sayyes"):
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _commands(command, full)
        else:
            yield full, command


def test_every_command_is_in_the_readme():
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) >= 10
    for full, _ in commands:
        assert f"`{full}" in README, f"{full} is not documented in README.md"


def test_every_option_of_every_command_is_in_the_readme():
    for full, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            # Hidden options are between sayyes and itself (serve tells its worker its pid).
            if getattr(param, "param_type_name", "") == "option" and not param.hidden:
                for opt in param.opts:
                    if opt.startswith("--") and opt != "--help":
                        assert opt in README, f"{full} {opt} is not documented in README.md"


def test_every_setting_is_in_the_readme():
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "sayyes").rglob("*.py"))
    names = set(re.findall(r'env(?:bool|int|choice)?\(\s*"([A-Z_]+)"', source))
    assert {"SAYYES_DATA_DIR", "DATABASE_URL", "SAYYES_SECRET_KEY", "SAYYES_SIGNUP"} <= names
    for name in names:
        assert f"`{name}`" in README, f"{name} is not documented in README.md"


def test_the_readme_states_the_two_commands():
    assert "make run" in README and "make test" in README
