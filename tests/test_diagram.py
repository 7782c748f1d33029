"""A chain as a picture: the graph read off a chain, its Mermaid, DOT, JSON Lines and HTML, each
escaped for its own syntax, and the HTML page opened in a real browser (headless Chromium)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from quotetrace.articles import default_corpus_paths, read_articles
from quotetrace.chains import trace
from quotetrace.claims import assign_claims
from quotetrace.cli import app
from quotetrace.diagram import (
    EDGE_KINDS,
    LAYERS,
    ChainGraph,
    GraphEdge,
    GraphNode,
    GraphQuote,
    chain_graphs,
    csp_hash,
    dot_string,
    mermaid_text,
    script_json,
    to_dot,
    to_html,
    to_mermaid,
)
from quotetrace.models import Article, ArticleMeta, Claim, Quote, Speaker
from quotetrace.runner import extract_articles
from quotetrace.schema import load_schema

runner = CliRunner()
QUERY = "security guarantee"
SCHEMA = load_schema()
GRAPH_RECORD = Draft202012Validator({"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"],
                                     "$ref": "#/$defs/chain_graph_record"})
VENDOR = Path(__file__).resolve().parents[1] / "quotetrace" / "data" / "vendor"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """One index for this module's commands: the corpus is parsed once, then read from it."""
    return str(tmp_path_factory.mktemp("diagram-index") / "index.sqlite3")


@pytest.fixture(scope="module")
def corpus(nlp):
    return assign_claims(extract_articles(read_articles(default_corpus_paths()), nlp=nlp))


@pytest.fixture(scope="module")
def graphs(corpus) -> list[ChainGraph]:
    return chain_graphs(trace(QUERY, corpus), {a.path: a.meta for a, _ in corpus})


@pytest.fixture(scope="module")
def seed(graphs) -> ChainGraph:
    """The claim group the bundled corpus is about: Kim's words, relayed by Putin."""
    return max(graphs, key=lambda g: len(g.quotes))


# --- the graph -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "type_", "layer"), [
    ("Kim Jong-un", "person", "origin"),
    ("Vladimir Putin", "person", "relay"),
    ("Han Jeong-woo", "person", "relay"),
    ("Cheong Wa Dae", "person", "intermediary"),
    ("The Korea Herald", "outlet", "site"),
    ("NK News", "outlet", "site"),
    ("KBS World", "outlet", "site"),
])
def test_seed_nodes_stand_in_their_layers(seed: ChainGraph, name: str, type_: str, layer: str) -> None:
    (node,) = [n for n in seed.nodes if n.name == name]
    assert (node.type, node.layer) == (type_, layer)


@pytest.mark.parametrize(("source", "target", "kind"), [
    ("Kim Jong-un", "Vladimir Putin", "relayed"),
    ("Vladimir Putin", "Han Jeong-woo", "relayed"),
    ("Vladimir Putin", "Cheong Wa Dae", "reported_by"),
    ("Han Jeong-woo", "The Korea Times", "carried_by"),
    ("The Korea Times", "NK News", "republished"),  # an outlet's story on another outlet's site
    ("Cheong Wa Dae", "The Korea Herald", "published"),
    ("Vladimir Putin", "KBS World", "published"),
])
def test_seed_edges_say_how_the_claim_passed(seed: ChainGraph, source: str, target: str, kind: str) -> None:
    (edge,) = [e for e in seed.edges if (e.source, e.target) == (source, target)]
    assert edge.kind == kind and kind in edge.kinds


@pytest.mark.parametrize(("source", "target"), [
    ("NK News", "Kim Jong-un"),  # nothing flows back to the origin
    ("KBS World", "Vladimir Putin"),
    ("Kim Jong-un", "NK News"),  # every path from the origin passes a relay
])
def test_seed_has_no_edge_the_chain_does_not(seed: ChainGraph, source: str, target: str) -> None:
    assert not [e for e in seed.edges if (e.source, e.target) == (source, target)]


def test_first_appearance_is_marked_along_its_path(seed: ChainGraph) -> None:
    first = seed.claim.first_appearance
    assert [q.id for q in seed.quotes if q.first] == [first]
    assert {n.name for n in seed.nodes if n.first} == {"Vladimir Putin", "KBS World"}
    assert [(e.source, e.target) for e in seed.edges if e.first] == [("Vladimir Putin", "KBS World")]


