"""The news outlets and wire agencies quotetrace knows, and matching page text against them.

The knowledge is the data file ``data/outlets.toml`` (display names, web domains, the name
variants page text uses, and which are wire agencies); the user extends it with an edited copy
named by ``QUOTETRACE_OUTLETS`` (read by ``lexicon.load_lexicon``). This module only turns that
data into lookups: a value (``Outlets``) passed to whoever needs it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outlet:
    """A news outlet from ``outlets.toml``.

    Attributes:
        name: The display name quotetrace reports.
        domains: Web domains, without ``www.``.
        aliases: Other ways page text writes the name.
        wire: True for news agencies whose copy other outlets carry.
        credits: Regular expressions of this outlet's house-style credit lines that do not name
            it ("(Reporting by ...; Editing by ...)").
    """

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wire: bool = False
    credits: tuple[str, ...] = ()



@dataclass(frozen=True)
class Outlets:
    """Every known outlet, with lookups by domain and by written name."""

    outlets: tuple[Outlet, ...]
    by_domain: Mapping[str, Outlet]
    by_name: Mapping[str, Outlet]  # every written form, case kept
    name_pattern: re.Pattern[str] | None  # any written form, as a whole word
    credit_styles: tuple[tuple[re.Pattern[str], Outlet], ...] = ()  # house-style credit lines

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Outlets:
        """The lookups of a parsed ``outlets.toml``."""
        outlets = tuple(
            Outlet(
                name=entry["name"],
                domains=tuple(d.lower().removeprefix("www.") for d in entry.get("domains", [])),
                aliases=tuple(entry.get("aliases", [])),
                wire=bool(entry.get("wire", False)),
                credits=tuple(entry.get("credits", [])),
            )
            for entry in data.get("outlet", [])
        )
        by_domain: dict[str, Outlet] = {}
        by_name: dict[str, Outlet] = {}
        for outlet in outlets:
            for domain in outlet.domains:
                by_domain.setdefault(domain, outlet)
            for written in (outlet.name, *outlet.aliases):
                for form in _written_forms(written):
                    by_name.setdefault(form, outlet)
        # Longest first, so that "Politico Europe" is never read as "Politico".
        forms = sorted(by_name, key=len, reverse=True)
        # Whole words only, and not inside a handle, address or domain ("@AP", "ap.org").
        alternatives = "|".join(map(re.escape, forms))
        pattern = re.compile(rf"(?<![\w.@/])(?:{alternatives})(?![\w@/]|\.\w)") if forms else None
        return cls(outlets, by_domain, by_name, pattern, _credit_styles(outlets))

    def for_domain(self, address: str) -> str | None:
        """The outlet that owns a web domain, e-mail address or URL.

        A subdomain matches its parent (``m.nytimes.com``), the longest listed domain winning.

        Args:
            address: A host name (``www.bbc.co.uk``), URL or e-mail address.

        Returns:
            The outlet's display name, or None when the domain is not listed.
        """
        host = address.strip().lower()
        if "@" in host and "/" not in host:
            host = host.rsplit("@", 1)[1]
        elif "/" in host:
            host = urlsplit(host if "//" in host else "//" + host).hostname or ""
        host = host.rstrip(".").removeprefix("www.")
        labels = host.split(".")
        # Walk from the full host to its parents, so the most specific listed domain wins.
        for i in range(len(labels) - 1):
            outlet = self.by_domain.get(".".join(labels[i:]))
            if outlet:
                return outlet.name
        return None

    def for_name(self, name: str) -> str | None:
        """The display name of an outlet written as ``name`` (``Washington Post`` -> ``The Washington Post``).

        Args:
            name: An outlet name as text writes it; matched case-sensitively, as the data file lists it.

        Returns:
            The outlet's display name, or None when ``name`` is not a listed name or alias.
        """
        outlet = self.by_name.get(name.strip())
        return outlet.name if outlet else None

    def for_name_with_article(self, text: str, after_the: bool = False) -> str | None:
        """The display name of an outlet listed with its "The" ("The Meridian") and written here
        as "the Meridian", or as "Meridian" right after a "the" (``after_the``) that the tagger
        left out of the name. A bare "Meridian" is not taken for it: that may be a surname.
        """
        bare = text[4:] if text[:4] in ("The ", "the ") else None
        if bare is None and not after_the:
            return None
        return self.for_name("The " + (bare if bare is not None else text))


def _credit_styles(outlets: tuple[Outlet, ...]) -> tuple[tuple[re.Pattern[str], Outlet], ...]:
    """Each outlet's credit patterns, compiled; a pattern that does not compile is left out with a
    warning (a user's edited file must not stop the run)."""
    styles = []
    for outlet in outlets:
        for credit in outlet.credits:
            try:
                styles.append((re.compile(credit), outlet))
            except re.error as error:
                log.warning("outlets: credit pattern %r of %s left out: %s", credit, outlet.name, error)
    return tuple(styles)


def _written_forms(name: str) -> list[str]:
    """The ways text writes an outlet name; "The X Y" also appears as "the X Y" mid-sentence."""
    forms = [name]
    # Only for two or more words after "The": "the Hill" is a place, "the Boston Globe" a paper.
    if name.startswith("The ") and len(name.split()) >= 3:
        forms.append("t" + name[1:])
    return forms
