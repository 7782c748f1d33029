"""Aliases the user controls: other names of a speaker, and merges of speakers into one.

The file is TOML with one table. Each key is the name to show; its value is the other names of
the same speaker (a list, or one name as a string)::

    [aliases]
    "Maple House" = ["Green House", "the Green House", "presidential office"]
    "Lee Min-ho" = "Chairman Lee"

After a quote's speaker is resolved, any name in a group (the key included) becomes the key:
speakers, addressees and intermediaries that the articles name "Green House" are reported as
"Maple House", so they count as one in ``claims``, ``chain`` and ``speakers``. Names are
compared as ``--speaker`` compares them, without its typo tolerance: case, accents, hyphens,
possessives and a leading "the" do not matter ("the Green House's" is "Green House").

Which file: the one given (``--aliases``), else the ``QUOTETRACE_ALIASES`` environment variable,
else ``aliases.toml`` in the user's configuration folder (``default_aliases_path()``), if there is
one. No alias knowledge lives in code.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from quotetrace.errors import AliasError, InputError
from quotetrace.models import Quote, Speaker, Via
from quotetrace.names import name_key
from quotetrace.reading import max_bytes, open_input, read_limited

ALIASES_ENV = "QUOTETRACE_ALIASES"
ALIASES_FILE = "aliases.toml"
_TABLE = "aliases"

_Who = TypeVar("_Who", Speaker, Via)


def default_aliases_path() -> Path:
    """Where the aliases file is looked for when none is named: ``aliases.toml`` in the user's
    configuration folder (``~/.config/quotetrace`` on Linux, as platformdirs says elsewhere)."""
    from platformdirs import user_config_path

    return user_config_path("quotetrace") / ALIASES_FILE


@dataclass(frozen=True)
class Aliases:
    """Groups of names of one speaker each, keyed by the name to show.

    Build one with ``Aliases.from_mapping`` or ``load_aliases``; an empty ``Aliases()`` changes
    nothing.
    """

    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str | None = None  # the file it was read from, for messages
    _canonical: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_mapping(cls, groups: Mapping[str, str | list[str] | tuple[str, ...]], source: str | None = None) -> Aliases:
        """Aliases from ``{name to show: other names}``.

        Raises:
            AliasError: a value is not a name or a list of names, or one name is in two groups.
        """
        where = source or "(given)"
        clean: dict[str, tuple[str, ...]] = {}
        index: dict[tuple[str, ...], str] = {}
        for canonical, others in groups.items():
            if isinstance(others, str):
                others = [others]
            if not isinstance(others, (list, tuple)) or not all(isinstance(o, str) and o.strip() for o in others):
                raise AliasError.bad_value(where, canonical)
            clean[canonical] = tuple(others)
            for name in (canonical, *others):
                key = name_key(name)
                if not key:
                    raise AliasError.bad_value(where, canonical)
                if index.get(key, canonical) != canonical:
                    raise AliasError.conflict(where, name, index[key], canonical)
                index[key] = canonical
        return cls(clean, source, index)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def canonical(self, name: str) -> str:
        """The name to show for ``name``: its group's key, or ``name`` itself."""
        if not self._canonical:
            return name
        return self._canonical.get(name_key(name), name)

    def apply(self, quote: Quote) -> Quote:
        """The quote with its speaker, addressee and intermediaries renamed to their keys."""
        if not self._canonical:
            return quote
        speaker = self._rename(quote.speaker) if quote.speaker else None
        addressee = self._rename(quote.addressee) if quote.addressee else None
        via = tuple(self._rename(v) for v in quote.via)
        if speaker is quote.speaker and addressee is quote.addressee and all(a is b for a, b in zip(via, quote.via)):
            return quote
        return replace(quote, speaker=speaker, addressee=addressee, via=via)

    def _rename(self, who: _Who) -> _Who:
        if who.type == "unnamed":
            return who
        name = self.canonical(who.name)
        return who if name == who.name else replace(who, name=name)


def load_aliases(path: str | Path | None = None) -> Aliases:
    """The user's aliases: from ``path``, else ``$QUOTETRACE_ALIASES``, else the default file.

    A file named by ``path`` or the environment must exist; the default one need not.

    Raises:
        AliasError: the file is missing (when named), unreadable, not TOML, or malformed.
    """
    named = path if path is not None and str(path) else os.environ.get(ALIASES_ENV) or None
    chosen = Path(named) if named else default_aliases_path()
    if not chosen.exists():
        if named:
            raise AliasError.not_found(str(chosen))
        return Aliases()
    try:
        # as articles are read: a regular file (or a pipe), within the size limit
        with open_input(str(chosen), str(chosen), searched=False) as handle:
            text = read_limited(str(chosen), handle, max_bytes()).decode("utf-8")
    except InputError as error:
        raise AliasError.unreadable(str(chosen), ValueError(error.reason.removeprefix("cannot read: "))) from None
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start}); save it as UTF-8"
        raise AliasError.unreadable(str(chosen), ValueError(reason)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AliasError.bad_toml(str(chosen), error) from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise AliasError.too_deep(str(chosen)) from None
    if not data:
        return Aliases(source=str(chosen))
    table = data.get(_TABLE)
    if not isinstance(table, dict) or set(data) != {_TABLE}:
        raise AliasError.no_table(str(chosen))
    return Aliases.from_mapping(table, source=str(chosen))