def test_every_quote_is_behind_a_node_with_its_article_date_and_offsets(corpus, graphs) -> None:
    texts = {a.path: a.text for a, _ in corpus}
    for graph in graphs:
        ids = {q.id for q in graph.quotes}
        assert ids == set(graph.claim.quotes)
        assert set().union(*(n.quotes for n in graph.nodes)) == ids
        for edge in graph.edges:
            assert edge.quotes and set(edge.quotes) <= ids
            assert {edge.source, edge.target} <= {n.name for n in graph.nodes}
        for q in graph.quotes:
            assert texts[q.article][q.start:q.end] == q.text
            assert q.published and q.outlet


def test_graph_edges_are_the_chains_edges_of_the_group(corpus) -> None:
    chain = trace(QUERY, corpus)
    for graph, claim in zip(chain_graphs(chain, {}), chain.claims, strict=True):
        members = set(claim.quotes)
        expected = {(e.source, e.target) for e in chain.edges if members & set(e.quotes)}
        assert {(e.source, e.target) for e in graph.edges} == expected


def _q(i: int, text: str, speaker: str, **kw) -> Quote:
    return Quote(id=f"q{i}", article=f"a{i}.txt", start=0, end=len(text), text=text, kind="direct", cue=None,
                 speaker=Speaker(speaker, "person"), **kw)


@pytest.fixture(scope="module")
def reuse() -> list[ChainGraph]:
    """One claim reused near-verbatim by a later outlet: an inferred edge between the outlets."""
    text = "the reservoir will be empty by the end of August unless it rains"
    early = Article("a1.txt", text, ArticleMeta(outlet="Early Times", published="2024-05-01"))
    late = Article("a2.txt", text + ".", ArticleMeta(outlet="Late News", published="2024-05-03"))
    results = [(early, [_q(1, text, "Ana Ruiz", claim="c1")]), (late, [_q(2, text + ".", "Ana Ruiz", claim="c1")])]
    return chain_graphs(trace("reservoir", results), {a.path: a.meta for a, _ in results})


def test_inferred_reuse_is_a_dashed_edge_with_its_confidence(reuse: list[ChainGraph]) -> None:
    (graph,) = reuse
    (inferred,) = [e for e in graph.edges if e.kind == "inferred"]
    assert (inferred.source, inferred.target) == ("Early Times", "Late News")
    assert 0.9 <= inferred.confidence <= 1
    assert inferred.quotes == ("q1", "q2")
    mermaid, dot = to_mermaid(reuse, "reservoir"), to_dot(reuse, "reservoir")
    assert len(re.findall(r" -\.->\|", mermaid)) == 1
    assert f'-.->|"inferred reuse {inferred.confidence:.2f}"|' in mermaid
    assert not inferred.first and [n.name for n in graph.nodes if n.first] == ["Ana Ruiz", "Early Times"]
    (line,) = [line for line in dot.splitlines() if "inferred reuse" in line]
    assert "style=dashed" in line


# --- Mermaid, DOT, JSON Lines on the seed chain ----------------------------------------------

_MERMAID_NODE = re.compile(r'^    (g\d+n\d+)(\(\["|\["|\[\["|\(")[^"]*("\]\)|"\]|"\]\]|"\))$')
_MERMAID_EDGE = re.compile(r'^    (g\d+n\d+) (-->|==>|-\.->)\|"[^"|]*"\| (g\d+n\d+)$')


def test_mermaid_is_a_flowchart_with_one_subgraph_per_claim(graphs) -> None:
    text = to_mermaid(graphs, QUERY)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(line.startswith("  subgraph g") for line in lines) == len(graphs)
    assert sum(line == "  end" for line in lines) == len(graphs)
    nodes = [m.group(1) for m in map(_MERMAID_NODE.match, lines) if m]
    edges = [m for m in map(_MERMAID_EDGE.match, lines) if m]
    assert len(nodes) == len(set(nodes)) == sum(len(g.nodes) for g in graphs)
    assert len(edges) == sum(len(g.edges) for g in graphs)
    assert {m.group(1) for m in edges} | {m.group(3) for m in edges} <= set(nodes)
    assert sum(m.group(2) == "==>" for m in edges) == sum(e.first for g in graphs for e in g.edges)
    for kind in ("person", "organization", "outlet", "unnamed"):
        assert f"  classDef {kind} " in text
    # every line is one the grammar above knows, a directive, or a style
    for line in lines[1:]:
        assert (_MERMAID_NODE.match(line) or _MERMAID_EDGE.match(line)
                or re.match(r"^  (%%|subgraph g\d+\[\"[^\"]*\"\]$|end$|classDef |class |linkStyle )", line)
                or line == "    direction LR"), line


