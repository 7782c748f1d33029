"""Metadata read from article text, and page furniture: tables of snippets and what they give.

Each table row is a piece of a page (a clean article or a scraped one, with its menu words and
share buttons) and the field quotetrace should read from it, negatives included. The five seed
articles are checked field by field against ``tests/data/corpus_metadata.json`` (taken from
the hand-annotated seed gold).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrace.furniture import furniture_spans
from quotetrace.lexicon import default_lexicon, load_lexicon
from quotetrace.metadata import read_metadata as _read_metadata
from quotetrace.models import ArticleMeta

from .conftest import CORPUS, DATA, SHARED_EVAL

SEEDS = SHARED_EVAL / "seeds"
BASIL = SHARED_EVAL / "basil"
POLNEAR = SHARED_EVAL / "polnear"
LEXICON = default_lexicon()


def read_metadata(text: str) -> ArticleMeta:
    return _read_metadata(text, LEXICON.outlets, LEXICON.furniture)


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    return furniture_spans(text, LEXICON.furniture)


def outlet_for_domain(address: str) -> str | None:
    return LEXICON.outlets.for_domain(address)


def outlet_for_name(name: str) -> str | None:
    return LEXICON.outlets.for_name(name)

PROSE = (
    "The two leaders met on the sidelines of the summit on Saturday and agreed to expand "
    "cooperation in trade, energy and transport, officials from both governments said afterwards."
)


def page(*lines: str) -> str:
    """A page of the given lines, then one paragraph of article prose."""
    return "\n".join(lines) + "\n\n" + PROSE + "\n"


# --- Titles ----------------------------------------------------------------------------------------

TITLES = [
    # clean article: the first line
    ("Minister says talks will resume next week\n\n" + PROSE, "Minister says talks will resume next week"),
    # scraped page: settings, font-size widget and share buttons before and after the headline
    (
        page(
            "Settings", "", "ⓕ font-size", "", "  • -2", "  • +2", "",
            "Leaders agree on security guarantee: minister", "",
            "  • Facebook share button", "  • Twitter share button",
        ),
        "Leaders agree on security guarantee: minister",
    ),
    # menu words and a section name, then the headline and a "Written:" line
    (
        page("Menu Content", "Go Top", "", "International", "", "Leaders Hold Summit, Discuss Trade", "",
             "Written: 2019-04-25 18:38:40Updated: 2019-04-25 21:08:35"),
        "Leaders Hold Summit, Discuss Trade",
    ),
    # the page's own date above the headline, name and section below
    (
        page("Sunday, June 30, 2019", "", "Minister Reiterates That Talks Need Guarantees", "Jane Doe",
             "South Asia", "June 28th, 2019"),
        "Minister Reiterates That Talks Need Guarantees",
    ),
    # curly quotes around a headline are part of it
    ("‘Talks need guarantees’\n\nMinister meets envoy\n\n" + PROSE, "‘Talks need guarantees’"),
    # a headline ending in ";" goes on with its deck on the next line
    (
        "Jobs report gives Democrats a lift; \nSolid upturn could blunt Republican claims.\n\n" + PROSE,
        "Jobs report gives Democrats a lift; Solid upturn could blunt Republican claims",
    ),
    # a full stop added after a one-sentence headline goes, also before a closing quote mark
    ("Campaign to shift staff, resources to Ohio.\n\n" + PROSE, "Campaign to shift staff, resources to Ohio"),
    ("Senator: Rival ‘Not Fit To Serve.’\n\n" + PROSE, "Senator: Rival ‘Not Fit To Serve’"),
    ("Dr. Jane Doe: Rival ‘Not Fit To Serve.’\n\n" + PROSE, "Dr. Jane Doe: Rival ‘Not Fit To Serve’"),
    # ... but an abbreviation keeps its period, and a headline of two sentences its own
    ("Candidates see black votes as key in S.C.\n\n" + PROSE, "Candidates see black votes as key in S.C."),
    ("She could make history. Again.\n\n" + PROSE, "She could make history. Again."),
    # a short first line set off by a blank line is a headline on a clean article
    ("IN BRIEF.\n\nSpain struggles to form a government.\n\n" + PROSE, "IN BRIEF"),
    # agency tags and a site name after a separator are not part of the headline
    ("(LEAD) Minister says talks will resume\n\n" + PROSE, "Minister says talks will resume"),
    ("Minister says talks will resume | Reuters\n\n" + PROSE, "Minister says talks will resume"),
    # negatives: a page that opens with its first paragraph has no headline in its text
    ("SEOUL, South Korea – " + PROSE + "\nMore prose follows here.\n", None),
    (PROSE + "\n", None),
    # a section name or a person's name alone is never a headline
    ("Opinion\n\n" + PROSE, None),
    ("Jane Doe\n\n" + PROSE, None),
    ("", None),
]


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_title(text: str, title: str | None) -> None:
    assert read_metadata(text).title == title


# --- Authors ----------------------------------------------------------------------------------------

HEADLINE = "Minister says talks will resume next week"

AUTHORS = [
    (page(HEADLINE, "", "By Jane Doe"), ("Jane Doe",)),
    (page(HEADLINE, "By: Lee Min-ji"), ("Lee Min-ji",)),
    (page(HEADLINE, "By Park Ji-hoon (jhpark@example.com)"), ("Park Ji-hoon",)),
    (page(HEADLINE, "By Jane B. Doe, USA TODAY"), ("Jane B. Doe",)),
    (page(HEADLINE, "By JANE DOE and JOHN ROE"), ("JANE DOE", "JOHN ROE")),
    (page(HEADLINE, "By Jane Doe, John Roe and Mary Major"), ("Jane Doe", "John Roe", "Mary Major")),
    (page(HEADLINE, "By John Roe Jr."), ("John Roe Jr.",)),
    # a name alone on the line under the headline, with a non-breaking space after it
    (page(HEADLINE, "Jane Doe\xa0", "South Asia", "June 28th, 2019"), ("Jane Doe",)),
    (page(HEADLINE, "This article is more than 4 years old", "Jane Doe in Nairobi"), ("Jane Doe",)),
    # a name signing off with an e-mail address at the end
    (HEADLINE + "\n\n" + PROSE + "\n\n\nLee Min-ji mjlee@example.com\n\nX\nCLOSE\n", ("Lee Min-ji",)),
    # a byline run into the end of the last paragraph
    (HEADLINE + "\n\n" + PROSE + " By Park Ji-hoon (jhpark@example.com)\n", ("Park Ji-hoon",)),
    # wire-copy credits, sign-offs, follow lines, an opinion piece's author note
    (HEADLINE + "\n\n" + PROSE + "\n(Reporting by Jane Doe in Lagos; Editing by John Roe)\n", ("Jane Doe",)),
    (HEADLINE + "\n\n" + PROSE + "\n\n- Jane Doe.\n", ("Jane Doe",)),
    (HEADLINE + "\n\n" + PROSE + "\n\nFollow Jane Doe on Twitter @janedoe.\n", ("Jane Doe",)),
    (page(HEADLINE) + "\nFollow our investigative reporter Jane Doe on Twitter at @jd.\n", ("Jane Doe",)),
    (page(HEADLINE) + "\nJane Doe is the mayor of Springfield.\n", ("Jane Doe",)),
    (page(HEADLINE) + "\nJohn Roe, a law professor, is a member of the board of the paper.\n", ("John Roe",)),
    # the wire's credit in the dateline, when no person is named
    (HEADLINE + "\n\nDALLAS (AP) — " + PROSE + "\n", ("AP",)),
    # a byline beats a weaker credit
    (page(HEADLINE, "By Jane Doe") + "\nFollow John Roe on Twitter @jroe.\n", ("Jane Doe",)),
]

NOT_AUTHORS = [
    # sentences that start with "By" are not bylines
    "By Friday, the talks had stalled.",
    "By contrast, the country that the candidates will depict on Thursday night is darker.",
    "By winning the primary in Ohio, John Roe picked up all 66 of the state's delegates.",
    "By Monday Morning",
    "By Monday Morning, the talks had stalled.",
    "The vote was decided by the smallest margin. By Noon Today.",
    # names of sections, roles and outlets look like names
    "By Staff Writer",
    "By Associated Press",
    # a headline that ends in "By Name"
    "Senator Is ‘Horrified’ By John Roe.",
    "Senator Won By Finishing Third In Ohio.",
]


@pytest.mark.parametrize(("text", "authors"), AUTHORS)
def test_authors(text: str, authors: tuple[str, ...]) -> None:
    assert read_metadata(text).authors == authors


@pytest.mark.parametrize("line", NOT_AUTHORS)
def test_not_authors(line: str) -> None:
    assert read_metadata(page(HEADLINE, line)).authors == ()
    assert read_metadata(line + "\n\n" + PROSE).authors == ()


@pytest.mark.parametrize(
    "lines",
    [
        # a section name under the headline
        (HEADLINE, "South Asia", "June 28th, 2019"),
        (HEADLINE, "North Korea"),
        # a person-like line far below the headline is not a byline
        (HEADLINE, "Sunday, June 30, 2019", "A kicker line here", "Short line", "Jane Doe"),
    ],
)
def test_not_a_name_under_the_title(lines: tuple[str, ...]) -> None:
    assert read_metadata(page(*lines)).authors == ()


@pytest.mark.parametrize(
    "last_line",
    [
        "Mr. Doe is expected to testify on Monday.",
        "Ohio Gov. John Roe is the favourite of the party base.",
        "Jane Doe was forced to step down as chair of the party.",
        "Jane Doe is not yet a candidate.",
    ],
)
def test_last_line_of_news_is_not_an_author_note(last_line: str) -> None:
    assert read_metadata(HEADLINE + "\n\n" + PROSE + "\n\n" + last_line + "\n").authors == ()


# --- Outlets -----------------------------------------------------------------------------------------

OUTLETS = [
    # the e-mail address of the byline
    (HEADLINE + "\n\n" + PROSE + "\n\nLee Min-ji mjlee@koreatimes.co.kr\n", "The Korea Times"),
    (HEADLINE + "\n\n" + PROSE + " By Park Ji-hoon (jhpark@heraldcorp.com)\n", "The Korea Herald"),
    # any outlet e-mail address on the page
    (page(HEADLINE) + "\nReach her directly at jdoe@latimes.com.\n", "Los Angeles Times"),
    # an outlet named in a furniture line that names the site
    (
        page(HEADLINE) + "\nThis website uses cookies and other technology to enhance quality of service. "
        "Continuous usage of the website will be considered as giving consent to the application of "
        "such technology and the policy of KBS. For further details >\n",
        "KBS World",
    ),
    (
        page(HEADLINE) + "\nComments\n\nWe have migrated to a new commenting platform. If you are already "
        "a registered user of The Hindu and logged in, you may continue to engage with our articles.\n",
        "The Hindu",
    ),
    (page(HEADLINE) + "\nCopyright 2019 The Associated Press. All rights reserved.\n", "Associated Press"),
    (page(HEADLINE) + "\n© 2019 the Boston Globe\n", "The Boston Globe"),
    # a paper named beside a wire in the furniture: the page is the paper's
    (
        page(HEADLINE) + "\n© 2019 The Associated Press\n\nThis website uses cookies. "
        "See the cookie policy of the Boston Globe.\n",
        "The Boston Globe",
    ),
    # an author's note naming where the author works
    (HEADLINE + "\n\n" + PROSE + "\n\nJane Doe is senior media editor at The Huffington Post.\n", "HuffPost"),
    (page(HEADLINE) + "\nJohn Roe, a former diplomat, is a columnist for the Boston Globe.\n", "The Boston Globe"),
    # a link alone on a line after the article
    (page(HEADLINE) + "\nhttps://www.theguardian.com/world/2019/apr/25/story\n", "The Guardian"),
]

NOT_OUTLETS = [
    # outlets named in the article body are sources, not the publisher
    page(HEADLINE) + "\nThe minister told Reuters on Friday that the talks would resume.\n",
    page(HEADLINE) + "\nThe Washington Post reported that the talks had stalled.\n",
    page(HEADLINE) + "\nMore at https://www.nytimes.com/2019/04/25/world/story.html in the archive.\n",
    # a photo credit names the agency that took the picture, not the site
    page(HEADLINE, "Photo : YONHAP News"),
    # a domain that is not listed
    page(HEADLINE) + "\nContact: press@example.org\n",
]


@pytest.mark.parametrize(("text", "outlet"), OUTLETS)
def test_outlet(text: str, outlet: str) -> None:
    assert read_metadata(text).outlet == outlet


@pytest.mark.parametrize("text", NOT_OUTLETS)
def test_not_outlet(text: str) -> None:
    assert read_metadata(text).outlet is None


def test_url_line_gives_url() -> None:
    meta = read_metadata(page(HEADLINE) + "\nhttps://www.theguardian.com/world/2019/apr/25/story\n")
    assert meta.url == "https://www.theguardian.com/world/2019/apr/25/story"


@pytest.mark.parametrize(
    ("address", "outlet"),
    [
        ("koreatimes.co.kr", "The Korea Times"),
        ("www.koreatimes.co.kr", "The Korea Times"),
        ("https://m.koreatimes.co.kr/www/nation/2019/06/103_271450.html", "The Korea Times"),
        ("cheesuk@heraldcorp.com", "The Korea Herald"),
        ("world.kbs.co.kr", "KBS World"),
        ("https://www.huffingtonpost.com/entry/x", "HuffPost"),
        # the most specific listed domain wins
        ("economictimes.indiatimes.com", "The Economic Times"),
        ("timesofindia.indiatimes.com", "The Times of India"),
        ("WWW.NYTIMES.COM", "The New York Times"),
        ("example.com", None),
        ("notnytimes.com", None),
        ("", None),
    ],
)
def test_outlet_for_domain(address: str, outlet: str | None) -> None:
    assert outlet_for_domain(address) == outlet


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("Korea Herald", "The Korea Herald"),
        ("The Korea Herald", "The Korea Herald"),
        ("the Korea Herald", "The Korea Herald"),
        ("USA TODAY", "USA Today"),
        ("Huffington Post", "HuffPost"),
        # ambiguous names are not listed
        ("The Times", None),
        ("the Hill", None),
        ("korea herald", None),
    ],
)
def test_outlet_for_name(name: str, outlet: str | None) -> None:
    assert outlet_for_name(name) == outlet


@pytest.mark.parametrize(
    ("text", "after_the", "outlet"),
    [
        ("the Hill", False, "The Hill"),  # written with its article: the outlet
        ("The Hill", False, "The Hill"),
        ("Hill", True, "The Hill"),  # the tagger left "the" out of the name
        ("Hill", False, None),  # a bare surname is no outlet
        ("the Korea Herald", False, "The Korea Herald"),
        ("the harbour", False, None),
    ],
)
def test_outlet_for_name_with_article(text: str, after_the: bool, outlet: str | None) -> None:
    assert LEXICON.outlets.for_name_with_article(text, after_the=after_the) == outlet


# --- Dates -------------------------------------------------------------------------------------------

PUBLISHED = [
    (page(HEADLINE, "Written: 2019-04-25 18:38:40Updated: 2019-04-25 21:08:35"), "2019-04-25"),
    (page(HEADLINE, "Published on June 3, 2019"), "2019-06-03"),
    # the date by the byline beats the page's date above the headline
    (page("Sunday, June 30, 2019", "", HEADLINE, "Jane Doe", "South Asia", "June 28th, 2019"), "2019-06-28"),
    # ... which counts when it is the only one
    (page("Sunday, June 30, 2019", "", HEADLINE), "2019-06-30"),
    (page(HEADLINE, "", "April 25, 2019 10:48 pm | Updated 10:48 pm IST - Chennai"), "2019-04-25"),
    (page(HEADLINE, "Thu 25 Apr 2019 10.52 BST"), "2019-04-25"),
    (page(HEADLINE, "25 April 2019"), "2019-04-25"),
    (page(HEADLINE, "Sept. 9, 2013"), "2013-09-09"),
    (page(HEADLINE, "2019-06-29 01:44"), "2019-06-29"),
    (page(HEADLINE, "By Jane Doe | June 3, 2019"), "2019-06-03"),
    # an "Updated" date dates a later edit
    (page(HEADLINE, "Updated: June 3, 2019"), None),
    # dates in prose date events, not the article
    (HEADLINE + "\n\nOn April 25, 2019, the two leaders met. " + PROSE + "\n", None),
    (HEADLINE + "\n\n" + PROSE + "\n\nThe report, published on May 2, 2019, found the same.\n", None),
    # a date by an author's note closing the article dates something else
    (page(HEADLINE) + "\nJane Doe is the mayor of Springfield.\nMay 2, 2019\n", None),
    # no such day
    (page(HEADLINE, "February 30, 2019"), None),
    (page(HEADLINE, "2019-13-01"), None),
]


@pytest.mark.parametrize(("text", "published"), PUBLISHED)
def test_published(text: str, published: str | None) -> None:
    assert read_metadata(text).published == published


# --- Datelines ---------------------------------------------------------------------------------------

DATELINES = [
    ("OSAKA, Japan _ North Korea would dismantle its nuclear program, the minister said.", "OSAKA"),
    ("SEOUL, South Korea – The minister on Saturday expressed support for the talks.", "SEOUL"),
    ("WASHINGTON ― The White House relayed the president's response late Thursday.", "WASHINGTON"),
    ("WASHINGTON — The special counsel disputed on Friday a report on the talks.", "WASHINGTON"),
    ("NEW YORK, Nov. 19 (UPI) — The former secretary of state is calling for more troops.", "NEW YORK"),
    ("PASADENA, Calif., Jan. 1 (UPI) — A handful of skywriters are not voting for him.", "PASADENA"),
    ("ST. LOUIS (AP) — The protest went on through the night, police said.", "ST. LOUIS"),
    ("Mexico City (AFP) – It featured drama and tension fit for a telenovela, they said.", "Mexico City"),
    ("OSAKA, June 29 (Yonhap) -- The president said the talks would go on next week.", "OSAKA"),
    # negatives: labels, transcripts and ordinary sentences
    ("BREAKING — The White House relayed the president's response late Thursday.", None),
    ("EDITOR'S NOTE — This story has been corrected to show the right date of the talks.", None),
    ("JAKE TAPPER: Do you want to be associated with that, Senator, at this late stage?", None),
    ("BOOM: The candidate just fired a five-word missile directly at his rival tonight.", None),
    ("U.S. officials said the talks – which began in April – would resume on Friday.", None),
    ("The talks — which began in April — would resume on Friday, officials said.", None),
]


@pytest.mark.parametrize(("paragraph", "dateline"), DATELINES)
def test_dateline(paragraph: str, dateline: str | None) -> None:
    assert read_metadata(f"{HEADLINE}\n\n{paragraph}\n\n{PROSE}\n").dateline == dateline


def test_dateline_at_the_end_of_a_date_line() -> None:
    date_line = "April 25, 2019 10:48 pm | Updated 10:48 pm IST - Vladivostok"
    text = page("‘Talks need guarantees’", "", date_line)
    assert read_metadata(text).dateline == "Vladivostok"


# --- Boilerplate -------------------------------------------------------------------------------------

FURNITURE = [
    "Settings",
    "ⓕ font-size",
    "  • -2",
    "  • +1",
    "  • Facebook share button",
    "  • Kakao share button",
    "Share this article",
    "Sign in",
    "X",
    "CLOSE",
    "Top 10 Stories",
    "go top LETTER",
    "Menu Content",
    "Go Top",
    "Editor's Pick",
    "Editor’s Picks",
    "Related Articles",
    "0 / 0",
    "Photo : YONHAP News",
    "Featured image: The Kremlin",
    "No comments:",
    "Comments",
    "Advertisement",
    "Continue reading the main story",
    "Comments have to be in English, and in full sentences. They cannot be abusive or personal. "
    "Please abide by our community guidelines for posting your comments.",
    "This website uses cookies and other technology to enhance quality of service.",
    "Sign up for our daily newsletter",
    "Sign up to get an email from reporter Jane Doe when she publishes a new story.",
    "Follow Jane Doe on Twitter @janedoe.",
    "Copyright © 2019 Example Media. All rights reserved.",
]

NOT_FURNITURE = [
    # captions are sentences and may carry a quote, even when they end in an agency credit
    "The president shakes hands with the prime minister at the start of their summit held in a "
    "downtown hotel, early Saturday. Yonhap",
    # article sentences that use furniture words
    "Share prices rose 3 percent on Monday, the exchange said.",
    "Comments by the minister were criticised by the opposition, which called them abusive.",
    "The company said it uses cookies to track users across sites, the regulator found.",
    "“Sign in the window said closed,” she said.",
    "He said he had read the newsletter the campaign sent on Friday.",
    "The platform’s community guidelines were rewritten last year, a spokesman said.",
    "Photo opportunities were limited, aides said.",
    # list numbers and section breaks
    "1",
    "***",
    "By Jane Doe",
    "Top officials said the talks would go on.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_line(line: str) -> None:
    text = f"{PROSE}\n\n{line}\n\n{PROSE}\n"
    start = text.index(line.strip())
    assert boilerplate_spans(text) == [(start, start + len(line.strip()))]


@pytest.mark.parametrize("line", NOT_FURNITURE)
def test_not_furniture_line(line: str) -> None:
    assert boilerplate_spans(f"{PROSE}\n\n{line}\n\n{PROSE}\n") == []


def test_furniture_block_and_merged_spans() -> None:
    block = (
        "Sign in to unlock member-only benefits!\n"
        "  • Access 10 free stories every month\n"
        "  • Save stories to read later\n"
        "Sign in"
    )
    text = f"{PROSE}\n{block}\n\n{PROSE}\n"
    start = text.index("Sign in to")
    # the prompt, its bullet list and the button are one range, without surrounding white space
    assert boilerplate_spans(text) == [(start, start + len(block))]


def test_bullets_after_prose_are_not_furniture() -> None:
    text = f"{PROSE}\n  • Access to clean water improved\n  • Schools reopened\n"
    assert boilerplate_spans(text) == []


# --- Data files ----------------------------------------------------------------------------------------


def test_outlets_file_is_consistent() -> None:
    outlets = LEXICON.outlets.outlets
    assert len(outlets) >= 100
    domains = [d for o in outlets for d in o.domains]
    names = [n for o in outlets for n in (o.name, *o.aliases)]
    assert all(o.domains for o in outlets), "every outlet needs a domain"
    assert len(domains) == len(set(domains)), "a domain belongs to one outlet"
    assert len(names) == len(set(names)), "a name or alias belongs to one outlet"
    assert all("." in d and "/" not in d and not d.startswith("www.") for d in domains)


def test_boilerplate_file_is_consistent() -> None:
    patterns = LEXICON.furniture.patterns
    assert len({p.id for p in patterns}) == len(patterns)


def test_data_files_can_be_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "outlets.toml"
    custom.write_text(
        '[[outlet]]\nname = "The Springfield Shopper"\ndomains = ["shopper.example"]\n', encoding="utf-8"
    )
    replaced = load_lexicon({"outlets.toml": custom}).outlets
    assert replaced.for_domain("news.shopper.example") == "The Springfield Shopper"
    assert replaced.for_domain("nytimes.com") is None
    assert outlet_for_domain("nytimes.com") == "The New York Times"
    assert load_lexicon({"outlets.toml": custom}).digest != LEXICON.digest


# --- The seed articles -----------------------------------------------------------------------------------


def _gold(folder: Path) -> list[dict[str, str]]:
    return json.loads((folder / "gold.json").read_text(encoding="utf-8"))["articles"]


# gold key -> how to read the field from ArticleMeta
FIELDS = {
    "title": lambda meta: meta.title,
    "author": lambda meta: meta.authors[0] if meta.authors else None,
    "outlet": lambda meta: meta.outlet,
    "published": lambda meta: meta.published,
    "dateline": lambda meta: meta.dateline,
}
# The page names no outlet: no e-mail address, no copyright line, no link.
KNOWN_MISSES = {("2019-06-28_nk-news_putin-reiterates-north-korea-requires-security-guarantees.txt", "outlet")}


def _corpus_cases() -> list[object]:
    """The bundled articles' expected metadata, carried by the tests (``tests/data``)."""
    expected = json.loads((DATA / "corpus_metadata.json").read_text(encoding="utf-8"))["articles"]
    cases: list[object] = []
    for file, article in sorted(expected.items()):
        for field in FIELDS:
            marks = []
            if (file, field) in KNOWN_MISSES:
                marks.append(pytest.mark.xfail(strict=True, reason="the text does not say it"))
            # A field left null is one the text does not give: expect nothing.
            cases.append(pytest.param(file, field, article.get(field), marks=marks, id=f"{file[:24]}-{field}"))
    return cases


