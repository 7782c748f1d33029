"""Which outlet wrote a page, who stands between speaker and page, and claim links that know
who spoke (issue 11). Names here are invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace.articles import article_from_text
from quotetrace.chains import principal, quote_path, trace
from quotetrace.claims import assign_claims, link_claims, select_claims
from quotetrace.cli import app
from quotetrace.extraction import article_digest
from quotetrace.lexicon import default_lexicon
from quotetrace.metadata import read_metadata
from quotetrace.models import Article, ArticleMeta, Quote, Speaker, Via
from quotetrace.nlp import load_pipeline
from quotetrace.runner import extract_articles

BODY = ("The minister said the talks would resume next week, according to officials familiar with the plan, "
        "who asked not to be named because the plan is not yet public.")
HEAD = "Talks to resume next week, minister says\n\n"


@pytest.fixture(autouse=True)
def own_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # never the user's index, and never another test's
    monkeypatch.setenv("QUOTETRACE_DB", str(tmp_path / "index.sqlite3"))
    monkeypatch.delenv("QUOTETRACE_ALIASES", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


# --- 1. the original outlet, from the page's credits -----------------------------------------------

@pytest.mark.parametrize(("text", "original"), [
    # datelines with a credit
    (HEAD + "DALLAS (AP) — " + BODY, "Associated Press"),
    (HEAD + "PARIS, Aug 31 (Reuters) - " + BODY, "Reuters"),
    (HEAD + "Mexico City (AFP) – " + BODY, "AFP"),
    (HEAD + "SEOUL, June 29 (Yonhap) -- " + BODY, "Yonhap"),
    # a dateline without a credit, or with a label for one
    (HEAD + "WASHINGTON — " + BODY, None),
    (HEAD + "SPRINGFIELD (Staff) — " + BODY, None),
    (HEAD + "SPRINGFIELD (Updated) — " + BODY, None),
    # a credit no outlet list knows, where only an outlet can stand
    (HEAD + "VELL, March 3 (Nordwire) - " + BODY, "Nordwire"),
    (HEAD + BODY + "\n\nThis article originally appeared on The Vell Herald.", "The Vell Herald"),
    (HEAD + BODY + "\n\nThis story was first published by Nordwire, a wire service.", "Nordwire"),
    # copyright and source lines, at the end
    (HEAD + BODY + "\n\n© 2019 Fox News Network, LLC. All rights reserved.", "Fox News"),
    (HEAD + BODY + "\n\nCopyright 2019 The Associated Press. All rights reserved.", "Associated Press"),
    (HEAD + BODY + "\n\nSource: Xinhua", "Xinhua"),
    (HEAD + BODY + "\n\nThis article originally appeared on The Washington Post.", "The Washington Post"),
    (HEAD + BODY + "\n\nThis story was first published on reuters.com.", "Reuters"),
    # a wire's sign-off, a listed outlet's house style (outlets.toml `credits`)
    (HEAD + BODY + " (Reporting by Jane Doe in Lagos; Editing by John Roe)", "Reuters"),
    (HEAD + BODY + "\n\n— The Associated Press contributed to this report.", "Associated Press"),
    # bylines naming the agency, on the byline's line or the next
    (HEAD + "By Jane Doe, Associated Press\n\n" + BODY, "Associated Press"),
    (HEAD + "By JANE DOE\nAssociated Press\n\n" + BODY, "Associated Press"),
    # in the truncated middle of a scraped page: the dateline opens a later paragraph
    (HEAD + BODY + "\n\nAdvertisement\n\nLONDON (Reuters) - " + BODY, "Reuters"),
    # the dateline's credit is the strongest: a site's own copyright line does not hide the wire
    (HEAD + "DALLAS (AP) — " + BODY + "\n\n© 2019 Fox News Network, LLC.", "Associated Press"),
    # agencies only quoted or cited in prose are sources, not the page's writer
    (HEAD + BODY + " The minister told Reuters the plan was sound, the AP reported.", None),
    (HEAD + BODY + " A copyright dispute with the Associated Press was settled.", None),
    (HEAD + BODY + "\n\nCopyright © 2015 by Jane Doe. Reprinted courtesy of the publisher.", None),
    (HEAD + BODY + "\n\nJane Doe contributed to this report.", None),
])
def test_original_outlet_from_credits(text: str, original: str | None) -> None:
    lexicon = default_lexicon()
    assert read_metadata(text, lexicon.outlets, lexicon.furniture).original_outlet == original


def test_original_outlet_round_trips_through_the_record() -> None:
    meta = ArticleMeta(outlet="Springfield Gazette", original_outlet="Associated Press")
    assert ArticleMeta.from_dict(meta.to_dict()) == meta
    assert list(meta.to_dict()).index("original_outlet") == 1  # beside outlet


# --- 2. chains: speaker -> intermediaries -> original outlet -> site ------------------------------

ROE = Speaker("Jane Roe", "person", "mayor")


def _quote(n: int, article: str, speaker: Speaker | None, *via: Via, text: str = "the bridge will reopen in May",
           claim: str | None = "c-1") -> Quote:
    return Quote(f"q{n}", article, 0, len(text), text, "indirect", None, speaker, via=via, confidence=0.8,
                 method="ccomp", claim=claim)


@pytest.mark.parametrize(("meta", "via", "path"), [
    # a wire story on a regional site: ... -> wire -> site
    (ArticleMeta(outlet="Springfield Gazette", original_outlet="Associated Press"), (),
     [("Jane Roe", "speaker"), ("Associated Press", "published"), ("Springfield Gazette", "republished")]),
    # no site given: the outlet that wrote it publishes it
    (ArticleMeta(original_outlet="Associated Press"), (), [("Jane Roe", "speaker"), ("Associated Press", "published")]),
    # the site wrote it itself
    (ArticleMeta(outlet="Springfield Gazette", original_outlet="Springfield Gazette"), (),
     [("Jane Roe", "speaker"), ("Springfield Gazette", "published")]),
    # an intermediary the sentence names stands between the speaker and the page
    (ArticleMeta(outlet="Springfield Gazette", original_outlet="Associated Press"),
     (Via("state television", "outlet", "according_to"),),
     [("Jane Roe", "speaker"), ("state television", "according_to"), ("Associated Press", "published"),
      ("Springfield Gazette", "republished")]),
    # "the AP reported" and the AP's own copy: one node, not two in a row
    (ArticleMeta(outlet="Springfield Gazette", original_outlet="Associated Press"),
     (Via("Associated Press", "outlet", "reported_by"),),
     [("Jane Roe", "speaker"), ("Associated Press", "reported_by"), ("Springfield Gazette", "republished")]),
])
def test_chain_from_a_wire_copy_on_another_site(meta: ArticleMeta, via: tuple[Via, ...],
                                                 path: list[tuple[str, str]]) -> None:
    art = Article("a.txt", "text", meta)
    q = _quote(1, "a.txt", ROE, *via)
    assert [(n.name, kind) for n, kind in quote_path(q, art, {q.id: q})] == path


def test_trace_shows_the_wire_and_each_site_that_carried_it() -> None:
    results = [
        (Article("gazette.txt", "t", ArticleMeta(outlet="Springfield Gazette", original_outlet="Associated Press")),
         [_quote(1, "gazette.txt", ROE)]),
        (Article("herald.txt", "t", ArticleMeta(outlet="Shelbyville Herald", original_outlet="Associated Press")),
         [_quote(2, "herald.txt", ROE)]),
    ]
    edges = {(e.source, e.target, e.kind) for e in trace("bridge", results).edges}
    assert {("Jane Roe", "Associated Press", "published"), ("Associated Press", "Springfield Gazette", "republished"),
            ("Associated Press", "Shelbyville Herald", "republished")} <= edges


def test_two_sites_carrying_one_wire_story_are_not_copies_of_each_other() -> None:
    def wire_copy(path: str, site: str, day: str, n: int) -> tuple[Article, list[Quote]]:
        meta = ArticleMeta(outlet=site, original_outlet="Associated Press", published=day)
        return Article(path, "t", meta), [_quote(n, path, ROE)]

    results = [wire_copy("gazette.txt", "Springfield Gazette", "2019-05-01", 1),
               wire_copy("herald.txt", "Shelbyville Herald", "2019-05-02", 2)]
    assert not [e for e in trace("bridge", results).edges if e.kind == "inferred"]
    # a site's own story copied by another site later is
    results[0] = (Article("gazette.txt", "t", ArticleMeta(outlet="Springfield Gazette", published="2019-05-01")),
                  [_quote(1, "gazette.txt", ROE)])
    inferred = [(e.source, e.target) for e in trace("bridge", results).edges if e.kind == "inferred"]
    assert inferred == [("Springfield Gazette", "Shelbyville Herald")]


def test_a_page_without_a_site_is_published_by_its_writer_in_claims() -> None:
    results = [(Article("a.txt", "t", ArticleMeta(original_outlet="Associated Press", published="2019-05-01")),
                [_quote(1, "a.txt", ROE)])]
    (claim,) = select_claims(results)
    assert (claim.outlets, claim.first_outlet) == (("Associated Press",), "Associated Press")


@pytest.mark.parametrize(("name", "role", "boss"), [
    ("Jane Roe", "spokeswoman for the Transport Ministry", "Transport Ministry"),
    ("A spokesperson for Governor John Doe", None, "Governor John Doe"),
    ("Jane Roe", "City Hall spokeswoman", "City Hall"),
    ("the governor's office", None, "governor"),
    ("Jane Roe", "White House press secretary", "White House"),
    # a campaign is its candidate's (data/spokespeople.toml)
    ("Ode’s campaign", None, "Ode"),
    ("the Mara Lund campaign", None, "Mara Lund"),
    ("Ana Perlo", "spokeswoman for the Lund campaign", "Lund campaign"),
    ("Tom Berg", "Lund campaign chairman", "Lund"),  # an officer of the campaign speaks for it
    ("Tom Berg", "Mara Lund's campaign manager", "Mara Lund"),
    ("the governor's press secretary", None, "governor"),
    # not spokespeople
    ("the campaign", None, None),  # whose, the text does not say here
    ("Jane Roe", "campaign manager", None),
    ("Jane Roe", "mayor", None),
    ("Jane Roe", "special representative for North Africa", None),  # an envoy is not a spokesperson
    ("Jane Roe", "presidential spokeswoman", None),  # whose, the text does not say here
    ("officials", None, None),
])
def test_whom_a_spokesperson_speaks_for(name: str, role: str | None, boss: str | None) -> None:
    found = principal(Speaker(name, "person", role))
    assert (found.name if found else None) == boss


def test_spokesperson_path_starts_at_the_principal() -> None:
    art = Article("a.txt", "text", ArticleMeta(outlet="Springfield Gazette"))
    q = _quote(1, "a.txt", Speaker("John Doe", "person", "spokesman for the Transport Ministry"))
    assert [n.name for n, _ in quote_path(q, art, {q.id: q})] == ["Transport Ministry", "John Doe",
                                                                 "Springfield Gazette"]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.mark.parametrize(("text", "follow_on", "via"), [
    # the same speaker goes on in the same paragraph: the outlet she told carries it too
    ("Jane Roe told the Springfield Gazette that the bridge would reopen in May. "
     "She said the repairs had cost more than planned.\n", "the repairs had cost more than planned",
     [("the Springfield Gazette", "reported_by")]),
    # an outlet's report about the next speaker, quoted in the next paragraph
    ("The Springfield Gazette reported on Monday that Mayor Jane Roe wrote to the council about the bridge.\n\n"
     "“We cannot wait any longer for this bridge,” Roe wrote.\n", "We cannot wait any longer for this bridge",
     [("The Springfield Gazette", "reported_by")]),
    # a speaker the report is not about is not part of it
    ("The Springfield Gazette reported on Monday that the bridge would reopen.\n\n"
     "“We cannot wait any longer for this bridge,” John Doe, a shop owner, said.\n",
     "We cannot wait any longer for this bridge", []),
    # two paragraphs on, the text has moved on
    ("Jane Roe told the Springfield Gazette that the bridge would reopen in May.\n\n"
     "Traffic has been heavy on the old road for two years.\n\n"
     "The repairs had cost more than planned, Roe said.\n", "The repairs had cost more than planned", []),
])
def test_follow_on_quotes_keep_the_report_they_continue(nlp, text: str, follow_on: str,
                                                        via: list[tuple[str, str]]) -> None:
    article = article_from_text("a.txt", "Bridge to reopen\n\n" + text)
    (_, quotes), = extract_articles([article], nlp=nlp)
    (quote,) = [q for q in quotes if q.text == follow_on]
    assert [(v.name, v.relation) for v in quote.via] == via


@pytest.mark.parametrize(("credit", "via_type"), [
    ("\n\nThis article originally appeared on Nordwire.", "outlet"),  # the page says who wrote it
    ("", "organization"),  # nothing says Nordwire is an outlet
])
def test_an_unlisted_outlet_the_page_names_as_its_writer_is_an_outlet(nlp, credit: str, via_type: str) -> None:
    article = article_from_text("a.txt", "Port to close\n\nThe port will shut for six weeks, "
                                "Jonas Ekholm said, according to Nordwire." + credit)
    (_, quotes), = extract_articles([article], nlp=nlp)
    (quote,) = quotes
    assert [(v.name, v.type) for v in quote.via] == [("Nordwire", via_type)]


# --- 3. quote ids: one per article -----------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "same"), [
    (ArticleMeta(), ArticleMeta(), True),
    (ArticleMeta(outlet="Springfield Gazette"), ArticleMeta(outlet="Springfield Gazette"), True),
    (ArticleMeta(outlet="Springfield Gazette"), ArticleMeta(outlet="Shelbyville Herald"), False),
    (ArticleMeta(url="https://a.example/1"), ArticleMeta(url="https://b.example/1"), False),
    (ArticleMeta(), ArticleMeta(outlet="Springfield Gazette"), False),
    # the byline or date does not make another page
    (ArticleMeta(outlet="Springfield Gazette", authors=("Jane Doe",)), ArticleMeta(outlet="Springfield Gazette"), True),
])
def test_article_digest_tells_copies_apart(a: ArticleMeta, b: ArticleMeta, same: bool) -> None:
    assert (article_digest("one story", a) == article_digest("one story", b)) is same


WIRE_STORY = (
    "Bridge to reopen in May, mayor says\n\n"
    "SPRINGFIELD (AP) — The river bridge will reopen to traffic in May after two years of repairs, "
    "Mayor Jane Roe said on Tuesday.\n\n"
    "“We have waited long enough for this bridge,” Roe told reporters at City Hall.\n"
)


def test_two_copies_at_two_sites_appear_twice(tmp_path: Path) -> None:
    for name in ("gazette.txt", "herald.txt"):
        (tmp_path / name).write_text(WIRE_STORY, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "file,outlet,published,url\n"
        "gazette.txt,Springfield Gazette,2019-05-01,https://gazette.example/bridge\n"
        "herald.txt,Shelbyville Herald,2019-05-02,https://herald.example/bridge\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["claims", str(tmp_path), "-f", "schema-org"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)
    bridge = next(c for c in claims if "bridge" in c["text"] and "waited" in c["text"])
    publishers = sorted(a["publisher"]["name"] for a in bridge["appearance"])
    assert publishers == ["Shelbyville Herald", "Springfield Gazette"]
    assert {a["sourceOrganization"]["name"] for a in bridge["appearance"]} == {"Associated Press"}
    ids = [part["identifier"] for a in bridge["appearance"] for part in a["hasPart"]]
    assert len(ids) == len(set(ids)) == 2


# --- 4. claim links that know who spoke ------------------------------------------------------------

CARR = Speaker("Peter Roe", "person", "spokesman")
OTHER = Speaker("Mary Major", "person", "senator")
FILLER = [  # other quotes of the run, so that common words weigh little
    "the weather was fine on the day of the vote", "nobody expected the council to meet again",
    "prices rose for the third month in a row", "the museum will open a new wing",
]


def _linked(a: tuple[Speaker | None, str, str], b: tuple[Speaker | None, str, str],
            *via_b: Via, told_a: Speaker | None = None) -> bool:
    quotes = [Quote("qa", a[2], 0, len(a[1]), a[1], "indirect", None, a[0], addressee=told_a, confidence=0.8,
                    method="ccomp"),
              Quote("qb", b[2], 0, len(b[1]), b[1], "indirect", None, b[0], via=via_b, confidence=0.8,
                    method="ccomp")]
    quotes += [Quote(f"f{i}", "f.txt", 0, len(t), t, "indirect", None, None, confidence=0.8, method="ccomp")
               for i, t in enumerate(FILLER)]
    claim_of, _ = link_claims(quotes)
    return claim_of["qa"] == claim_of["qb"]


# Two wordings of one claim that share a third of their weight (similarity 0.38 in this run):
# linked from the same speaker or an unnamed one, not across two different named speakers.
COST_A = "the bridge repairs will cost far more than the council planned"
COST_B = "the council underestimated what fixing the bridge would cost"


@pytest.mark.parametrize(("a", "b", "linked"), [
    # the same speaker restating one claim: the lower bar
    ((CARR, COST_A, "a.txt"), (CARR, COST_B, "b.txt"), True),
    # one name a shorter writing of the other: the same speaker; a son is not his father
    ((CARR, COST_A, "a.txt"), (Speaker("Roe", "person"), COST_B, "b.txt"), True),
    ((CARR, COST_A, "a.txt"), (Speaker("Peter Roe Jr.", "person"), COST_B, "b.txt"), False),
    # a short restatement ("it stands by its report") links only from the same source elsewhere
    ((CARR, "our report about the council vote was accurate", "a.txt"), (CARR, "it stands by its report", "b.txt"), True),
    ((CARR, "our report about the council vote was accurate", "a.txt"), (CARR, "it stands by its report", "a.txt"), False),
    ((CARR, "our report about the council vote was accurate", "a.txt"), (OTHER, "it stands by its report", "b.txt"), False),
    # a side with no named speaker: the middle bar
    ((CARR, COST_A, "a.txt"), (None, COST_B, "b.txt"), True),
    # two different speakers saying look-alike things: the higher bar
    ((CARR, COST_A, "a.txt"), (OTHER, COST_B, "b.txt"), False),
    ((CARR, "our hearts go out to the families of the victims of the crash", "a.txt"),
     (OTHER, "we send condolences to the families of those killed in the crash", "b.txt"), False),
    # two named speakers of one article, each given the same words by its writer: two statements
    ((CARR, "we share the grief of the families of the victims of the crash", "a.txt"),
     (OTHER, "we share the grief of the families of the victims of this crash", "a.txt"), False),
    ((CARR, COST_A, "a.txt"), (OTHER, COST_A + " last year", "a.txt"), False),
    # the same words under two names in two articles: mostly one statement credited two ways ...
    ((CARR, "the bridge will reopen in May once the council has paid for the repairs", "a.txt"),
     (OTHER, "the bridge will reopen in May once the council has paid for the repairs", "b.txt"), True),
    # ... unless each speaks of itself: "we" is each speaker, two statements however alike
    ((CARR, "we share the grief of the families of the victims of the crash", "a.txt"),
     (OTHER, "we share the grief of the families of the victims of this crash", "b.txt"), False),
    # one speaker's two wordings in one article are still compared (from the middle bar)
    ((CARR, COST_A, "a.txt"), (CARR, COST_A + " last year", "a.txt"), True),
    # conditionals and modality veto, like negation
    ((CARR, "the mayor should step aside from the bridge contract", "a.txt"),
     (CARR, "if the reports are true, the mayor will step aside from the bridge contract", "b.txt"), False),
    ((CARR, "the mayor should step aside from the bridge contract", "a.txt"),
     (CARR, "the mayor will step aside from the bridge contract", "b.txt"), False),
    ((CARR, "the mayor should step aside from the bridge contract", "a.txt"),
     (CARR, "the mayor must step aside from the bridge contract", "b.txt"), True),
    ((CARR, "the mayor might step aside from the bridge contract", "a.txt"),
     (CARR, "the mayor should step aside from the bridge contract", "b.txt"), True),  # a hedge is no kind
])
def test_claim_links_know_who_spoke(a: tuple, b: tuple, linked: bool) -> None:
    assert _linked(a, b) is linked


@pytest.mark.parametrize(("article_b", "via", "linked"), [
    ("b.txt", (), False),  # two different speakers
    # Mary Major passes on what Peter Roe told her: a relay, so one speaker's claim
    ("b.txt", (Via("Peter Roe", "person", "cites"),), True),
    # within one article a relay does not lower the bar: a reporter relays many of one source's claims
    ("a.txt", (Via("Peter Roe", "person", "cites"),), False),
])
def test_a_relay_of_the_other_speaker_links_from_the_lower_bar(article_b: str, via: tuple[Via, ...],
                                                                linked: bool) -> None:
    a = (CARR, COST_A, "a.txt")
    b = (OTHER, COST_B, article_b)
    assert _linked(a, b, *via) is linked


def test_an_outlet_the_speaker_told_is_a_relay() -> None:
    gazette = Speaker("Springfield Gazette", "outlet")
    a = (CARR, COST_A, "a.txt")
    b = (gazette, COST_B, "b.txt")  # the Gazette's own report of what he told it
    assert not _linked(a, b)
    assert _linked(a, b, told_a=gazette)


# --- one person through a chain --------------------------------------------------------------------

def _chain_paths(*quotes: tuple[Speaker, str, tuple[Via, ...]]) -> list[list[tuple[str, str]]]:
    results = [(Article(f"a{n}.txt", "t", ArticleMeta(outlet=outlet, published=f"2025-06-0{n + 1}")),
                [_quote(n, f"a{n}.txt", speaker, *via)]) for n, (speaker, outlet, via) in enumerate(quotes)]
    return [[(node.name, node.type) for node in path.nodes] for path in trace("bridge", results).paths]


@pytest.mark.parametrize(("speakers", "path"), [
    # "Lisk" alone (the tagger took it for an organization) is the group's Ana Lisk
    ((Speaker("Ana Lisk", "person"), Speaker("Lisk", "organization")), [("Ana Lisk", "person"), ("Radio Ostmark", "outlet")]),
    # whom a spokesman speaks for is the group's person, not a body
    ((Speaker("Ana Lisk", "person"), Speaker("A spokesman for Ana Lisk", "unnamed")),
     [("Ana Lisk", "person"), ("A spokesman for Ana Lisk", "unnamed"), ("Radio Ostmark", "outlet")]),
    # two people "Lisk" could be: it stays as written
    ((Speaker("Ana Lisk", "person"), Speaker("Ben Lisk", "person"), Speaker("Lisk", "organization")),
     [("Lisk", "organization"), ("Radio Ostmark", "outlet")]),
    # a son is not his father
    ((Speaker("Ana Lisk", "person"), Speaker("Ana Lisk Jr.", "person")), [("Ana Lisk Jr.", "person"), ("Radio Ostmark", "outlet")]),
])
def test_one_person_is_one_node_through_a_chain(speakers: tuple[Speaker, ...], path: list[tuple[str, str]]) -> None:
    outlets = ["Valley Times", "Morning Bell", "Radio Ostmark"][-len(speakers):]
    assert path in _chain_paths(*[(s, o, ()) for s, o in zip(speakers, outlets)])


def test_an_outlet_is_never_taken_for_a_person_of_the_group() -> None:
    paths = _chain_paths((Speaker("Ana Ostmark", "person"), "Valley Times", ()),
                         (Speaker("Kai Moss", "person"), "Morning Bell", (Via("Ostmark", "outlet", "according_to"),)))
    assert [("Kai Moss", "person"), ("Ostmark", "outlet"), ("Morning Bell", "outlet")] in paths


# --- a cluster across outlets, read and linked as a user runs it -----------------------------------

# One claim told by a wire, its copy on another site, a broadcaster, state television, a relay's
# agency, a spokesman and an "according to"; beside it, look-alikes of other speakers that must
# stay apart (negation and obligation, a condition, amounts and a negation). Names invented.
CLUSTER = [
    ("wire.txt", "Nordwire", None, "KARSVIK (Nordwire) - Energy Minister Ana Lisk said on Tuesday that the Vell dam "
     "would reopen to shipping after the repairs were finished."),
    ("copy.txt", "Harbour Daily", "Nordwire", "Energy Minister Ana Lisk said on Tuesday that the Vell dam would reopen "
     "to shipping after the repairs were finished."),
    ("radio.txt", "Radio Ostmark", None, "The Vell dam will be reopened to ships once repair work ends, Lisk told "
     "Radio Ostmark on Wednesday."),
    ("state.txt", "Ostmark Post", None, "Ana Lisk told state TV that the Vell dam would reopen to shipping when the "
     "repairs end."),
    ("agency.txt", "Valley Times", None, "Ana Lisk was quoted by the Vesta news agency as saying that the Vell dam "
     "would reopen to shipping after the repairs."),
    ("spokes.txt", "City Courier", None, "A spokesman for Ana Lisk said the Vell dam would reopen to shipping after "
     "the repairs were complete."),
    ("according.txt", "Daily Lantern", None, "The Vell dam would reopen to shipping after the repairs are done, "
     "according to Energy Minister Ana Lisk."),
    ("other.txt", "Morning Bell", None, "Petr Holm said the Vell dam must not reopen to shipping after the repairs.\n\n"
     "Mara Voss, an engineer, said the dam would reopen to shipping if the repairs were done.\n\n"
     "Kai Moss, the port director, said three of the Vell dam's locks would reopen to shipping after the repairs, "
     "not four."),
]


@pytest.fixture(scope="module")
def cluster(nlp) -> list[tuple[Article, list[Quote]]]:
    articles = [Article(path, text, ArticleMeta(outlet=site, original_outlet=wrote, published=f"2025-05-{n + 3:02d}"))
                for n, (path, site, wrote, text) in enumerate(CLUSTER)]
    return assign_claims(extract_articles(articles, nlp=nlp))


def _claims_by_speaker(cluster: list[tuple[Article, list[Quote]]]) -> dict[tuple[str, str], str | None]:
    return {(article.path, q.speaker.name if q.speaker else ""): q.claim for article, quotes in cluster for q in quotes}


def test_the_cluster_is_one_claim_and_its_look_alikes_stay_apart(cluster) -> None:
    claims = _claims_by_speaker(cluster)
    lisk = {claims[key] for key in claims if "Lisk" in key[1]}
    assert len(lisk) == 1 and None not in lisk
    assert {path for path, name in claims if "Lisk" in name} == {p for p, *_ in CLUSTER} - {"other.txt"}
    for name in ("Petr Holm", "Mara Voss", "Kai Moss"):
        assert claims[("other.txt", name)] not in lisk


def test_the_cluster_chain_shows_every_relay(cluster) -> None:
    paths = {tuple(n.name for n in p.nodes) for p in trace("Vell dam", cluster).paths}
    for path in [("Ana Lisk", "Nordwire"),  # the wire's own page
                 ("Ana Lisk", "Nordwire", "Harbour Daily"),  # its copy on another site
                 ("Ana Lisk", "Radio Ostmark"),  # "Lisk told Radio Ostmark": the broadcaster's own page
                 ("Ana Lisk", "state TV", "Ostmark Post"),
                 ("Ana Lisk", "the Vesta news agency", "Valley Times"),
                 ("Ana Lisk", "A spokesman for Ana Lisk", "City Courier"),
                 ("Ana Lisk", "Daily Lantern")]:
        assert path in paths