def test_dot_is_a_left_to_right_digraph_with_one_cluster_per_claim(graphs) -> None:
    text = to_dot(graphs, QUERY)
    assert text.startswith("digraph quotetrace {") and "rankdir=LR" in text
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # every string closes; nothing outside one is data
    assert '"' not in bare.replace('""', "")
    assert bare.count("{") == bare.count("}") == len(graphs) + 1
    assert len(re.findall(r"^  subgraph cluster_\d+ \{$", text, re.MULTILINE)) == len(graphs)
    assert len(re.findall(r"^    g\d+n\d+ -> g\d+n\d+ \[", text, re.MULTILINE)) == sum(len(g.edges) for g in graphs)
    assert len(re.findall(r"^    g\d+n\d+ \[label=", text, re.MULTILINE)) == sum(len(g.nodes) for g in graphs)


def test_chain_jsonl_is_one_graph_a_line_that_follows_the_schema(graphs, db: str) -> None:
    result = runner.invoke(app, ["chain", QUERY, "-f", "jsonl", "--db", db])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(graphs)
    for record, graph in zip(lines, graphs, strict=True):
        GRAPH_RECORD.validate(record)
        Draft202012Validator(SCHEMA).validate(record)
        assert next(iter(record)) == "schema_version"
        assert {k: v for k, v in record.items() if k != "schema_version"} == graph.to_dict()
        assert {n["layer"] for n in record["nodes"]} <= set(LAYERS)
        assert {e["kind"] for e in record["edges"]} <= set(EDGE_KINDS)


@pytest.mark.parametrize("fmt", ["html", "mermaid", "dot", "jsonl", "json", "table"])
def test_output_option_writes_the_file_and_nothing_to_stdout(tmp_path: Path, db: str, fmt: str) -> None:
    target = tmp_path / f"chain.{fmt}"
    to_file = runner.invoke(app, ["chain", QUERY, "-f", fmt, "-o", str(target), "--db", db])
    to_stdout = runner.invoke(app, ["chain", QUERY, "-f", fmt, "--db", db])
    assert to_file.exit_code == 0 and to_stdout.exit_code == 0, to_file.stderr
    assert to_file.stdout == ""
    assert target.read_text(encoding="utf-8") == to_stdout.stdout


def test_an_output_file_that_cannot_be_written_is_one_line(tmp_path: Path, db: str) -> None:
    result = runner.invoke(app, ["chain", QUERY, "-f", "html", "-o", str(tmp_path / "missing" / "chain.html"),
                                 "--db", db])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("quotetrace: error: cannot write ")


@pytest.mark.parametrize(("fmt", "says"), [
    ("mermaid", 'none["No claim matches: zebra migration"]'),
    ("dot", 'label="No claim matches: zebra migration"'),
    ("html", '"graphs":[]'),
    ("jsonl", None),
])
def test_no_match_is_an_empty_picture(db: str, fmt: str, says: str | None) -> None:
    result = runner.invoke(app, ["chain", "zebra migration", "-f", fmt, "--db", db])
    assert result.exit_code == 0, result.stderr
    assert (says in result.stdout) if says else result.stdout == ""


# --- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "escaped"), [
    ("Vera Holm", "Vera Holm"),
    ('she said "no"', "she said #quot;no#quot;"),
    ("<script>alert(1)</script>", "#lt;script#gt;alert(1)#lt;/script#gt;"),
    ("</svg>", "#lt;/svg#gt;"),
    ('" onmouseover="alert(1)', "#quot; onmouseover=#quot;alert(1)"),
    ("#1 & co", "#35;1 #amp; co"),
    ("#quot;", "#35;quot;"),  # an entity in the text stays text
    ("a|b", "a#124;b"),  # would end an edge label
    ("`**bold**`", "#96;**bold**#96;"),  # would start a Markdown string
    ("line one\nline two\r\n", "line one line two"),
    ("back\\slash", "back#92;slash"),
    ("javascript:alert(1)", "javascript:alert(1)"),  # plain text: the diagram makes no links
])
def test_mermaid_text_escapes(text: str, escaped: str) -> None:
    assert mermaid_text(text) == escaped


