"""Who said it: names, roles, pronouns and descriptions resolved to one canonical speaker.

No coreference model runs offline here, so resolution is ours and deliberately simple:

* every named entity of the article is registered in text order and clustered with the
  forms that name the same person ("Ilse Varga", "Varga", "Ms. Varga", "Varrga");
* the words before a name ("Russian President", "Maple House deputy spokesman") and its
  appositions become the entity's *roles*;
* a description ("the Russian leader", "the deputy spokesman") resolves to the most recent
  entity whose roles share its head noun (or a synonym from the lexicon) and modifiers;
* a pronoun resolves to the most recent compatible subject or speaker outside quotes;
* reporters named in the byline are never candidates.

``CorpusNames`` then unifies spellings across articles ("Lee Min Ho" / "Lee Min-ho").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from quotetrace.lexicon import Lexicon, SpeakerWords
from quotetrace.models import Quote, Speaker, TextSpan
from quotetrace.names import name_tokens as _name_tokens
from quotetrace.names import split_name

if TYPE_CHECKING:  # spaCy only for type hints: answers from the index never import it
    from collections.abc import Mapping, Sequence

    from spacy.tokens import Doc, Span, Token

# Spelling slips tolerated when a lone surname matches a known name ("Varrga" for "Varga"):
# one edit, and only for names of five letters or more, where one edit rarely turns one real
# surname into another (checked on the dev sets: no false merge at 1 edit, several at 2).
MAX_NAME_EDITS = 1
MIN_FUZZY_NAME_LEN = 5
# How far back (characters) a pronoun or description looks for its antecedent.
ANTECEDENT_WINDOW = 2500

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_DETERMINERS = {"the", "a", "an", "one", "this", "that", "these", "those"}
_ENT_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "unnamed", "FAC": "organization"}
# Distinct name forms whose tokens are kept (``name_tokens``): an article has a few hundred, a
# run's worker sees them again from article to article (titles, outlets, the same people).
NAME_TOKEN_CACHE = 1 << 15


@lru_cache(maxsize=NAME_TOKEN_CACHE)
def name_tokens(name: str) -> list[str]:
    """``names.name_tokens``, each form normalised once: resolution compares every mention with
    every form of every entity (180,000 calls over 60 articles). The list is shared: read it,
    never change it."""
    return _name_tokens(name)


@lru_cache(maxsize=NAME_TOKEN_CACHE)
def _untitled_tokens(name: str, titles: frozenset[str]) -> list[str]:
    """A name's tokens without its titles ("President", "Mr."), or all of them if that leaves
    none. The last token stays: a surname may be a title's word ("Tessa Marshal", "John
    Major"), and titles come before a name. Shared, as ``name_tokens``'s."""
    toks = name_tokens(name)
    kept = [t for t in toks[:-1] if t not in titles]
    return kept + toks[-1:] if kept else [t for t in toks if t not in titles] or toks


@dataclass
class Entity:
    """A person or organization of one article, with every form that names it."""

    id: int
    forms: list[str]
    type: str
    roles: list[str] = field(default_factory=list)
    role_words: set[str] = field(default_factory=set)
    gender: str | None = None
    is_author: bool = False
    plural: bool = False
    collective: bool = False  # a description whose head stands for an organization ("the company")
    head: str = ""  # an unnamed description's head noun ("spokesman" of "A government spokesman")
    canonical: str | None = None  # an outlet's name as the outlet list spells it
    label: str = ""  # the tagger's label where it named the entity (ORG, PERSON, GPE, FAC)
    # ``name`` as worked out for the first n forms: (n, name). Forms are only ever added, at the
    # end (``Resolver._add_form``), so their number says whether it still holds.
    _fullest: tuple[int, str] = field(default=(0, ""), repr=False, compare=False)

    @property
    def name(self) -> str:
        if self.canonical:
            return self.canonical
        if self._fullest[0] != len(self.forms):
            # the fullest form: most words, then not in capitals ("Ana Ode" for a transcript's
            # "ANA ODE"), first seen on a tie
            self._fullest = (len(self.forms), max(self.forms, key=lambda f: (len(name_tokens(f)), not f.isupper(), -self.forms.index(f))))
        return self._fullest[1]

    def tokens(self) -> set[str]:
        return {t for f in self.forms for t in name_tokens(f)}


class NameIndex:
    """Which entities of an article a name can match at all, so that ``Resolver._match`` scores
    only those instead of every entity.

    ``_name_match`` gives a score above 0 only when the name and one of an entity's forms
    (titles left out) share a word, or, for a lone word of ``MIN_FUZZY_NAME_LEN`` letters or
    more, when it is ``MAX_NAME_EDITS`` edits from the first or last word of a form. So the
    entities are kept by each word of their forms, and by the deletion keys
    (``_deletion_keys``) of each form's long first and last words, which two words that many
    edits apart always share: the candidates are a superset of the entities that score, and
    scoring them alone gives the same answer.
    """

    def __init__(self, titles: frozenset[str]) -> None:
        self._titles = titles
        self._by_word: dict[str, set[int]] = {}
        self._by_key: dict[str, set[int]] = {}  # deletion keys of a form's long first or last word

    def add(self, entity: int, form: str) -> None:
        """Index one form of entity ``entity``."""
        words = _untitled_tokens(form, self._titles)
        for word in words:
            self._by_word.setdefault(word, set()).add(entity)
        for end in words[:1] + words[-1:]:
            if len(end) >= MIN_FUZZY_NAME_LEN:
                for key in _deletion_keys(end):
                    self._by_key.setdefault(key, set()).add(entity)

    def candidates(self, words: list[str]) -> set[int]:
        """The entities a name of these (untitled) words may match."""
        found: set[int] = set()
        for word in words:
            found.update(self._by_word.get(word, ()))
        if len(words) == 1 and len(words[0]) >= MIN_FUZZY_NAME_LEN:
            for key in _deletion_keys(words[0]):
                found.update(self._by_key.get(key, ()))
        return found


@lru_cache(maxsize=NAME_TOKEN_CACHE)
def _deletion_keys(word: str) -> frozenset[str]:
    """The word and what is left of it after dropping up to ``MAX_NAME_EDITS`` letters. Two words
    at most that many edits apart (letters added, dropped or changed) share one of these keys: a
    changed letter is dropped from both, an added one from the longer (symmetric deletion)."""
    keys = frontier = {word}
    for _ in range(MAX_NAME_EDITS):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        keys = keys | frontier
    return frozenset(keys)


@dataclass(frozen=True)
class _Mention:
    pos: int
    entity: int
    subject: bool
    speaker: bool
    sent: int = -1  # character offset where the mention's sentence starts
    medium: bool = False  # where words were said ("wrote on Chirper"): no one's words' issuer


def _position(mention: _Mention) -> int:
    return mention.pos


