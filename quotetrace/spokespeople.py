"""Whom a spokesperson speaks for: X of "a spokesman for X", "X spokeswoman", "X's office".

A spokesperson relays a principal's words, so the principal is the claim's origin (chains:
principal -> spokesperson -> outlet) and a quote of the principal and one of the spokesperson
are one speaker's for claim linking. Read from the speaker's role or name, as the article
writes them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quotetrace.models import Speaker
from quotetrace.names import same_name

_SPOKESPERSON = r"(?:spokes(?:man|woman|person|people|men|women)|press\s+secretary|press\s+office)"
# "spokesman for the ministry", "a spokesperson for Governor Jane Roe"
_FOR_PRINCIPAL_RE = re.compile(rf"\b{_SPOKESPERSON}\s+(?:for|to|of)\s+(?:the\s+)?(?P<x>\S.{{1,80}}?)\s*$", re.IGNORECASE)
# "Pentagon spokeswoman", "the City Hall press secretary": a capitalised name before the role
_PRINCIPAL_BEFORE_RE = re.compile(
    rf"^(?:(?:a|an|the)\s+)?(?P<x>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){{0,3}})\s+{_SPOKESPERSON}$"
)
# "the governor's office", "Jane Roe's spokesman"
_OFFICE_OF_RE = re.compile(
    r"^(?:the\s+)?(?P<x>\S.{1,60}?)['’]s?\s+(?:office|press\s+office|spokes(?:man|woman|person))$", re.IGNORECASE
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
    for text in (role, name):
        if not text:
            continue
        text = " ".join(text.split())
        if match := _FOR_PRINCIPAL_RE.search(text) or _PRINCIPAL_BEFORE_RE.match(text):
            principal = match["x"].rstrip(".,;")
            if not same_name(principal, name):
                return principal, "organization"
        if match := _OFFICE_OF_RE.match(text):
            return match["x"], "person"
    return None


def spokesperson_for(speaker: Speaker) -> str | None:
    """The name of whom ``speaker`` speaks for (``principal_of``), or None."""
    found = principal_of(speaker)
    return found[0] if found else None
