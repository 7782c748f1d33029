"""``python -m quotetrace``: the same as the ``quotetrace`` command."""

from quotetrace.quick import main

main()