@pytest.mark.parametrize(("lines", "escaped"), [
    (("Vera Holm",), '"Vera Holm"'),
    (('she said "no"',), r'"she said \"no\""'),
    (("back\\slash",), r'"back\\slash"'),
    (("\\N and \\G",), r'"\\N and \\G"'),  # DOT's own label escapes stay text
    (("ends with \\",), r'"ends with \\"'),  # cannot escape the closing quote
    (("<b>x</b>", ), '"<b>x</b>"'),  # a quoted string is never an HTML-like label
    (("a -> b; }",), '"a -> b; }"'),
    (("line one\nline two",), '"line one line two"'),
    (("Vera Holm", "the mayor"), r'"Vera Holm\nthe mayor"'),  # the only line break is ours
])
def test_dot_string_escapes(lines: tuple[str, ...], escaped: str) -> None:
    assert dot_string(*lines) == escaped


@pytest.mark.parametrize("text", [
    "</script><script>alert(1)</script>",
    "<!-- <script>",
    "</SCRIPT >",
    "a & b > c",
    "\u2028 line separators \u2029",
    'quote " and \\ backslash',
])
def test_script_json_cannot_close_its_element_and_reads_back(text: str) -> None:
    encoded = script_json({"text": text})
    assert not re.search(r"[<>&]", encoded)
    assert json.loads(encoded) == {"text": text}


HOSTILE = [
    "<script>document.title='pwned'</script>",
    "</svg><svg onload=\"document.title='pwned'\">",
    "\" onmouseover=\"document.title='pwned'",
    "</script><img src=x onerror=\"document.title='pwned'\">",
    "line\nbreak `md` #35; |pipe|",
]


def _hostile_graph(payload: str) -> ChainGraph:
    quote = GraphQuote("q1", payload, "direct", payload, payload + ".txt", 0, len(payload), payload, "2024-05-01",
                       payload, "javascript:document.title='pwned'", True)
    nodes = (GraphNode(payload, "person", payload, "origin", True, ("q1",)),
             GraphNode(payload + " (outlet)", "outlet", None, "site", True, ("q1",)))
    edge = GraphEdge(payload, payload + " (outlet)", "published", ("published",), ("published",), 1.0, True, ("q1",))
    claim = Claim("c1", payload, ("q1",), (payload + ".txt",), (payload,), (payload,), "q1", "2024-05-01")
    return ChainGraph(payload, claim, nodes, (edge,), (quote,))


@pytest.mark.parametrize("payload", HOSTILE)
def test_mermaid_and_dot_keep_hostile_names_inside_their_labels(payload: str) -> None:
    graphs = [_hostile_graph(payload)]
    mermaid = to_mermaid(graphs, payload)
    for line in mermaid.splitlines()[2:]:  # after the header and the query's comment
        assert (_MERMAID_NODE.match(line) or _MERMAID_EDGE.match(line)
                or re.match(r"^  (subgraph g\d+\[\"[^\"]*\"\]$|end$|classDef |class |linkStyle )", line)
                or line == "    direction LR"), line
    assert "<" not in mermaid.replace("<br>", "") and ">" not in mermaid.replace("-->", "").replace("==>", "").replace(
        "-.->", "").replace("<br>", "")
    dot = to_dot(graphs, payload)
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)
    assert '"' not in bare.replace('""', "") and "pwned" not in bare
    assert len(dot.splitlines()) == len(to_dot([_hostile_graph("x")], "x").splitlines())