class Resolver:
    """Resolves speaker mentions of one parsed article, in text order."""

    def __init__(self, doc: Doc, lexicon: Lexicon, authors: tuple[str, ...] = (),
                 quoted: list[tuple[int, int]] | None = None, publishers: tuple[str, ...] = (),
                 text: str | None = None) -> None:
        self.doc = doc
        self._given_text = text  # ``doc.text``, when the caller has it (``_text``)
        self.words = lexicon.speakers
        self.cues = lexicon.cues
        self.outlets = lexicon.outlets
        # the outlets the page's metadata names (its site, the outlet that wrote it): outlets
        # here even when no outlet list knows them ("according to Nordwire")
        self._publishers = [[t for t in name_tokens(p) if t != "the"] for p in publishers if p]
        self.first_names = lexicon.first_names
        self.entities: list[Entity] = []
        self.mentions: list[_Mention] = []  # in text order
        self._latest: dict[int, int] = {}  # each entity's last mention (``_recency``)
        self._first_turn: int | None = None  # where a question-and-answer page's turns begin
        self.quoted = sorted(quoted or [])
        # ``_in_quote`` by bisection: the quotes' starts, and the furthest end up to each
        self._quote_starts = [s for s, _ in self.quoted]
        self._quote_reach: list[int] = []
        for _, end in self.quoted:
            self._quote_reach.append(max(end, self._quote_reach[-1]) if self._quote_reach else end)
        self._by_token: dict[int, int] = {}
        # Doc.ents builds a Span per entity on every call; the entities do not change here.
        self._ents = _split_listed_names(doc, _split_at_spaced_dashes(doc, doc.ents), lexicon.first_names)
        self._ent_at: dict[int, Span] = {}  # token -> the first entity over it (``_propn_run``)
        for ent in self._ents:
            for i in range(ent.start, ent.end):
                self._ent_at.setdefault(i, ent)
        # _name_match's answers: (tokens, entity id, its number of forms, person) -> score. An
        # entity only ever gains forms, so its id and their number say which forms it has.
        self._scores: dict[tuple[tuple[str, ...], int, int, bool | None], int] = {}
        self._gender_votes: dict[int, tuple[int, int]] = {}
        self._names = NameIndex(self.words.titles)  # every form of every entity (``_add_form``)
        self._authors: set[int] = set()
        self._retyped: set[int] = set()  # entities a later pronoun showed to be people (``settled``)
        for author in authors:
            ent = self._add(author, "person")
            ent.is_author = True
            self._authors.add(ent.id)
        self._register_entities()

    def _span_text(self, start: int, end: int) -> str:
        """The text of tokens ``start:end``, cut from the article's text (``doc[start:end].text``
        makes a Span and joins its tokens)."""
        if end <= start:
            return ""
        doc = self.doc
        last = doc[end - 1]
        return self._text[doc[start].idx:last.idx + len(last)]

    @cached_property
    def _text(self) -> str:
        """The article's text, given or built once (spaCy's ``Doc.text`` rebuilds it on every call)."""
        return self._given_text if self._given_text is not None else self.doc.text

    @cached_property
    def _person_or_pronoun(self) -> tuple[list[int], list[int]]:
        """The tokens that are a person's name or a pronoun, in order, and for each
        ``_PERSON_TOKEN``, ``_PRONOUN_TOKEN`` or both (``_vote_gender`` looks past each name
        for the next of them: spaCy would build every token between)."""
        ids = self.doc.vocab.strings
        ent_type, pos = self.doc.to_array(["ENT_TYPE", "POS"]).T
        kinds = (ent_type == ids["PERSON"]) * _PERSON_TOKEN | (pos == ids["PRON"]) * _PRONOUN_TOKEN
        marked = kinds.nonzero()[0]
        return marked.tolist(), kinds[marked].tolist()

    @cached_property
    def _hyphens(self) -> frozenset[int]:
        """The tokens that are a hyphen ("-")."""
        return frozenset((self.doc.to_array("ORTH") == self.doc.vocab.strings["-"]).nonzero()[0].tolist())

    @cached_property
    def _possessives(self) -> frozenset[int]:
        """The tokens tagged as a possessive ending ("'s")."""
        return frozenset((self.doc.to_array("TAG") == self.doc.vocab.strings["POS"]).nonzero()[0].tolist())

    @cached_property
    def _sentence_starts(self) -> list[int] | None:
        """The tokens that start a sentence, in order (``_sentence``); None where hooks give the
        doc's sentences or none are set, and spaCy's ``sent`` is asked instead."""
        doc = self.doc
        if doc.user_hooks or doc.user_span_hooks or doc.user_token_hooks or not doc.has_annotation("SENT_START"):
            return None
        return (doc.to_array("SENT_START") == 1).nonzero()[0].tolist()

    def _sentence(self, i: int) -> tuple[int, int]:
        """Token bounds of the sentence of token ``i``, as ``doc[i].sent`` gives them, without
        the walk over its tokens that spaCy makes on every call."""
        starts = self._sentence_starts
        if starts is None:
            sent = self.doc[i].sent
            return sent.start, sent.end
        k = bisect_right(starts, i)
        return starts[k - 1] if k else 0, starts[k] if k < len(starts) else len(self.doc)

    # ---- registry -------------------------------------------------------------------------

    def _add(self, form: str, etype: str) -> Entity:
        ent = Entity(len(self.entities), [], etype, canonical=self.outlets.for_name(form) if etype == "outlet" else None)
        self.entities.append(ent)
        self._add_form(ent, form)
        return ent

    def _add_form(self, ent: Entity, form: str) -> None:
        """The one way an entity gains a form: the name index must know every one."""
        ent.forms.append(form)
        self._names.add(ent.id, form)

    def _match(self, form: str, before: int | None = None, include_authors: bool = False,
               person: bool | None = None) -> Entity | None:
        toks = _untitled_tokens(form, self.words.titles)
        if not toks:
            return None
        recent = self._recency(before)
        asked = tuple(toks)
        best: tuple[int, int, Entity] | None = None
        # the entities that can score, and the authors (a byline's exact name is answered
        # apart), in the order of their ids as when every entity was scored: ties go the same way
        candidates = self._names.candidates(toks)
        if not include_authors:
            candidates |= self._authors
        entities = self.entities
        for ent in (entities[i] for i in sorted(candidates)):
            if ent.is_author and not include_authors:
                if " ".join(toks) == " ".join(name_tokens(ent.name)):
                    return ent
                continue
            key = (asked, ent.id, len(ent.forms), person)
            score = self._scores.get(key)
            if score is None:
                score = self._scores[key] = _name_match(toks, ent, self.words, person)
            if score and (best is None or (score, recent.get(ent.id, -1)) > (best[0], best[1])):
                best = (score, recent.get(ent.id, -1), ent)
        return best[2] if best else None

    def _recency(self, before: int | None) -> dict[int, int]:
        """Each entity's last mention before ``before`` (or at all): read only."""
        mentions = self.mentions
        if before is None or not mentions or mentions[-1].pos < before:
            return self._latest  # every mention counts: the table kept as they come
        # in text order: the mentions before ``before`` are a prefix, the last of each entity wins
        return {m.entity: m.pos for m in mentions[:bisect_left(mentions, before, key=_position)]}

    def _mentioned(self, mention: _Mention) -> None:
        """Record a mention, keeping ``mentions`` in text order and ``_latest`` with it."""
        if self.mentions and mention.pos < self.mentions[-1].pos:
            insort(self.mentions, mention, key=lambda m: m.pos)
        else:
            self.mentions.append(mention)
        if mention.pos >= self._latest.get(mention.entity, -1):
            self._latest[mention.entity] = mention.pos

    def _register_entities(self) -> None:
        for ent in self._ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE", "FAC", "WORK_OF_ART", "LOC"):
                continue
            # a token that is ":", ";" or "|", or holds a line break, is in the name's text
            cut = next((t.i for t in ent if t.text in (":", ";", "|") or "\n" in t.text), ent.end) \
                if _CUT_CHARS.search(self._text, ent.start_char, ent.end_char) else ent.end
            if cut <= ent.start:
                continue  # NER ran a name over a colon or a line break: keep what comes first
            root = ent.root  # Span.root is worked out anew on every access
            given = self._given_name_before(ent.start, root) if cut - ent.start == 1 else False
            span = self._name_span(root if cut == ent.end else self.doc[ent.start:cut].root, ent.start - given, cut)
            form = self._clean_form(span)
            if not form or not any(c.isalpha() for c in form):
                continue
            etype = "person" if given else self._type_of(form, ent.label_)
            if etype != "person" and self._person_by_clause(ent):
                etype = "person"
            elif ent.label_ == "LOC":
                continue  # a place is a speaker only as a person's misread name
            if ent.label_ == "WORK_OF_ART" and etype != "outlet":
                continue  # a title is a name only when it is a paper's ("The Morning Ledger")
            found = self._match(form, before=ent.start_char, include_authors=True, person=etype == "person")
            if etype != "person" and len(name_tokens(form)) == 1:
                # NER often takes a lone surname for an organization ("Ruiz said")
                person = self._match(form, before=ent.start_char, include_authors=True, person=True)
                if person is not None and person.type == "person":
                    found, etype = person, "person"
            if found is None or (found.type == "person") != (etype == "person"):
                found = self._add(form, etype)
                found.label = ent.label_
            elif form not in found.forms:
                self._add_form(found, form)
            role = self._role_before(span)
            if role:
                self._add_role(found, role)
                role_words = name_tokens(role)
                last = role_words[-1] if role_words else ""
                if found.type == "organization" and self.words.names_media(role_words):
                    found.type = "outlet"  # "state news agency Vesta", "broadcaster Kanal 9" (not "the UN agency X")
                elif found.type == "organization" and last in self.words.titles and _person_shaped(form):
                    found.type = "person"  # "Police spokeswoman Ines Dahl": a person's title before it
            held = self._role_in_relative(root)
            if held:
                self._add_role(found, held)
            lone = len(name_tokens(form)) == 1
            told = _told_of(root) if lone else None
            if found.type == "organization" and (lone and (self._person_aside(ent.end) or told == "person") or self._aged(ent.end)):
                found.type = "person"  # "Brandt -- the company's former chief --", "Varga, 54,", "Varga, who ..."
            elif found.type == "person" and told == "organization" and not given and len(found.forms) == 1:
                found.type = "organization"  # "Ostvale, which owns the port, said it": NER took a body for a person
            elif found.type == "organization" and _person_shaped(form) and name_tokens(form)[0] in self.first_names \
                    and (any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in root.children)
                         or any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.tag_ == "NN"
                                and any(g.dep_ == "poss" for g in c.children) for c in root.children)):
                # "The Ostvale Institute's Ilse Varga", "Ilse Varga, Nordwire's chief economist,":
                # a body's person
                found.type = "person"
            appos = next((c for c in root.children if c.dep_ == "appos" and not self._in_quote(c.idx)), None)
            if appos is not None and appos.pos_ == "NOUN":
                self._add_role(found, self._span_text(*_trim_det(self.doc, *_subtree(appos))))
            holder = root.head
            if root.dep_ == "appos" and holder.pos_ == "NOUN" and holder.i < ent.start and not self._in_quote(holder.idx):
                # "Lanrovia's president, Aurel Danek,": the noun the name stands beside is its role
                # (a thing's possessor is no part of it: "the book's author, X," is an author)
                owner = next((c for c in holder.children if c.dep_ == "poss" and c.pos_ == "NOUN"), None)
                first = owner.right_edge.i + 1 if owner is not None else holder.left_edge.i
                if first < len(self.doc) and self.doc[first].tag_ == "POS":
                    first += 1
                self._add_role(found, self._span_text(*_trim_det(self.doc, first, holder.i + 1)))

            if not self._in_quote(ent.start_char):
                sent_start = self.doc[self._sentence(ent.start)[0]].idx  # ent.sent.start_char
                self._mentioned(_Mention(ent.start_char, found.id, _main_subject(root), False, sent_start,
                                         self._said_on(root)))
                if found.type == "person":
                    self._vote_gender(found, ent.end)
            for i in range(span[0], span[1]):
                self._by_token[i] = found.id
        names = self.first_names
        for entity in self.entities:
            if entity.gender is None and entity.type == "person":
                first = name_tokens(entity.name)[:1]
                entity.gender = names.get(first[0]) if first else None
            votes = self._gender_votes.get(entity.id)
            if entity.gender is None and votes:
                male, female = votes
                if male != female:
                    entity.gender = "male" if male > female else "female"

    def _person_by_clause(self, ent: Span) -> bool:
        """"Marguerite Sauvé, who heads ...": a name the tagger took for a place or a body is a
        person's when it starts with a known first name and a "who" clause follows it."""
        words = name_tokens(ent.text)
        return len(words) >= 2 and words[0] in self.first_names and all(t.pos_ == "PROPN" for t in ent) \
            and any(c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_ == "nsubj" for g in c.children) for c in ent.root.children)

    def _role_in_relative(self, name: Token) -> str:
        """"Ana Ode, who heads the Water Agency": the role a relative clause gives the name
        ("head of the Water Agency"), from the lexicon's role verbs."""
        for clause in name.children:
            if clause.dep_ != "relcl" or not any(c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children):
                continue
            noun = self.words.role_verbs.get(clause.lemma_.lower())
            obj = next((c for c in clause.children if c.dep_ in ("dobj", "obj")), None)
            if noun and obj is not None:
                return f"{noun} of {self._span_text(*_trim_det(self.doc, *_subtree(obj)))}"
        return ""

    def _aged(self, after: int) -> bool:
        """"Varga, 54, said": a name with an age after it is a person's."""
        doc = self.doc
        return after + 2 < len(doc) and doc[after].text == "," and doc[after + 2].text == "," \
            and doc[after + 1].text.isdigit() and 0 < int(doc[after + 1].text) < 120

    def _person_aside(self, after: int) -> bool:
        """An aside right after a name, between commas or dashes, whose head is a person's
        title ("-- the company's former chief --", ", a lawyer,")."""
        doc = self.doc
        if after >= len(doc) or doc[after].text not in (",", "--", "—", "–"):
            return False
        for t in doc[after + 1:min(len(doc), after + 9)]:
            if t.text in (",", "--", "—", "–", ".") or t.is_sent_start:
                return False
            if t.pos_ == "NOUN" and t.tag_ == "NN" and t.lower_ in self.words.titles and t.dep_ == "appos":
                return True
        return False

    def _vote_gender(self, ent: Entity, after: int) -> None:
        """The first he/she after a name, before any other name, hints at its gender."""
        doc = self.doc
        sent_end = self._sentence(after - 1)[1] if after > 0 else 0
        limit = min(len(doc), max(sent_end + 40, after + 1))
        marked, kinds = self._person_or_pronoun
        for k in range(bisect_left(marked, after), len(marked)):
            i = marked[k]
            if i >= limit or kinds[k] & _PERSON_TOKEN:
                return
            group = self.words.pronoun_group(doc[i].text)
            if group in ("male", "female"):
                male, female = self._gender_votes.get(ent.id, (0, 0))
                self._gender_votes[ent.id] = (male + (group == "male"), female + (group == "female"))
                return

    def _add_role(self, ent: Entity, role: str) -> None:
        role = role.strip(" ,")
        if all(w.rstrip('.') in _HONORIFICS for w in name_tokens(role)) or _is_age(role):
            return  # "Mr." says nothing of a role, nor an age ("Vale, 52,")
        if role and role not in ent.roles:
            ent.roles.append(role)
            ent.role_words |= {w for w in name_tokens(role)}
            first = name_tokens(role)[:1]
            if first:
                if first and first[0] in self.words.male_titles:
                    ent.gender = ent.gender or "male"
                if first and first[0] in self.words.female_titles:
                    ent.gender = ent.gender or "female"

    def _type_of(self, form: str, label: str) -> str:
        if self.outlets.for_name(form):
            return "outlet"
        toks = name_tokens(form)
        if toks and [t for t in toks if t != "the"] in self._publishers:
            return "outlet"
        if label in ("ORG", "PERSON", "GPE", "WORK_OF_ART") and toks and toks[-1] in self.words.outlet_name_words:
            return "outlet"
        if label == "ORG" and any(t in self.words.outlet_name_words for t in toks) and len(toks) <= 4:
            return "outlet"
        if label == "PERSON" and len(toks) > 1 and toks[0] in self.words.media_nouns:
            return "outlet"  # "Radio Norte", "Channel Vesta"
        if label == "PERSON" and len(toks) > 1 and toks[-1] in self.words.organization_name_words:
            return "organization"  # "Kelmar Shipping": the tagger took a firm for a person
        return _ENT_TYPES.get(label, "organization")

    def _in_quote(self, pos: int) -> bool:
        """Whether some quote ``(s, e)`` has ``s <= pos < e``."""
        k = bisect_right(self._quote_starts, pos)
        return k > 0 and self._quote_reach[k - 1] > pos

    # ---- names inside a noun phrase -------------------------------------------------------

    def _given_name_before(self, start: int, root: Token) -> bool:
        """"Ana Lisk said": the tagger left a first name (``first_names.tsv``) out of a lone
        surname's entity; a capitalised name word of no entity, joined to the surname, with no
        name word before it, is its given name, and the two a person's name."""
        doc = self.doc
        if start == 0:
            return False
        tok = doc[start - 1]
        if tok.pos_ != "PROPN" or not tok.is_title or tok.ent_type_ or tok.head.i != root.i \
                or tok.dep_ not in ("compound", "nmod") or tok.lower_ not in self.first_names:
            return False
        return start == 1 or doc[start - 2].pos_ != "PROPN" and not doc[start - 2].is_title

    def _name_span(self, root: Token, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """Grow an entity's tokens over adjacent name words ("Lee Min" + "-ho")."""
        doc = self.doc
        hi = len(doc) if hi is None else hi
        hyphens = self._hyphens  # _joined needs a hyphen at the token or beside it
        while end < hi and (end in hyphens or end - 1 in hyphens) and _joined(doc, end):
            end += 1
        while start > lo and (start - 1 in hyphens or start in hyphens) and _joined(doc, start - 1, left=True):
            start -= 1
        # marks fused into one token at the front ('”―' before a signature's name) are no part of it
        while start < end - 1 and doc[start].is_punct:
            start += 1
        # "Added Lindqvist: '...'": the speech verb of an inverted introduction is no part of it
        if start < end - 1 and end < len(doc) and doc[end].text == ":" \
                and (start == 0 or "\n" in doc[start - 1].text or doc[start].is_sent_start) \
                and self.cues.opening_cue(doc[start].text, doc[start].lemma_) is not None:
            start += 1
        # titles at the front belong to the role
        while start < end - 1 and doc[start].lower_.rstrip(".") in self.words.titles:
            start += 1
        while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
            end -= 1
        # "Ostland's Piet Varenna": the tagger may run a person's name over a possessor
        owned = [i for i in range(start, end - 1) if i in self._possessives]
        if owned and doc[end - 1].ent_type_ == "PERSON" and all(t.pos_ == "PROPN" for t in doc[owned[-1] + 1:end]):
            start = owned[-1] + 1
        return start, end

    def _clean_form(self, span: tuple[int, int]) -> str:
        text = self._span_text(*span)
        if text.endswith(_POSSESSIVE_ENDS):  # what _TRAILING_POSSESSIVE can take off
            text = _TRAILING_POSSESSIVE.sub("", text)
        text = text.strip(" ,.-–—")
        if text.startswith(("'", "’")):  # what _LEADING_POSSESSIVE can take off
            text = _LEADING_POSSESSIVE.sub("", text)
        # a "the" before the name counts only where the name does not begin with its own
        after_the = text[:4] not in ("The ", "the ") and span[0] > 0 and self.doc[span[0] - 1].lower_ == "the"
        listed = self.outlets.for_name_with_article(text, after_the=after_the)
        if listed:
            return listed  # "The Meridian": a listed outlet keeps its article
        if text.startswith(("the", "The")) and len(text.split()) > 1 and not self._keeps_article(text):
            text = _LEADING_THE.sub("", text)
        return text

    def _keeps_article(self, text: str) -> bool:
        toks = name_tokens(text)
        return len(toks) > 1 and toks[-1] in self.words.outlet_name_words

    def _role_before(self, span: tuple[int, int]) -> str:
        """Words before a name that describe it: "Russian President", "deputy spokesman"."""
        doc = self.doc
        i = span[0]
        start = i
        if i > 0 and doc[i - 1].tag_ == "POS":
            return ""  # "the mayor's Velden trip": a possessor, not a role
        while start > 0:
            t = doc[start - 1]
            if t.is_punct and t.text not in ("-", "’", "'") or t.is_space or t.pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ", "PRON", "DET", "NUM") or t.is_sent_end:
                break
            if t.pos_ not in ("NOUN", "PROPN", "ADJ", "X", "PART") and t.tag_ != "POS":
                break
            start -= 1
        if start == i:
            return ""
        return self._span_text(start, i)

    # ---- resolution ----------------------------------------------------------------------

    def resolve(self, span: tuple[int, int], *, speaker: bool = True, inside_quote_of: Speaker | None = None,
                cue: int | None = None) -> Speaker | None:
        """The speaker a token span names, with ``mention`` set to that span. An unnamed
        description keeps all its words, up to the cue (token ``cue``) that it speaks through:
        "three people briefed on the talks", "a person who attended"."""
        doc = self.doc
        start, end = span
        if end <= start:
            return None
        mention = TextSpan(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), self._span_text(start, end))
        root = _descend(_span_root(doc, start, end), self.words)
        group = self.words.pronoun_group(root.text) if root.pos_ == "PRON" else None
        if group == "first" and inside_quote_of is not None:
            return Speaker(inside_quote_of.name, inside_quote_of.type, inside_quote_of.role, mention)
        if group is not None:
            ent = self._document_before(root) if group == "neuter" else None
            ent = ent or self._pronoun(group, mention.start)
            if ent is None:
                return Speaker(mention.text, "unnamed", None, mention)
            return self._speaker(ent, mention, None, speaker)
        name_span, role = self._name_and_role(start, end, root)
        if name_span is not None:
            form = self._clean_form(name_span)
            known = self._by_token.get(name_span[0])
            if known is None or self.entities[known].is_author:
                label = doc[name_span[0]].ent_type_ or doc[name_span[1] - 1].ent_type_
                if name_span[1] - name_span[0] == 1 and label in ("", "ORG", "PERSON"):
                    told = _told_of(doc[name_span[0]])  # "Ostvale, which ...", "Varga, who ..."
                    label = {"person": "PERSON", "organization": "ORG"}.get(told or "", label)
                found = self._match(form, before=mention.start, person=True if label == "PERSON" else None)
                if found is None:
                    found = self._add(form, self._type_of(form, label or "PERSON"))
                elif form not in found.forms:
                    self._add_form(found, form)
                known = found.id
            entity = self.entities[known]
            if role:
                self._add_role(entity, role)
                role_words = name_tokens(role)
                if entity.type == "organization" and role_words and role_words[-1] in self.words.titles \
                        and _person_shaped(form):
                    entity.type = "person"  # "A spokeswoman, Lina Holt,": a person's title beside it
            return self._speaker(entity, mention, role, speaker)
        lemma = root.lemma_.lower()
        if lemma in self.words.document_nouns:
            ent = self._document_author(root, mention.start)
        else:
            ent = self._description(start, end, root, mention.start)
        if ent is not None:
            return self._speaker(ent, mention, self._span_text(*_trim_det(doc, start, end)), speaker)
        s, e = _np_bounds(root, start, end)
        while s < e - 1 and doc[s].is_punct:
            s += 1
        e = _with_modifiers(root, e, cue)
        form = self._span_text(s, e)
        owner = self._pronoun_owner(root, s)
        if owner is not None:
            # "Her spokesman said": whose spokesman, as the text names them ("Ana Ode's spokesman")
            form = f"{owner.name}'s {self._span_text(s + 1, e)}"
        mention = TextSpan(mention.start, max(mention.end, doc[e - 1].idx + len(doc[e - 1])), self._span_text(start, max(end, e)))
        return self._speaker(self._unnamed(form, root), mention, None, speaker)

    def _pronoun_owner(self, root: Token, first: int) -> Entity | None:
        """Who a possessive pronoun that opens a description stands for ("her campaign", "its
        lawyers"), when the text names them."""
        poss = self.doc[first]
        if poss.i == root.i or poss.dep_ != "poss" or poss.head.i != root.i or poss.pos_ != "PRON" \
                or not self._can_issue(root):
            return None  # (and "his recent attacks" is no one's words: no owner to put to it)
        group = self.words.pronoun_group(poss.text)
        owner = self._pronoun(group, poss.idx) if group is not None else None
        return owner if owner is not None and owner.type in ("person", "organization") and not owner.is_author else None

    def _unnamed(self, form: str, root: Token) -> Entity:
        """The entity a description names when no name fits: its own words."""
        lemma = root.lemma_.lower()
        owned = lemma in self.words.organization_nouns and _owned_by_name(root)
        words = name_tokens(form)
        # "state TV", "local media", "the Vesta news agency": news media, named by their kind
        media = any(self.words.names_media(words, head) for head in (lemma, root.lower_))
        found = next((x for x in self.entities if x.type in ("unnamed", "organization", "outlet") and name_tokens(x.name) == words), None)
        if found is None:
            found = self._add(form, "outlet" if media else "organization" if owned else "unnamed")
            found.plural = root.tag_ in ("NNS", "NNPS")
            found.collective = lemma in self.words.organization_nouns
            found.head = lemma if root.pos_ == "NOUN" else ""
        return found

    def resolve_label(self, start: int, end: int) -> Speaker | None:
        """The speaker a transcript label names ("VOLKAN", "MS. BREKKE", "HOST"), by
        character offsets: the person the article names in full, else the label's words."""
        doc = self.doc
        label = doc.char_span(start, end, alignment_mode="expand")
        if label is None or not len(label):
            return None
        mention = TextSpan(start, end, self._text[start:end])
        role = self.words.qa_labels.get(mention.text.lower())
        if role is not None:
            return self._qa_speaker(role, mention, mention.text.lower() in self.words.qa_answer_labels)
        words = [w for w in mention.text.split() if w.lower().rstrip(".") not in self.words.titles]
        if not words:
            return Speaker(mention.text, "unnamed", None, mention)
        form = " ".join(w.capitalize() if w.isupper() else w for w in words)
        if form.lower() in self.words.turn_labels:
            return Speaker(form, "unnamed", None, mention)
        found = self._match(form, before=None, person=True)
        if found is None:
            found = self._add(form, "person")
        elif form not in found.forms:
            self._add_form(found, form)
        return self._speaker(found, mention, None, True)

    def _qa_speaker(self, role: str, mention: TextSpan, answers: bool) -> Speaker:
        """Who a "Q:" or "A:" turn is (``qa_labels``): the questioner unnamed; the interviewee
        the person named most before the page's first turn (its introduction), else unnamed."""
        if self._first_turn is None:
            self._first_turn = mention.start
        first_turn = self._first_turn
        if not answers:
            return Speaker(f"the {role}", "unnamed", role, mention)
        counts: dict[int, int] = {}
        for m in self.mentions:
            if m.pos < first_turn and self.entities[m.entity].type == "person":
                counts[m.entity] = counts.get(m.entity, 0) + 1
        if not counts:
            return Speaker(f"the {role}", "unnamed", role, mention)
        best = min(counts, key=lambda e: (-counts[e], e))
        return self._speaker(self.entities[best], mention, None, True)

    def _remember(self, ent: Entity, pos: int) -> None:
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        sent = span.sent.start_char if span is not None and len(span) else -1
        self._mentioned(_Mention(pos, ent.id, True, True, sent))

    def _document_author(self, root: Token, pos: int) -> Entity | None:
        """"the report", "The article", "a statement": whoever published it, if the sentence
        or the text just before names them."""
        issued = self._issued(root)
        if issued is None and any(c.dep_ == "det" and c.lower_ in ("the", "that", "this") for c in root.children):
            # "X issued a statement on Sunday. ... the statement said": the one issued before
            sent = root.sent
            prev = self.doc[sent.start - 1].sent if sent.start > 0 else None
            earlier = [t for t in self.doc[prev.start if prev is not None else sent.start:root.i]
                       if t.lemma_.lower() == root.lemma_.lower() and t.dep_ == "dobj"]
            issued = next((x for x in (self._issued(t) for t in reversed(earlier)) if x is not None), None)
        if issued is not None:
            return self._subject_entity(issued, pos)
        for child in root.children:
            if child.dep_ == "poss" and child.pos_ != "PRON":
                return self._entity_at(child)
            if child.dep_ == "compound" and child.pos_ == "PROPN":
                return self._entity_at(child)
            if child.dep_ in ("prep", "acl"):
                for t in child.subtree:
                    issuer = t.dep_ == "pobj" and t.head.lower_ in ("by", "from")
                    named = self._entity_at(t) if issuer and t.pos_ == "PROPN" else None
                    if named is not None:
                        return named
                    # "a readout from the premier's office", "the statement, issued by the
                    # presidential office,": the issuer, as the text names it ("a readout from
                    # the meeting": no issuer)
                    by = t.head.head
                    # (or a common noun the tagger took for a name: "the Lanrovian foreign ministry")
                    if issuer and (t.pos_ == "NOUN" or t.is_lower) \
                            and (by.i == root.i or by.dep_ == "acl" and by.head.i == root.i) and self._can_issue(t):
                        # (as a subject would be read: "filed by the prosecutor Aron Pell" is Aron Pell)
                        return self._subject_entity(t, pos) or \
                            self._unnamed(self._span_text(*_trim_det(self.doc, *_subtree(t))), t)
        kind = next((c for c in root.children if c.dep_ == "compound" and c.pos_ == "NOUN"
                     and c.lemma_.lower() in self.words.organization_nouns
                     and c.lemma_.lower() not in self.words.venue_nouns), None)
        if kind is not None:
            # "a ministry statement said": the ministry, as "the ministry said" would be (an
            # organization of that name, or the fuller phrase said before: not just any
            # organization named, as "Acme said ... A ministry statement said"); one the text
            # names as its issuer ("filed by") comes first. ("court documents" are the parties':
            # ``venue_nouns``)
            found = self._description(kind.i, kind.i + 1, kind, pos) or self._fuller_before(kind)
            if found is None and kind.lemma_.lower() in self.words.generic_organization_nouns:
                found = self._issuer(pos)
            # else the body by its kind ("the defence ministry"), never the document
            return found or self._unnamed("the " + self._span_text(*_subtree(kind)), kind)
        poss = next((c for c in root.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if poss is not None:  # "its communique", "their statement", "her statement"
            group = self.words.pronoun_group(poss.text)
            return self._pronoun(group, poss.idx) if group is not None else None
        # the outlet that reported, not one that was only told something ("X told the Ledger"):
        # an outlet named as a subject or a speaker first
        outlets = [m for m in self.mentions if m.pos < pos and pos - m.pos <= ANTECEDENT_WINDOW
                   and self.entities[m.entity].type == "outlet" and not self.entities[m.entity].is_author]
        if outlets:
            return self.entities[([m for m in outlets if m.subject or m.speaker] or outlets)[-1].entity]
        issuer = self._issuer(pos)
        if issuer is None and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in root.children):
            # "disputed a report that said ... The statement challenged an article published by
            # the Ledger": an indefinite document the text has not yet credited is credited next
            return self._outlet_ahead(root)
        return issuer

    def _outlet_ahead(self, root: Token) -> Entity | None:
        """The first outlet named after ``root`` in its sentence or the next one."""
        sent = root.sent
        end = _next_sentence_end(sent)
        ahead = [m for m in self.mentions if root.idx < m.pos < end and self.entities[m.entity].type == "outlet"
                 and not self.entities[m.entity].is_author]
        return self.entities[ahead[0].entity] if ahead else None

    def _fuller_before(self, root: Token) -> Entity | None:
        """The earlier noun phrase, in this sentence or the one before, with ``root``'s head
        and the words that make it particular ("the government of Karsk", "Karsk's embassy")."""
        sent = root.sent
        first = self.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        lemma = root.lemma_.lower()
        for tok in reversed(self.doc[first:root.i]):
            # (a lower-case head the tagger took for a name's: "the Lanrovian foreign ministry")
            if tok.lemma_.lower() != lemma or not (tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and tok.is_lower) \
                    or self._in_quote(tok.idx):
                continue
            if _owned_by_name(tok) or _named_by_modifier(tok):
                s, e = _trim_det(self.doc, *_np_bounds(tok, *_subtree(tok)))
                return self._unnamed(self._span_text(s, e), tok)
        return None

    def _can_issue(self, noun: Token) -> bool:
        """Whether a common noun can stand for whoever puts a document out: an organization, an
        outlet, a role or a source ("the ministry", "the premier's office", "officials"), or
        anything a name owns; not an event or a thing ("the meeting", "the talks")."""
        w = self.words
        lemma = noun.lemma_.lower()
        return (lemma in w.organization_nouns or lemma in w.outlet_nouns or lemma in w.media_nouns
                or lemma in w.titles or lemma in w.unnamed_nouns or noun.lower_ in w.unnamed_nouns
                or _owned_by_name(noun) or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.children))

    def _issued(self, document: Token) -> Token | None:
        """The subject that put ``document`` out ("the campaign issued a statement"), if any."""
        verb = document.head
        if document.dep_ != "dobj" or verb.lemma_.lower() not in self.words.issuing_verbs:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ in ("conj", "xcomp"):
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        return subject if subject is not None and subject.pos_ != "PRON" else None

    def _document_before(self, pronoun: Token) -> Entity | None:
        """"The panel's statement welcomed the deal, but it did not say ...": an "it" after a
        document that is the subject of the same sentence stands for the document's issuer."""
        sent = pronoun.sent
        document = next((t for t in reversed(self.doc[sent.start:pronoun.i]) if t.dep_ in ("nsubj", "nsubjpass", "ROOT")
                         and t.lemma_.lower() in self.words.document_nouns and t.tag_ in ("NN", "NNP")), None)
        return self._document_author(document, document.idx) if document is not None else None

    def _subject_entity(self, subject: Token, pos: int) -> Entity | None:
        """The entity a clause's subject names: a name, else a description that fits."""
        known = self._entity_at(subject) if subject.pos_ == "PROPN" else None
        if known is not None:
            return known
        s, e = _trim_det(self.doc, *_np_bounds(subject, *_subtree(subject)))
        speaker = self.resolve((s, e), speaker=False)
        return next((x for x in self.entities if speaker is not None and x.name == speaker.name), None)

    def _issuer(self, pos: int) -> Entity | None:
        """Who issued "the statement": the organization this sentence or the one before
        names (its subject first), else the last organization quoted within reach."""
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        sent = span.sent if span is not None and len(span) else None
        if sent is None:
            return None
        prev_start = self.doc[sent.start - 1].sent.start_char if sent.start > 0 else -2
        # a named organization, not a place ("Karsk said" is its government, not a statement's issuer)
        organization = lambda m: self.entities[m.entity].type == "organization" and self.entities[m.entity].label != "GPE" \
            and not m.medium
        near = [m for m in self.mentions if m.pos < pos and m.sent in (sent.start_char, prev_start) and organization(m)]
        if near:
            main = [m for m in near if m.subject] or near
            return self.entities[main[-1].entity]
        quoted = [m for m in self.mentions if m.pos < pos and m.speaker and pos - m.pos <= ANTECEDENT_WINDOW and organization(m)]
        return self.entities[quoted[-1].entity] if quoted else None

    def _said_on(self, root: Token) -> bool:
        """"wrote on Chirper", "said via a video link": a name after a preposition of the
        medium (``media_prepositions`` in cues.toml) on a speech verb is where it was said."""
        prep = root.head
        return root.dep_ == "pobj" and prep.lower_ in self.cues.media_prepositions and self.cues.any(prep.head.lemma_.lower())

    def _entity_at(self, tok: Token) -> Entity | None:
        ent = self._by_token.get(tok.i)
        if ent is not None:
            return self.entities[ent]
        form = self._clean_form(self._name_span(tok, *self._propn_run(tok, tok.left_edge.i, tok.i + 1)))
        return self._match(form, before=tok.idx) if form else None

    def _speaker(self, ent: Entity, mention: TextSpan, role: str | None, speaker: bool) -> Speaker:
        if speaker:
            self._remember(ent, mention.start)
        roles = [r for r in ent.roles if r]
        if role is not None and all(w.rstrip('.') in _HONORIFICS for w in name_tokens(role)):
            role = None
        best_role = (role.strip(" ,") if role else None) or (max(roles, key=len) if roles else None)
        return Speaker(ent.name, ent.type, best_role, mention)

    def _apposed_to_object(self, root: Token, end: int) -> list[Token]:
        """"The company behind the app, Chirper Inc., said": a name the parser hung in
        apposition on the object of the phrase's preposition, where the comma after it closes
        the whole phrase (the parser hangs that comma on the phrase's head) or the phrase ends
        with it ('said his best friend at Ostvale, Tomas Reid.'), names the head."""
        for prep in (c for c in root.children if c.dep_ == "prep"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                for appos in (c for c in obj.children if c.dep_ == "appos" and c.pos_ == "PROPN"):
                    after = appos.right_edge.i + 1
                    closed = after == end or after < len(self.doc) and self.doc[after].text == "," \
                        and self.doc[after].head.i == root.i
                    if closed and not self._in_quote(appos.idx):
                        return [appos]
        return []

    def _name_and_role(self, start: int, end: int, root: Token) -> tuple[tuple[int, int] | None, str | None]:
        """The name in a speaker's noun phrase, and the words around it that give a role.

        The name must be the phrase's head or glued to it ("Lanrovian President Tomas
        Varga"); a name deeper in the phrase ("one person familiar with Mr. Doe's
        testimony") is not the speaker.
        """
        doc = self.doc
        # "one senator, Ostland's Piet Varenna": the parser may make the possessor an apposition
        # of its own; the name in apposition is the one that owns nothing
        # ("said Ms Ruiz, 'every single house'": the quotation the parser hung on the name is no role)
        apposed = [c for c in root.children if c.dep_ == "appos" and not self._in_quote(c.idx)]
        if not apposed and root.pos_ == "NOUN":
            apposed = self._apposed_to_object(root, end)
        appos = next((c for c in apposed if not any(g.dep_ == "case" for g in c.children)), apposed[0] if apposed else None)
        if root.pos_ != "PROPN" and appos is not None and appos.pos_ == "NOUN":
            # "One official, the ministry's spokesman Ana Ode": the name is the role's apposition
            named = next((c for c in appos.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if named is not None:
                a0, a1 = _subtree(appos)
                name = self._name_span(named, *self._propn_run(named, a0, a1), lo=a0, hi=a1)
                return name, self._span_text(*_trim_det(doc, a0, name[0]))
        # "state Del. Mira Lund (D-Vale)": a party's or a place's label in brackets
        # after a name is no name (whether the parser made it the apposition or the head); the
        # person's name before it is
        opening = self._bracketed(appos) if appos is not None and appos.pos_ == "PROPN" else None
        label = appos if opening is not None else None
        if label is None and root.pos_ == "PROPN":
            opening = self._bracketed(root)
            label = root if opening is not None else None
        if label is not None:
            person = next((e for e in self._ents if e.label_ == "PERSON" and e.end == opening), None)
            if person is not None:
                name = self._name_span(person.root, person.start, person.end, lo=start, hi=end)
                return name, self._span_text(*_trim_det(doc, start, name[0])) or None
            if label is appos:
                appos = None
        # ("Rep., Ana Ode": the parser may make a title alone the head, and the name its apposition)
        if (root.pos_ != "PROPN" or root.lower_.rstrip(".") in self.words.titles) and appos is not None \
                and appos.pos_ == "PROPN":
            a0, a1 = _subtree(appos)
            name = self._name_span(appos, *self._propn_run(appos, a0, a1), lo=a0, hi=a1)
            return name, self._span_text(*_trim_det(doc, start, root.i + 1))
        if root.lower_ in self.words.titles:
            # "U.N. special envoy for Peru Ana Ode": the parser may
            # make the title the head and the name its tail
            # (a party-and-state label may follow it: "Rep. Ana Ode (D-Calif.)")
            tail = next((e for e in self._ents if e.label_ == "PERSON" and root.i < e.start
                         and (e.end == end or (e.end < end and doc[e.end].text == "("))), None)
            if tail is not None:
                preps = [t.i for t in doc[root.i:tail.start] if t.pos_ == "ADP"]
                between = [t for t in doc[preps[-1] + 1:tail.start] if t.lower_.rstrip(".") not in self.words.titles] if preps else [None]
                if not between:
                    tail = None  # "a spokesperson for Vice President Ana Lisk": the name is the object
            if tail is not None:
                name = self._name_span(tail.root, tail.start, tail.end, lo=start, hi=end)
                return name, self._span_text(*_trim_det(doc, start, name[0]))
        # the tagger may take a surname for a common noun ("Walters" as NNS); the entity
        # recognizer's name and a capital still make it a name
        # (and a word in lower case is none, whatever its tag, but for a name's tail after a
        # hyphen: "the foreign ministry of Ostland" is no name, "Lee Min-ho" is)
        named = root.pos_ == "PROPN" and (not root.text.islower() or any(
            c.dep_ == "compound" and c.pos_ == "PROPN" and c.is_title for c in root.children)) \
            or (root.ent_type_ in ("PERSON", "ORG") and root.text[:1].isupper() and not root.is_sent_start)
        if not named or root.ent_type_ in _NOT_NAMES:
            return None, None
        if root.ent_type_ == "NORP" and self._match(root.text, before=root.idx, person=True) is None:
            return None, None  # "another Ostland Republican", "Democrats": a group's member, described
        run = self._propn_run(root, start, end)
        name = self._name_span(root, *run, lo=start, hi=end)
        if all(t.lower_.rstrip(".") in self.words.titles for t in doc[name[0]:name[1]]) \
                and self._match(self._span_text(*name), before=root.idx, person=True) is None:
            return None, None  # "Leader", "the Minister": a title alone is a description, not a name
        role_parts = []
        if name[0] > start:
            role_parts.append(self._span_text(*_trim_det(doc, start, name[0])))
        if appos is not None:
            role_parts.append(self._span_text(*_trim_det(doc, *_subtree(appos))))
        role = ", ".join(p for p in role_parts if p and not _is_age(p)) or None
        return name, role

    def _bracketed(self, tok: Token) -> int | None:
        """The opening bracket's token when ``tok`` stands inside a short pair of brackets on its
        line ("(D-Ost.)"), else None."""
        doc = self.doc
        stop = lambda i: doc[i].text in ("(", ")") or "\n" in doc[i].text
        opening = next((i for i in range(tok.i - 1, max(-1, tok.i - 1 - BRACKET_REACH), -1) if stop(i)), None)
        closing = next((i for i in range(tok.i + 1, min(len(doc), tok.i + 1 + BRACKET_REACH)) if stop(i)), None)
        if opening is None or closing is None or doc[opening].text != "(" or doc[closing].text != ")":
            return None
        return opening

    def _propn_run(self, root: Token, lo: int, hi: int) -> tuple[int, int]:
        doc = self.doc
        if root.ent_iob_ != "O" and root.ent_type_ in ("PERSON", "ORG", "GPE", "FAC"):
            ent = self._ent_at.get(root.i)
            if ent is not None and ent.start >= lo and ent.end <= hi:
                given = len(ent) == 1 and self._given_name_before(ent.start, root)
                start = ent.start - 1 if ent.start - 1 >= lo and (given or split_name(doc[ent.start - 1])) else ent.start
                return start, ent.end
        s = e = root.i
        while s - 1 >= lo and (doc[s - 1].pos_ == "PROPN" or _joined(doc, s - 1, left=True)) and not doc[s - 1].is_punct or (s - 1 >= lo and _joined(doc, s - 1, left=True)):
            s -= 1
        while e + 1 < hi and (doc[e + 1].pos_ == "PROPN" or _joined(doc, e + 1)):
            e += 1
        if e + 1 < hi and doc[e + 1].pos_ == "NUM" and doc[e + 1].dep_ == "nummod" and doc[e + 1].head.i == e \
                and doc[e].whitespace_:
            e += 1  # a name's number: "Kanal 9", "Channel 4"
        return s, e + 1

    def settled(self, who: Speaker | None) -> Speaker | None:
        """``who`` with the type its entity has at the end of the article: a lone name taken for
        a body until a later "she" showed it a person is a person in every record."""
        if who is None or not self._retyped:
            return who
        ent = next((self.entities[i] for i in self._retyped if who.name in self.entities[i].forms), None)
        return replace(who, type=ent.type) if ent is not None and ent.type != who.type else who

    def _lone_name(self, ent: Entity) -> bool:
        """A name of one capitalised word, typed a body only by default or by the tagger's
        guess: no outlet, no word of a firm's name ("Shipping"), no place."""
        if ent.type != "organization" or ent.canonical or ent.is_author or ent.label not in ("", "ORG", "PERSON"):
            return False
        words = {w for form in ent.forms for w in form.split()}
        return len(words) == 1 and all(w[:1].isupper() and not w.isupper() for w in words) \
            and not words & self.words.organization_name_words

    def _possessive(self, pos: int) -> bool:
        """Whether the name that starts at character ``pos`` is an owner ("Reid's campaign")."""
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        if span is None or not len(span):
            return False
        token = span[0]
        while token.dep_ == "compound" and token.head.i > token.i:
            token = token.head
        return token.dep_ == "poss"

    def _pronoun(self, group: str, pos: int) -> Entity | None:
        """Antecedent of a third-person pronoun: this sentence, then the one before
        (subjects first), then the most recent subject or speaker in reach."""
        if group == "first":
            return None
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        sent = span.sent if span is not None and len(span) else None
        prev_start = -2
        if sent is not None and sent.start > 0:
            prev_start = self.doc[sent.start - 1].sent.start_char
        # the mentions in reach, ``pos - ANTECEDENT_WINDOW <= m.pos < pos``: a slice, in text order
        mentions = self.mentions
        reach = mentions[bisect_left(mentions, pos - ANTECEDENT_WINDOW, key=_position):bisect_left(mentions, pos, key=_position)]
        fits = [m for m in reach if self._agrees(group, self.entities[m.entity])]
        if sent is not None:
            for scope in (sent.start_char, prev_start):
                here = [m for m in fits if m.sent == scope]
                if group in ("male", "female"):
                    # "Kofi Mensah and Ingrid Solberg met ... She said": a known gender first
                    here = [m for m in here if self.entities[m.entity].gender == group] or here
                if here:
                    # the speaker of the last speech frame before the subject of a clause it
                    # reports ("X said that Y was not guilty. 'I know ...,' he said": X)
                    main = [m for m in here if m.speaker] or [m for m in here if m.subject]
                    described = self._described_person(reach, scope, group) if not main else None
                    if described is not None:
                        return described  # "A spokesman for Reid said ... He added": the spokesman
                    if not main and scope == prev_start and all(self._possessive(m.pos) for m in here):
                        # the sentence before names someone only as an owner ("He backs Reid's
                        # campaign. He believes ..."): the last subject or speaker in reach
                        # before that sentence, who may be, goes on (a name after "by" is no
                        # owner: "allegations made by X. She told ...": X)
                        earlier = [m for m in fits if (m.subject or m.speaker) and m.pos < prev_start
                                   and self.entities[m.entity].gender in (group, None)]
                        if earlier:
                            return self.entities[earlier[-1].entity]
                    return self.entities[(main or here)[-1].entity]
        if sent is not None and group in ("male", "female"):
            # "Lisk said the vote was rigged. '...,' she added": no person in reach, but a lone
            # name this sentence or the one before had speak, which the tagger took for a
            # body (or named nothing): "he" or "she" says it is a person
            lone = [m for m in reach if m.sent in (sent.start_char, prev_start) and (m.subject or m.speaker)
                    and self._lone_name(self.entities[m.entity])]
            if lone:
                ent = self.entities[lone[-1].entity]
                ent.type, ent.gender = "person", group
                self._retyped.add(ent.id)
                return ent
            # "A government spokesman said ... He added": an unnamed person who spoke
            for scope in (sent.start_char, prev_start):
                described = self._described_person(reach, scope, group)
                if described is not None:
                    return described
        if sent is not None and group in ("neuter", "plural"):
            organization = self._organization_subject_before(sent, pos)
            if organization is not None:
                return organization
        main = [m for m in fits if m.subject or m.speaker]
        if main:
            return self.entities[main[-1].entity]
        if group in ("male", "female"):
            # no subject or speaker fits, but one person only could be meant, and is known to be
            # of this gender: "Omar Haddad met Lena Ruiz. He said ... She said ...": Lena Ruiz
            people = {m.entity for m in fits}
            if len(people) == 1 and self.entities[next(iter(people))].gender == group:
                return self.entities[next(iter(people))]
        if fits or sent is None or group not in ("male", "female"):
            return None
        # nobody behind it: "The bridge, she said, had been closed. Ana Ode spoke after the
        # visit." A pronoun that opens the text's account looks ahead, to the next sentence
        end = _next_sentence_end(sent)
        ahead = [m for m in self.mentions if pos < m.pos < end and m.subject and self._agrees(group, self.entities[m.entity])
                 and self.entities[m.entity].gender in (group, None)]
        return self.entities[ahead[0].entity] if ahead else None

    def _described_person(self, reach: list[_Mention], scope: int, group: str) -> Entity | None:
        """"A government spokesman said ... He added": the last unnamed speaker of the sentence
        starting at ``scope`` that a singular description of a person names (not a document, a
        body, news media or a poll), of no other gender than the pronoun's."""
        words = self.words
        other = (words.female_titles | words.female_nouns) if group == "male" else (words.male_titles | words.male_nouns)
        for m in reversed(reach):
            ent = self.entities[m.entity]
            if m.sent != scope or not m.speaker or ent.type != "unnamed" or ent.plural or ent.collective or not ent.head:
                continue
            head = ent.head
            if head in other or head in words.document_nouns or head in words.organization_nouns \
                    or head in words.nonperson_sources or words.names_media([head]) or head in self.cues.recordings:
                continue
            return ent
        return None

    def _organization_subject_before(self, sent: Span, pos: int) -> Entity | None:
        """"The minister's office dismissed the threat. 'It is theatre,' it said": with no
        mention that fits in this sentence or the one before, "it" (or "they") stands for an
        organization noun (``organization_nouns``) that is a subject there, before it."""
        doc = self.doc
        first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        for tok in reversed([t for t in doc[first:sent.end] if t.idx < pos]):
            # (either number: "the company said they ...", "police said it ...")
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN" and not self._in_quote(tok.idx) \
                    and tok.lemma_.lower() in self.words.organization_nouns:
                return self._subject_entity(tok, tok.idx)
        return None

    def _agrees(self, group: str, ent: Entity) -> bool:
        if ent.is_author:
            return False
        if group in ("male", "female"):
            return ent.type == "person" and ent.gender in (None, group)
        if group == "neuter":
            # "The company said ... It said ...": a description of one organization is one too
            return ent.type in ("organization", "outlet") or (ent.type == "unnamed" and ent.collective and not ent.plural)
        if group == "plural":
            return ent.type in ("organization", "outlet") or (ent.type == "unnamed" and ent.plural)
        return False

    def _description(self, start: int, end: int, root: Token, pos: int) -> Entity | None:
        doc = self.doc
        head = root.lemma_.lower()
        words = {norm for t in doc[start:end] if t.pos_ in ("ADJ", "NOUN", "PROPN") for norm in name_tokens(t.text)}
        # the words that tell one holder of a role from another: nouns and names ("a Gazette
        # spokesman", "the party chairman"), not a plain adjective or an age ("the 58-year-old
        # executive", "the embattled minister"; "the foreign minister" still counts for more)
        marked = {norm for t in doc[start:end]
                  if (t.pos_ in ("NOUN", "PROPN") and t.dep_ != "npadvmod" or t.pos_ == "ADJ" and not t.is_lower)
                  for norm in name_tokens(t.text)}
        heads = {head, root.lower_} | self.words.role_synonyms.get(head, frozenset())
        recent = self._recency(pos)
        best: tuple[int, int, Entity] | None = None
        for ent in self.entities:
            if ent.is_author or ent.id not in recent or pos - recent[ent.id] > ANTECEDENT_WINDOW * 2:
                continue
            role_words = ent.role_words
            score = 0
            if head in self.words.organization_nouns and ent.type == "person":
                continue  # "the company" is not "the company's chief executive"
            if heads & role_words:
                # "the Lanrovian leader" for "Lanrovia's president": a people's word agrees with
                # its place
                names = ent.tokens()
                known = role_words | names

                def agrees(w: str) -> bool:
                    return any(self.words.same_place(w, r) for r in known)
                # (each role word counts, and a people's word for a place the name does not hold)
                score = 2 + sum(1 for w in words - {head} if w in role_words or w not in names and agrees(w))
                if marked - {head} and not any(agrees(w) for w in marked - {head}):
                    score = 0  # "a Gazette spokesman" is not the ministry's
                # (the span may start after "ex-": the hyphen's word before it counts)
                prefix = {doc[start - 2].lower_} if start >= 2 and doc[start - 1].text == "-" else set()
                if (words | prefix) & self.words.past_role_words and not role_words & self.words.past_role_words:
                    score = 0  # "the ex-wife of X" is not the one introduced as X's wife
            elif head in self.words.organization_nouns and ent.type == "organization" and head in ent.tokens() or head in self.words.outlet_nouns and ent.type == "outlet":
                # "Orr's campaign" is not "Weston's campaign": the other words must agree
                score = 0 if words - {head} and not (words - {head}) & ent.tokens() else 1
            if score and (best is None or (score, recent[ent.id]) > (best[0], best[1])):
                best = (score, recent[ent.id], ent)
        if best is None and head in self.words.organization_nouns and head not in self.words.media_nouns \
                and doc[start].lower_ == "the" and not any(t.dep_ in ("prep", "poss") for t in root.children):
            # "Tarvos Energy denied ... 'We ...,' the company said": a bare organization noun
            # stands for the organization this sentence or the one before names; "The
            # government of Karsk rejected ... The government said": for the fuller phrase
            # with the same head before it
            # (only "the company" alone stands for one named before: "the environment ministry"
            # is a body of its own)
            # "the Karsvik-based company", "the embattled firm": a description of it, too; "the
            # Lanrovian company" may be another)
            return self._fuller_before(root) or (self._issuer(pos) if end - start == 2 or _described_only(root, start)
                                                 else None)
        if best is None and _age_description(doc[start:end]):
            # '"...," the 71-year-old told supporters': an age alone stands for the person
            # the text last had speak or act
            people = [m for m in self.mentions[:bisect_left(self.mentions, pos, key=_position)]
                      if (m.subject or m.speaker) and pos - m.pos <= ANTECEDENT_WINDOW
                      and self.entities[m.entity].type == "person" and not self.entities[m.entity].is_author]
            return self.entities[people[-1].entity] if people else None
        if best is None and doc[start].lower_ == "the" and root.pos_ == "NOUN" and end - start == 2:
            # "A spokeswoman for Acme Mining said ... The spokeswoman added": the fuller
            # description said before, when no named person has that role
            plural = root.tag_ in ("NNS", "NNPS")
            said = [ent for ent in self.entities if ent.type == "unnamed" and ent.id in recent
                    and pos - recent[ent.id] <= ANTECEDENT_WINDOW and ent.plural == plural
                    and len(name_tokens(ent.name)) > 2 and heads & set(name_tokens(ent.name))]
            return max(said, key=lambda ent: recent[ent.id]) if said else None
        return best[2] if best else None


def _described_only(root: Token, start: int) -> bool:
    """Between the article at ``start`` and the noun ``root`` stand only participles and
    lower-case adjectives with what they hold ("the Karsvik-based", "the privately held", "the
    embattled"), no noun or name of the noun's own ("the environment ministry", "the Lanrovian")."""
    mods = [c for c in root.children if start < c.i < root.i]
    if not mods or any(c.dep_ != "amod" or not (c.tag_ == "VBN" or c.pos_ == "ADJ" and c.is_lower) for c in mods):
        return False
    held = {t.i for c in mods for t in c.subtree}
    return all(i in held for i in range(start + 1, root.i))


def _age_description(words: Span) -> bool:
    """"the 71-year-old", "the 43-year-old lawyer": a person told by their age and at most one
    noun after it."""
    toks = [t.lower_ for t in words]
    if len(toks) < 2 or toks[0] != "the" or "old" not in toks:
        return False
    at = toks.index("old")
    rest = words[at + 1:]
    return at >= 4 and toks[at - 2] == "year" and words[at - 4].like_num and len(rest) <= 1 \
        and all(t.pos_ == "NOUN" for t in rest)


def _next_sentence_end(sent: Span) -> int:
    """Where the sentence after ``sent`` ends (``sent``'s own end when it is the last)."""
    doc = sent.doc
    return doc[sent.end].sent.end_char if sent.end < len(doc) else sent.end_char


def _owned_by_name(noun: Token) -> bool:
    """A name owns the noun: "Karsk's government", "the government of Karsk"."""
    return any(c.dep_ == "poss" and c.pos_ == "PROPN"
               or (c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children))
               for c in noun.children)


def _named_by_modifier(noun: Token) -> bool:
    """A capitalised word before the noun makes it particular: "the Lanrovian foreign
    ministry", "the Vale County sheriff's office" (not the sentence's first word)."""
    return any(c.dep_ in ("amod", "compound") and c.i < noun.i and c.text[:1].isupper() and c.i != c.sent.start
               for c in noun.children)


def _person_shaped(form: str) -> bool:
    """Two or three words, each capitalised: the shape of a person's name."""
    words = form.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def _name_match(toks: list[str], ent: Entity, words: SpeakerWords, person: bool | None = None) -> int:
    """How well a name's tokens match an entity: 3 same name, 2 part of it, 1 a slip, 0 no.

    A lone word matches a person by first or last name ("Varga", "Lee" for a family name
    written first), but an organization only by its last word, so "Hilton" never becomes
    "Hilton Tower". ``person`` says whether the mention is known to name a person.
    """
    if person is True and ent.type not in ("person",):
        if not (ent.type == "outlet" and len(toks) > 1):
            person_ok = False
        else:
            person_ok = True
        if not person_ok and len(toks) == 1:
            return 0
    if person is False and ent.type == "person" and len(toks) > 1:
        return 0
    best = 0
    for form in ent.forms:
        ft = _untitled_tokens(form, words.titles)
        if not ft:
            continue
        if ft == toks:
            return 3
        if (set(toks) & _SUFFIXES) != (set(ft) & _SUFFIXES):
            continue
        ends = (ft[0], ft[-1]) if ent.type == "person" else (ft[-1],)
        if len(toks) == 1 and len(ft) > 1 and toks[0] in ends or len(ft) == 1 and len(toks) > 1 and ft[0] in ((toks[0], toks[-1]) if ent.type == "person" else (toks[-1],)) or len(toks) > 1 and len(ft) > 1 and toks[-1] == ft[-1] and (set(toks) <= set(ft) or set(ft) <= set(toks)):
            best = max(best, 2)
        elif len(toks) == 1 and len(toks[0]) >= MIN_FUZZY_NAME_LEN and ent.type == "person":
            for cand in ends:
                if len(cand) >= MIN_FUZZY_NAME_LEN and Levenshtein.distance(toks[0], cand) <= MAX_NAME_EDITS:
                    best = max(best, 1)
    return best


def _is_age(words: str) -> bool:
    """An age after a name is no role: "Tessa Vale, 52,"."""
    toks = name_tokens(words)
    return bool(toks) and all(w.isdigit() for w in toks)


_CUT_CHARS = re.compile(r"[:;|\n]")
_POSSESSIVE_ENDS = ("'s", "’s", "'", "’")
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_POSSESSIVE = re.compile(r"^(?:'s|’s|'|’)\s*")
_LEADING_THE = re.compile(r"^(?:the|The)\s+(?=[A-Z])")
_PERSON_TOKEN, _PRONOUN_TOKEN = 1, 2  # ``Resolver._person_or_pronoun``
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "mx", "the"}
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def _span_root(doc: Doc, start: int, end: int) -> Token:
    """The head of a noun phrase: of the tokens whose head lies outside it, the last (a
    bad parse can leave two: "Maple" ... "ho" in "Maple House deputy spokesman Lee
    Min-ho")."""
    heads = [t for t in doc[start:end] if not (start <= t.head.i < end) or t.head.i == t.i]
    return heads[-1] if heads else doc[start:end].root


def _main_subject(tok: Token) -> bool:
    """A subject of its sentence's main verb (not of a clause inside it), or a name in
    apposition to one ("The lawyer, Nora Bekk, added ...")."""
    if tok.dep_ == "appos" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ in ("ROOT", "ccomp", "conj") and tok.head.head.dep_ == "ROOT"


# How many tokens a label in brackets after a name may hold on each side of its head: "(D-Ost.)".
BRACKET_REACH = 4


def _descend(root: Token, words: SpeakerWords) -> Token:
    """"a flurry of reactions by senior members of Congress" -> members: past words that
    only count or wrap the speaker (the parser may hang "by ..." on either noun)."""
    chain = [root]
    for _ in range(3):
        lemma, lower = root.lemma_.lower(), root.lower_
        if lemma in words.partitive_nouns or lower in words.partitive_nouns:
            preps: tuple[str, ...] = ("of",)
        elif lemma in words.wrapper_nouns or lower in words.wrapper_nouns:
            preps = ("by", "from", "of")
        else:
            break
        pobj = None
        for owner in (root, *reversed(chain[:-1])):
            prep = next((c for c in owner.children if c.dep_ == "prep" and c.lower_ in preps and c.i > root.i - 1), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if pobj is not None and pobj not in chain:
                break
            pobj = None
        if pobj is None:
            break
        root = pobj
        chain.append(root)
    return root


# Modifiers that make a description particular: "people briefed on the move", "a source
# involved in its creation", "those surveyed", "a person who attended", "experts and lawmakers".
_DESCRIBING_DEPS = ("acl", "relcl", "conj", "cc")


def _with_modifiers(root: Token, end: int, cue: int | None) -> int:
    """``end`` moved over the modifiers after ``root`` that describe it, in one run, never
    over the cue or a comma (what follows a comma is an aside, not the description)."""
    if cue is None:
        return end
    for child in sorted((c for c in root.children if c.i >= end), key=lambda c: c.i):
        lo, hi = child.left_edge.i, child.right_edge.i
        if child.dep_ not in _DESCRIBING_DEPS or lo > end or lo <= cue <= hi or hi >= cue > root.i \
                or any(t.text in (",", ";", ":", "—", "–", "(") or t.is_space for t in root.doc[end - 1:lo + 1] if t.i >= end) \
                or any(t.is_punct and t.text in (",", ";", "—", "–", "(", ")") for t in root.doc[lo:hi + 1]):
            break
        end = hi + 1
    return end


def _np_bounds(root: Token, start: int, end: int) -> tuple[int, int]:
    """Where the phrase headed by ``root`` lies inside ``start..end``."""
    s, e = _subtree(root)
    s, e = max(s, start), min(e, end)
    return (s, e) if e > s else (start, end)


def _joined(doc: Doc, i: int, left: bool = False) -> bool:
    """Token ``i`` is glued to its neighbour by a hyphen with no space ("Min" "-" "ho")."""
    t = doc[i]
    if left:
        return i + 1 < len(doc) and t.whitespace_ == "" and (t.text == "-" or doc[i + 1].text == "-") and not t.is_space
    return i > 0 and doc[i - 1].whitespace_ == "" and (t.text == "-" or doc[i - 1].text == "-") and not t.is_space


def _subtree(tok: Token) -> tuple[int, int]:
    sub = list(tok.subtree)
    s, e = sub[0].i, sub[-1].i + 1
    doc = tok.doc
    while e > s + 1 and doc[e - 1].is_punct:
        e -= 1
    return s, e


def _told_of(name: Token) -> str | None:
    """What the words around a lone name tell of it: "person" for "Varga, who leads the party,"
    or "Varga said she would ..."; "organization" for "Ostvale, which owns the port,"; else None.
    (The relative pronoun of a clause on the name; the subject of the clause its own verb reports,
    when it is "he" or "she": "it" there is as often no one, "Varga said it was a good meeting".
    A person's sign wins over "which".)"""
    relative = next((c.lower_ for clause in name.children if clause.dep_ == "relcl" for c in clause.children
                     if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in ("who", "whom", "which")), None)
    pronoun = name.dep_ == "nsubj" and name.head.pos_ == "VERB" and any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she")
        for clause in name.head.children if clause.dep_ == "ccomp" and clause.i > name.head.i for c in clause.children)
    if pronoun or relative in ("who", "whom"):
        return "person"
    return "organization" if relative == "which" else None


_SPACED_DASHES = ("-", "--", "—", "–", "―")


def _split_at_spaced_dashes(doc: Doc, ents: Sequence[Span]) -> tuple[Span, ...]:
    """"TURNOUT SURGES IN THE NORTH - Pollwatch:": the tagger ran a headline and the source
    after a newsletter's dash into one name. A name never runs over a dash with a space on
    each side (a hyphen inside a name has none): the entity is cut there, each part kept."""
    out: list[Span] = []
    for ent in ents:
        start = ent.start
        for t in ent[1:-1]:
            if t.text in _SPACED_DASHES and t.whitespace_ and doc[t.i - 1].whitespace_:
                part = doc[start:t.i]
                part.label_ = ent.label_
                out.append(part)
                start = t.i + 1
        if start == ent.start:
            out.append(ent)
            continue
        part = doc[start:ent.end]
        part.label_ = ent.label_
        out.append(part)
    return tuple(out)


def _split_listed_names(doc: Doc, ents: Sequence[Span], first_names: Mapping[str, str]) -> tuple[Span, ...]:
    """"In an interview with Nordwire, Ilse Varga said": the tagger ran a body and the person after
    the comma into one name ("Nordwire, Ilse Varga", ORG). A name never runs over a comma into a
    person's full name (a known first name and a surname, ``first_names.tsv``): the entity is cut
    there, the body before it and the person after it ("Chirper, Inc." and "Ostvale, Karsvik" stay
    whole: no first name follows their comma)."""
    out: list[Span] = []
    for ent in ents:
        comma = next((t.i for t in ent[1:-1] if t.text == ","), None) if ent.label_ in ("PERSON", "ORG") else None
        person = doc[comma + 1:ent.end] if comma is not None else None
        if person is None or len(person) < 2 or not all(t.pos_ == "PROPN" for t in person) \
                or person[0].lower_ not in first_names:
            out.append(ent)
            continue
        body = doc[ent.start:comma]
        body.label_ = ent.label_
        person.label_ = "PERSON"
        out += (body, person)
    return tuple(out)


def _trim_det(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end - 1 and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start + 1 and doc[end - 1].is_punct:
        end -= 1
    return start, end


class CorpusNames:
    """One spelling per person across a run: "Lee Min Ho" and "Lee Min-ho" become one.

    The first spelling seen wins; later articles' forms that normalise to the same words map
    to it. Only full names (two words or more) are unified, so a lone "Lee" is never merged
    across articles, where it may be anyone.
    """

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def canonical(self, name: str) -> str:
        toks = name_tokens(name)
        if len(toks) < 2:
            return name
        # a middle initial does not make another person: "Adam B. Cole" = "Adam Cole"
        key = " ".join(t for i, t in enumerate(toks) if not (0 < i < len(toks) - 1 and len(t.rstrip(".")) == 1))
        return self._seen.setdefault(key, name)

    def apply(self, quote: Quote) -> Quote:
        """The quote with its speaker's name spelled as first seen in the run."""
        if quote.speaker is None or quote.speaker.type == "unnamed":
            return quote
        name = self.canonical(quote.speaker.name)
        return quote if name == quote.speaker.name else replace(quote, speaker=replace(quote.speaker, name=name))
