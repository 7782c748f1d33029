"""Whom a spokesperson speaks for: X of "a spokesman for X", "X spokeswoman", "X's office",
"X's campaign" (the words: ``data/spokespeople.toml``).

A spokesperson relays a principal's words, so the principal is the claim's origin (chains:
principal -> spokesperson -> outlet) and a quote of the principal and one of the spokesperson
are one speaker's for claim linking. Read from the speaker's role or name, as the article
writes them.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources

from quotetrace.models import Speaker
from quotetrace.names import same_name


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns of ``_principal``, from the words of ``data/spokespeople.toml``."""
    text = resources.files("quotetrace.data").joinpath("spokespeople.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)

    def either(words: list[str]) -> str:
        # longest first, so that "press office" is not read as "press" and "office"; a space is any
        return "(?:" + "|".join(r"\s+".join(map(re.escape, w.split()))
                                for w in sorted(words, key=len, reverse=True)) + ")"

    voice = either(data["spokespeople"])
    organ = either(data["organs"]) + rf"(?:\s+{either(data.get('officers', []))})?"
    return (
        # "spokesman for the ministry", "a spokesperson for Governor Jane Roe"
        re.compile(rf"\b{voice}\s+(?:for|to|of)\s+(?:the\s+)?(?P<x>\S.{{1,80}}?)\s*$", re.IGNORECASE),
        # "Ostvale Ministry spokeswoman", "the City Hall press secretary": a capitalised name before the role
        re.compile(rf"^(?:(?:a|an|the)\s+)?(?P<x>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){{0,3}})\s+{voice}$"),
        # "the governor's office", "Jane Roe's spokesman", "Ode's campaign (manager)"
        re.compile(rf"^(?:the\s+)?(?P<x>\S.{{1,60}}?)['’]s?\s+(?:{organ}|{voice})$", re.IGNORECASE),
        # "the Ode campaign", "Jane Roe campaign chairman": a capitalised name before a person's body
        re.compile(rf"^(?:the\s+)?(?P<x>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){{0,3}})\s+{organ}$"),
    )


def principal_of(speaker: Speaker) -> tuple[str, str] | None:
    """``(name, type)`` of whom ``speaker`` speaks for, or None.

    ``type`` is ``person`` for an office ("the governor's office" belongs to the governor),
    else ``organization`` (a spokesperson mostly speaks for a body).
    """
    return _principal(speaker.role, speaker.name)


@lru_cache(maxsize=1 << 14)
def _principal(role: str | None, name: str) -> tuple[str, str] | None:
    # by the two strings it reads: a run has far fewer speakers than quotes
    for_principal, principal_before, organ_of, organ_after = _patterns()
    for text in (role, name):
        if not text:
            continue
        text = " ".join(text.split())
        if match := for_principal.search(text) or principal_before.match(text):
            principal = match["x"].rstrip(".,;")
            if not same_name(principal, name):
                return principal, "organization"
        if match := organ_of.match(text) or organ_after.match(text):
            if not same_name(match["x"], name):
                return match["x"], "person"
    return None


def spokesperson_for(speaker: Speaker) -> str | None:
    """The name of whom ``speaker`` speaks for (``principal_of``), or None."""
    found = principal_of(speaker)
    return found[0] if found else None