@pytest.mark.parametrize(("file", "field", "expected"), _corpus_cases())
def test_corpus_article(file: str, field: str, expected: str | None) -> None:
    meta = read_metadata((CORPUS / file).read_text(encoding="utf-8"))
    assert FIELDS[field](meta) == expected


@pytest.mark.evaluation
@pytest.mark.parametrize("article", _gold(BASIL) if BASIL.is_dir() else [], ids=lambda a: a["file"])
def test_basil_title_and_no_furniture(article: dict[str, str]) -> None:
    text = (BASIL / article["file"]).read_text(encoding="utf-8")
    assert read_metadata(text).title == article["title"]
    assert boilerplate_spans(text) == []


@pytest.mark.evaluation
def test_no_gold_quote_is_furniture() -> None:
    """No quote of the seed and PolNeAR gold sets falls in a furniture range."""
    overlaps = []
    for folder in (SEEDS, POLNEAR):
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
        spans = {}
        for quote in gold["quotes"]:
            file = quote["file"]
            if file not in spans:
                text = (folder / file).read_text(encoding="utf-8")
                spans[file] = (text, boilerplate_spans(text))
            text, ranges = spans[file]
            start = quote.get("start", text.find(quote["text"]))
            end = start + len(quote["text"])
            overlaps += [(file, quote["text"]) for s, e in ranges if start < e and s < end]
    assert overlaps == []