class _Page(HTMLParser):
    """The elements of a page, their attributes, and the text of each script and style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.code: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))
            self.code.append((tag, dict(attrs), ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            tag, attrs, text = self.code[-1]
            self.code[-1] = (tag, attrs, text + data)
        else:
            self.text.append(data)


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    return parsed


@pytest.mark.parametrize("payload", HOSTILE)
def test_html_keeps_hostile_text_in_its_json_and_runs_only_its_own_code(payload: str) -> None:
    page = to_html([_hostile_graph(payload)], payload)
    parsed = _parse(page)
    assert [t for t, _ in parsed.tags].count("script") == 3  # data, layout, view: none added
    assert not [a for t, a in parsed.tags if t in ("img", "svg", "a", "iframe", "link", "object")]
    assert not [a for _, attrs in parsed.tags for a in attrs if a.startswith("on")]
    (data,) = [text for tag, attrs, text in parsed.code if attrs.get("type") == "application/json"]
    assert json.loads(data)["graphs"][0]["nodes"][0]["name"] == payload
    # the title and heading show the query as text
    assert f"quotetrace chain: {' '.join(payload.split())}" in "".join(parsed.text)


def test_the_page_policy_allows_exactly_its_own_scripts_and_style() -> None:
    page = to_html([_hostile_graph("x")], "x")
    parsed = _parse(page)
    (policy,) = [a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "data:"
    scripts = [text for tag, attrs, text in parsed.code if tag == "script" and "type" not in attrs]
    (style,) = [text for tag, _, text in parsed.code if tag == "style"]
    assert directives["script-src"].split() == [csp_hash(code) for code in scripts]
    assert directives["style-src"].split() == [csp_hash(style)]
    assert "unsafe" not in policy
    # nothing is loaded: no element names a source
    assert not [a for _, attrs in parsed.tags for a in ("src", "href") if a in attrs]


def test_the_vendored_layout_is_the_npm_file_with_its_licence() -> None:
    code = (VENDOR / "dagre.min.js").read_bytes()
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(code).hexdigest() in readme
    assert "Permission is hereby granted" in (VENDOR / "dagre.LICENSE").read_text(encoding="utf-8")
    page = to_html([], "x")
    assert "Copyright (c) 2012-2014 Chris Pettitt" in page and "sourceMappingURL" not in page
    assert not re.search(r"</script|<!--", code.decode("utf-8"), re.IGNORECASE)


# --- in a browser ----------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# Headless, no sandbox (CI runs as root), no profile state, and no network: every host resolves
# to nothing and every request goes to a closed local port.
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                 "--disable-extensions", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
                 "--proxy-server=http://127.0.0.1:9",
                 "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000")


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("headless Chromium is needed for the page's tests: apt-get install chromium")


def open_page(path: Path, tmp_path: Path, *action: str) -> tuple[str, list[str]]:
    """What the browser did with a page from disk: the DOM after its scripts ran (or stdout of
    ``action``) and every console message."""
    run = subprocess.run([browser(), *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          *(action or ("--dump-dom",)), path.as_uri()],
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_title = tag == "title" and not self.title

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def having(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


def _dom(text: str) -> _Dom:
    dom = _Dom()
    dom.feed(text)
    return dom


def _page_data(page: Path) -> dict:
    (data,) = [text for _, attrs, text in _parse(page.read_text(encoding="utf-8")).code
               if attrs.get("type") == "application/json"]
    return json.loads(data)


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory, db: str) -> Path:
    page = tmp_path_factory.mktemp("page") / "chain.html"
    result = runner.invoke(app, ["chain", QUERY, "-f", "html", "-o", str(page), "--db", db])
    assert result.exit_code == 0, result.stderr
    return page


def test_the_page_draws_every_node_and_edge_with_no_console_message(seed_page: Path, tmp_path: Path) -> None:
    data = _page_data(seed_page)
    dom_text, console = open_page(seed_page, tmp_path)
    dom = _dom(dom_text)
    assert console == []
    assert dict(dom.elements[0][1]).get("data-qt-rendered") == str(len(data["graphs"]))
    nodes, edges = dom.having("g", "qt-node"), dom.having("g", "qt-edge")
    assert len(nodes) == sum(len(g["nodes"]) for g in data["graphs"]) > 0
    assert len(edges) == sum(len(g["edges"]) for g in data["graphs"]) > 0
    # laid out: every node placed, every edge drawn, no NaN from a failed layout
    placed = [a for t, a in dom.elements if t == "g" and re.fullmatch(r"translate\([\d.]+,[\d.]+\)", a.get("transform") or "")]
    assert len([a for a in placed if "qt-node" in (a.get("class") or "")]) == len(nodes)
    lines = [a for a in dom.having("path", "qt-line") if a.get("marker-end")]  # not the legend's
    assert len(lines) == len(edges) and all(re.match(r"M[\d.]+,[\d.]+[LC]", a["d"] or "") for a in lines)
    assert not [a for _, a in dom.elements if any("NaN" in (v or "") for v in a.values())]
    # the legend and the panel of the first appearance
    assert len(dom.having("span", "qt-legend-item")) == 4 + len(EDGE_KINDS)
    assert dom.having("li", "qt-quote") and dom.having("span", "qt-badge")
    assert len(dom.having("section", "qt-group")) == len(data["graphs"])


def _png_pixels(data: bytes) -> list[bytes]:
    """The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        header = body if kind == b"IHDR" else header
        if kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(b"".join(chunks)), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left, up = line[i - step] if i >= step else 0, previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return [row[x:x + 3] for row in rows for x in range(0, stride, step)]


