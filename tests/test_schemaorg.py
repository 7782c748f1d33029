"""``claims --format schema-org``: JSON-LD Claim objects as fact-check tools read them."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from quotetrace.claims import assign_claims, select_claims
from quotetrace.cli import app
from quotetrace.models import Article, ArticleMeta, Quote, Speaker, Via
from quotetrace.schema import load_schema
from quotetrace.schemaorg import schema_org_claims

SCHEMA = load_schema()
CLAIM_SHAPE = Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"],
                                    "$ref": "#/$defs/schema_org_claim"})
KIM = Speaker("Kim Jong-un", "person", "North Korean leader")
PUTIN = Speaker("Vladimir Putin", "person", "Russian President")
OFFICIALS = Speaker("officials", "unnamed")
MINISTRY = Speaker("Foreign Ministry", "organization")


def quote(n: int, article: str, speaker: Speaker | None, *via: Via, text: str = "security guarantees are needed") -> Quote:
    return Quote(f"q{n}", article, 0, len(text), text, "indirect", None, speaker, via=via, confidence=0.8,
                 method="ccomp", claim="c-1")


def article(path: str, outlet: str | None, published: str | None, url: str | None = None) -> Article:
    return Article(path, "text", ArticleMeta(outlet=outlet, published=published, url=url, authors=("A. Writer",)))


def one_claim(results: list[tuple[Article, list[Quote]]]) -> dict:
    (claim,) = select_claims(results)
    (ld,) = schema_org_claims([claim], results)
    CLAIM_SHAPE.validate(ld)
    return ld


@pytest.mark.parametrize(("speakers", "author"), [
    ([(PUTIN,)], {"@type": "Person", "name": "Vladimir Putin", "jobTitle": "Russian President"}),
    # the source Putin cites is where the claim started, for his other quotes too
    ([(PUTIN, Via("Kim Jong-un", "person", "cites", "North Korean leader")), (PUTIN,), (PUTIN,)],
     {"@type": "Person", "name": "Kim Jong-un", "jobTitle": "North Korean leader"}),
    ([(MINISTRY,)], {"@type": "Organization", "name": "Foreign Ministry"}),
    ([(OFFICIALS,), (PUTIN,)], {"@type": "Person", "name": "Vladimir Putin", "jobTitle": "Russian President"}),
    ([(OFFICIALS,)], None),  # only unnamed sources: no author rather than a made-up one
    ([(None,)], None),
])
def test_author_is_the_origin_of_the_claim(speakers: list[tuple], author: dict | None) -> None:
    art = article("a.txt", "The Daily", "2019-06-29")
    results = [(art, [quote(i, "a.txt", who, *via) for i, (who, *via) in enumerate(speakers)])]
    assert one_claim(results).get("author") == author


def test_each_article_is_an_appearance_and_the_earliest_the_first() -> None:
    later = article("later.txt", "The Daily", "2019-06-29", url="https://daily.example/later")
    earlier = article("earlier.txt", "Morning Post", "2019-04-25")
    undated = article("undated.txt", None, None)
    results = [(later, [quote(1, "later.txt", PUTIN), quote(2, "later.txt", KIM)]),
               (earlier, [quote(3, "earlier.txt", PUTIN)]),
               (undated, [quote(4, "undated.txt", PUTIN)])]
    ld = one_claim(results)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Claim"
    assert ld["datePublished"] == "2019-04-25"
    assert [a["identifier"] for a in ld["appearance"]] == ["later.txt", "earlier.txt", "undated.txt"]
    assert ld["firstAppearance"]["identifier"] == "earlier.txt"
    first_listed = ld["appearance"][0]
    assert first_listed == {
        "@type": "NewsArticle", "identifier": "later.txt", "url": "https://daily.example/later",
        "datePublished": "2019-06-29", "publisher": {"@type": "Organization", "name": "The Daily"},
        "author": [{"@type": "Person", "name": "A. Writer"}],
        "hasPart": [
            {"@type": "Quotation", "identifier": "q1", "text": "security guarantees are needed",
             "spokenByCharacter": {"@type": "Person", "name": "Vladimir Putin", "jobTitle": "Russian President"}},
            {"@type": "Quotation", "identifier": "q2", "text": "security guarantees are needed",
             "spokenByCharacter": {"@type": "Person", "name": "Kim Jong-un", "jobTitle": "North Korean leader"}},
        ],
    }
    # what is not known is left out, never written as null
    assert "url" not in ld["appearance"][1] and "publisher" not in ld["appearance"][2]
    assert "datePublished" not in ld["appearance"][2]


def test_schema_org_output_of_the_command(nlp) -> None:
    result = CliRunner().invoke(app, ["claims", "-f", "schema-org", "--min-outlets", "3"])
    assert result.exit_code == 0, result.stderr
    claims = json.loads(result.stdout)
    assert claims
    records = json.loads(CliRunner().invoke(app, ["claims", "-f", "json", "--min-outlets", "3"]).stdout)
    assert [c["identifier"] for c in claims] == [r["id"] for r in records]
    for ld, record in zip(claims, records):
        CLAIM_SHAPE.validate(ld)
        assert "schema_version" not in ld  # schema.org vocabulary only
        assert ld["text"] == record["text"]
        assert {a["publisher"]["name"] for a in ld["appearance"]} == set(record["outlets"])
        assert ld["firstAppearance"]["identifier"] == record["first_appearance"]["article"]
        assert ld["datePublished"] == record["first_appearance"]["published"]
        parts = [p["identifier"] for a in ld["appearance"] for p in a["hasPart"]]
        assert sorted(parts) == sorted(record["quotes"])
    security = next(c for c in claims if "guarantee" in c["text"])
    # Putin said it, relaying what Kim told him: the claim's author is Kim
    assert security["author"]["name"] == "Kim Jong-un" and security["author"]["@type"] == "Person"


def test_claims_are_linked_before_the_handoff(nlp) -> None:
    from quotetrace.articles import default_corpus_paths, read_articles
    from quotetrace.runner import extract_articles

    results = assign_claims(extract_articles(read_articles(default_corpus_paths()), nlp=nlp))
    for ld in schema_org_claims(select_claims(results), results):
        CLAIM_SHAPE.validate(ld)
