"""``python -m quotetrace``: the same as the ``quotetrace`` command."""

from quotetrace.cli import app

app(prog_name="quotetrace")