def test_the_page_screenshot_is_a_picture_not_a_blank(seed_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _, console = open_page(seed_page, tmp_path, "--window-size=1200,700", f"--screenshot={shot}")
    assert console == []
    pixels = _png_pixels(shot.read_bytes())
    assert len(pixels) == 1200 * 700
    colours = set(pixels)
    inked = sum(1 for p in pixels if p != b"\xff\xff\xff") / len(pixels)
    # text, shapes and the colours of node types and edge kinds, on a mostly white page
    assert len(colours) > 200 and 0.03 < inked < 0.6
    for fill in ("dbeafe", "fef3c7"):  # a person and an outlet are on screen
        assert bytes.fromhex(fill) in colours


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory) -> tuple[Path, dict]:
    """A page built from articles, metadata, a file name and an alias that each carry markup."""
    folder = tmp_path_factory.mktemp("hostile")
    payload = "document.title='pwned';document.documentElement.appendChild(document.createElement('qt-pwned'))"
    first = {"text": f"Ana Ruiz, the mayor, said on Monday: \u201cWe will never accept </script><script>{payload}"
                     "</script> the toll on the old bridge.\u201d\nThe toll was raised last week.\n",
             "outlet": f"</svg><svg onload=\"{payload}\">Daily \" onmouseover=\"{payload}",
             "published": "2024-05-01", "title": f"<img src=x onerror=\"{payload}\">",
             "url": f"javascript:{payload}"}
    second = {"text": "\u201cWe will never accept the toll on the old bridge,\u201d Ana Ruiz said, according to "
                      "the Gazette.\n", "outlet": "Evening <b>Post</b>", "published": "2024-05-03",
              "url": "https://example.org/a?x=<b>&y=\"1\""}
    source = folder / f"\"><img src=x onerror=\"{payload.replace('/', '')}\">.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in (first, second)), encoding="utf-8")
    aliases = folder / "aliases.toml"
    aliases.write_text('[aliases]\n"Ana \\" onmouseover=\\"document.title=\'pwned\'\\" <script>document.title='
                       '\'pwned\'</script>" = ["Ana Ruiz"]\n', encoding="utf-8")
    page = folder / "chain.html"
    result = runner.invoke(app, ["chain", "never accept", str(source), "--aliases", str(aliases), "-f", "html",
                                 "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    return page, _page_data(page)


def test_a_hostile_page_shows_its_markup_as_text_and_runs_none_of_it(hostile_page, tmp_path: Path) -> None:
    page, data = hostile_page
    (graph,) = data["graphs"]
    names = {n["name"] for n in graph["nodes"]}
    assert any("<script>" in n for n in names) and any("</svg>" in n for n in names)  # the markup got in
    dom_text, console = open_page(page, tmp_path)
    dom = _dom(dom_text)
    assert console == []
    assert dom.title == "quotetrace chain: never accept"
    assert dict(dom.elements[0][1]).get("data-qt-rendered") == "1"  # the page's own script ran
    assert len(dom.having("g", "qt-node")) == len(graph["nodes"])
    assert len(dom.having("g", "qt-edge")) == len(graph["edges"])
    tags = {t for t, _ in dom.elements}
    assert "qt-pwned" not in tags and "img" not in tags and "b" not in tags
    assert [t for t, _ in dom.elements].count("script") == 3 and [t for t, _ in dom.elements].count("svg") == 1 + 4 + 7
    assert not [a for _, a in dom.elements for k in a if k.startswith("on")]
    links = [a["href"] for t, a in dom.elements if t == "a"]
    assert all(href.startswith("https://") for href in links)
    assert "javascript:" not in " ".join(links)
    # shown as text
    assert "&lt;/svg&gt;&lt;svg onload=" in dom_text and "&lt;script&gt;" in dom_text


def test_the_policy_stops_a_script_the_page_did_not_ship(seed_page: Path, tmp_path: Path) -> None:
    """Were any text to escape into markup, the Content-Security-Policy still runs none of it."""
    page = seed_page.read_text(encoding="utf-8")
    planted = tmp_path / "planted.html"
    planted.write_text(page.replace('<main id="qt-main"></main>', '<main id="qt-main"></main><script>document.title='
                                    '"pwned"</script><img src="x" onerror="document.title=\'pwned\'">'), encoding="utf-8")
    dom_text, console = open_page(planted, tmp_path)
    dom = _dom(dom_text)
    assert dom.title.startswith("quotetrace chain: ")
    assert dict(dom.elements[0][1]).get("data-qt-rendered")  # the page's own scripts still ran
    assert console and all("Content Security Policy" in line for line in console)
