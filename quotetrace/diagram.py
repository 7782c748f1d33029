"""A chain as a picture: each claim group as a directed graph, written as one self-contained
HTML page, a Mermaid ``flowchart``, Graphviz DOT, or JSON Lines.

The graph is read off a ``Chain`` (``chains.trace``): its nodes are the people, organizations
and outlets the claim passed through, each placed in a layer

    origin -> relay -> intermediary -> original_outlet -> site

(the source at the start, the speakers who relayed it, the intermediaries a sentence names,
the outlet that first carried it, the site that published the article), and its edges say how
the claim passed on: ``said``, ``relayed``, ``reported_by``, ``carried_by``, ``published``,
``republished`` or ``inferred`` (near-verbatim reuse, with its confidence). Every node and edge
keeps the quotes behind it, with their article, date and offsets; those on the path of the
claim's first appearance are marked ``first``.

Every name and quote is article text, so each writer escapes for its own syntax, and the page
treats its data as hostile: it arrives as JSON that cannot close its ``<script>`` element, the
page's script puts it into the DOM as text only, and a Content-Security-Policy lets no script or
style run but the page's own (by their SHA-256).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape as html_escape
from importlib import resources
from typing import Any, TextIO

from quotetrace import __version__
from quotetrace.models import ArticleMeta, Chain, ChainEdge, ChainNode, Claim, Quote
from quotetrace.render import OutputFormat, clean, write_records

LAYERS = ("origin", "relay", "intermediary", "original_outlet", "site")
EDGE_KINDS = ("said", "relayed", "reported_by", "carried_by", "published", "republished", "inferred")
DIAGRAM_FORMATS = ("html", "mermaid", "dot", "jsonl")

# The layer a chain edge's kind puts its target in. An unknown kind (a newer chains.py) is an
# intermediary: somewhere between the speaker and the page.
_KIND_LAYER = {
    "origin": "relay",  # the speaker who cites the origin passes its words on
    "relay": "relay",
    "relayed_by": "relay",
    "quoted_by": "relay",
    "according_to": "intermediary",
    "reported_by": "intermediary",
    "readout": "intermediary",
    "told": "original_outlet",  # "Varga told the Gazette": the Gazette carried it first
    "carried_by": "original_outlet",
    "published": "site",
    "inferred": "site",
}
_KIND_EDGE = {
    "origin": "said",
    "told": "said",
    "relay": "relayed",
    "relayed_by": "relayed",
    "quoted_by": "relayed",
    "according_to": "reported_by",
    "reported_by": "reported_by",
    "readout": "reported_by",
    "carried_by": "carried_by",
    "published": "published",
    "inferred": "inferred",
}
# One pair of nodes joined by several kinds is drawn as one arrow, of the kind that says most
# about how the claim passed ("relayed" over "said": the speaker both heard and passed it on).
_PRECEDENCE = ("carried_by", "reported_by", "relayed", "republished", "published", "said")
_EDGE_WORDS = {"said": "said", "relayed": "relayed", "reported_by": "reported by", "carried_by": "carried by",
               "published": "published", "republished": "republished", "inferred": "inferred reuse"}
# Labels in Mermaid and DOT are cut to this many characters (the page shows everything).
LABEL_CHARS = 48
TITLE_CHARS = 90

# Node shape and colour by type, and edge colour by kind: the same in all three pictures.
NODE_STYLE = {  # node type -> (fill, stroke)
    "person": ("#dbeafe", "#1e40af"),
    "organization": ("#dcfce7", "#166534"),
    "outlet": ("#fef3c7", "#92400e"),
    "unnamed": ("#f3f4f6", "#4b5563"),
}
EDGE_COLOUR = {"said": "#1f2937", "relayed": "#7c3aed", "reported_by": "#0e7490", "carried_by": "#c2410c",
               "published": "#4b5563", "republished": "#b45309", "inferred": "#dc2626"}


@dataclass(frozen=True)
class GraphQuote:
    """A quote behind a node or an edge, with where to find it."""

    id: str
    text: str
    kind: str
    speaker: str | None
    article: str
    start: int
    end: int
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    first: bool  # the claim's first appearance

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "kind": self.kind, "speaker": self.speaker,
                "article": self.article, "start": self.start, "end": self.end, "outlet": self.outlet,
                "published": self.published, "title": self.title, "url": self.url, "first": self.first}


@dataclass(frozen=True)
class GraphNode:
    """A person, organization or outlet of one claim group, in one layer."""

    name: str
    type: str
    role: str | None
    layer: str  # one of LAYERS
    first: bool  # on the path of the claim's first appearance
    quotes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "role": self.role, "layer": self.layer,
                "first": self.first, "quotes": list(self.quotes)}


@dataclass(frozen=True)
class GraphEdge:
    """``source`` passed the claim to ``target``; ``chain_kinds`` are the chain's edge kinds
    drawn as this one arrow."""

    source: str
    target: str
    kind: str  # one of EDGE_KINDS: how it is drawn
    kinds: tuple[str, ...]  # every kind of EDGE_KINDS it stands for
    chain_kinds: tuple[str, ...]
    confidence: float
    first: bool
    quotes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "kind": self.kind, "kinds": list(self.kinds), "chain_kinds": list(self.chain_kinds),
                "confidence": round(self.confidence, 3), "first": self.first, "quotes": list(self.quotes)}


@dataclass(frozen=True)
class ChainGraph:
    """One claim group of a chain as a graph: a line of ``chain -f jsonl``."""

    query: str
    claim: Claim
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    quotes: tuple[GraphQuote, ...]

    def to_dict(self) -> dict[str, Any]:
        first = self.claim.to_dict()["first_appearance"]
        return {"query": self.query, "claim": {"id": self.claim.id, "text": self.claim.text, "first_appearance": first},
                "nodes": [n.to_dict() for n in self.nodes], "edges": [e.to_dict() for e in self.edges],
                "quotes": [q.to_dict() for q in self.quotes]}


def chain_graphs(chain: Chain, articles: Mapping[str, ArticleMeta]) -> list[ChainGraph]:
    """Each claim group of ``chain`` as a graph.

    Args:
        chain: What ``chains.trace`` found.
        articles: The metadata of each article by its path (for each quote's outlet, date, URL).
    """
    by_id = {q.id: q for q in chain.quotes}
    return [_graph(chain, claim, by_id, articles) for claim in chain.claims]


def _graph(chain: Chain, claim: Claim, by_id: Mapping[str, Quote], articles: Mapping[str, ArticleMeta]) -> ChainGraph:
    members = [i for i in claim.quotes if i in by_id]
    member_set = set(members)
    # A name is one node however many paths it is on; the chain keeps each distinct path once,
    # under the first quote (of any group) that took it, so types come from all its paths.
    known: dict[str, ChainNode] = {}
    for path in chain.paths:
        for node in path.nodes:
            known.setdefault(node.name, node)
    seen: dict[str, ChainNode] = {}
    on_node: dict[str, set[str]] = {}
    for path in chain.paths:
        if path.quote in member_set:
            for node in path.nodes:
                seen.setdefault(node.name, node)
                on_node.setdefault(node.name, set()).add(path.quote)

    # The chain's edges of this group, one arrow per pair of nodes (inferred reuse apart).
    grouped: dict[tuple[str, str, bool], list[tuple[ChainEdge, list[str]]]] = {}
    for edge in chain.edges:
        ids = [i for i in edge.quotes if i in member_set]
        if ids:
            grouped.setdefault((edge.source, edge.target, edge.kind == "inferred"), []).append((edge, ids))
    for source, target, _ in grouped:
        for name in (source, target):
            seen.setdefault(name, known.get(name) or ChainNode(name, "outlet"))  # inferred reuse joins outlets

    # A quote on no edge (no speaker, no intermediary) sits at the outlet that published it.
    on_edge = {i for parts in grouped.values() for _, ids in parts for i in ids}
    for i in members:
        if i not in on_edge:
            meta = articles.get(by_id[i].article, ArticleMeta())
            name = meta.outlet or by_id[i].article
            seen.setdefault(name, known.get(name) or ChainNode(name, "outlet"))
            on_node.setdefault(name, set()).add(i)

    first = claim.first_appearance
    rank = {i: n for n, i in enumerate(members)}

    def ordered(quote_ids: Iterable[str]) -> tuple[str, ...]:  # in the claim's order
        return tuple(sorted(quote_ids, key=lambda i: rank.get(i, len(rank))))

    layer: dict[str, int] = {name: 0 for name in seen}
    edges: list[GraphEdge] = []
    for (source, target, inferred), parts in grouped.items():
        kinds = tuple(dict.fromkeys(e.kind for e, _ in parts))
        behind = ordered({i for _, part in parts for i in part})
        shown, every = ("inferred", ("inferred",)) if inferred else _edge_kinds(kinds, seen[source])
        # reuse by a later outlet is not the way the first appearance came to its page
        on_first = first in behind and not inferred
        edges.append(GraphEdge(source, target, shown, every, kinds, max(e.confidence for e, _ in parts), on_first,
                               behind))
        for kind in kinds:
            layer[target] = max(layer[target], LAYERS.index(_KIND_LAYER.get(kind, "intermediary")))
        if not inferred:  # the pair it joins is on the edge; each outlet already has its own quote
            on_node.setdefault(source, set()).update(behind)
            on_node.setdefault(target, set()).update(behind)

    order = {name: n for n, name in enumerate(seen)}
    nodes = tuple(
        GraphNode(n.name, n.type, n.role, LAYERS[layer[n.name]], first in on_node.get(n.name, ()),
                  ordered(on_node.get(n.name, ())))
        for n in sorted(seen.values(), key=lambda n: (layer[n.name], order[n.name]))
    )
    quotes = tuple(_graph_quote(by_id[i], articles.get(by_id[i].article, ArticleMeta()), i == first) for i in members)
    return ChainGraph(chain.query, claim, nodes, tuple(edges), quotes)


def _shown_kinds(kinds: Iterable[str], source_type: str) -> set[str]:
    shown = {_KIND_EDGE.get(k, "reported_by") for k in kinds}
    if "published" in shown and source_type == "outlet":
        # an outlet's story printed by another outlet
        shown = (shown - {"published"}) | {"republished"}
    return shown


def _edge_kinds(kinds: Sequence[str], source: ChainNode) -> tuple[str, tuple[str, ...]]:
    """The kind an arrow is drawn as, and every kind it stands for (in ``EDGE_KINDS`` order)."""
    shown = _shown_kinds(kinds, source.type)
    return next(k for k in _PRECEDENCE if k in shown), tuple(k for k in EDGE_KINDS if k in shown)


def _graph_quote(quote: Quote, meta: ArticleMeta, first: bool) -> GraphQuote:
    return GraphQuote(quote.id, quote.text, quote.kind, quote.speaker.name if quote.speaker else None,
                      quote.article, quote.start, quote.end, meta.outlet, meta.published, meta.title, meta.url, first)


def edge_label(edge: GraphEdge) -> str:
    """The words on an arrow: its kinds, the confidence of inferred reuse, how many quotes."""
    words = " / ".join(_EDGE_WORDS.get(k, k) for k in edge.kinds)
    if edge.kind == "inferred":
        return f"{words} {edge.confidence:.2f}"  # always a pair of quotes: the earlier and its reuse
    return words + (f" \u00d7{len(edge.quotes)}" if len(edge.quotes) > 1 else "")


def _short(text: str, limit: int) -> str:
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# ---------------------------------------------------------------------------------------------
# Mermaid

# Inside a quoted Mermaid label, these characters would end the label, start markup or an
# entity; Mermaid's own entity codes (#quot; #35; ...) show them as text. "#" goes first: the
# others are written with it.
_MERMAID_ENTITIES = (("#", "#35;"), ('"', "#quot;"), ("&", "#amp;"), ("<", "#lt;"), (">", "#gt;"),
                     ("`", "#96;"), ("|", "#124;"), ("\\", "#92;"))
_MERMAID_SHAPES = {"person": ('(["', '"])'), "organization": ('["', '"]'), "outlet": ('[["', '"]]'),
                   "unnamed": ('("', '")')}


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: one line, every special character as an entity."""
    text = clean(text)
    for char, entity in _MERMAID_ENTITIES:
        text = text.replace(char, entity)
    return text


def to_mermaid(graphs: Sequence[ChainGraph], query: str) -> str:
    """A Mermaid ``flowchart LR``, one subgraph per claim group (GitHub renders it in a
    ```` ```mermaid ```` block)."""
    lines = ["flowchart LR", f"  %% quotetrace chain: {mermaid_text(query)}"]
    if not graphs:
        lines.append(f'  none["{mermaid_text("No claim matches: " + query)}"]')
    links: dict[str, list[int]] = {}
    classes: dict[str, list[str]] = {}
    link = 0
    for gi, graph in enumerate(graphs, 1):
        ids = {n.name: f"g{gi}n{ni}" for ni, n in enumerate(graph.nodes, 1)}
        lines.append(f'  subgraph g{gi}["{mermaid_text(_short(graph.claim.text, TITLE_CHARS))}"]')
        lines.append("    direction LR")
        for n in graph.nodes:
            start, end = _MERMAID_SHAPES.get(n.type, _MERMAID_SHAPES["unnamed"])
            label = mermaid_text(_short(n.name, LABEL_CHARS))
            if n.role:
                label += "<br>" + mermaid_text(_short(n.role, LABEL_CHARS))
            lines.append(f"    {ids[n.name]}{start}{label}{end}")
            classes.setdefault(n.type if n.type in NODE_STYLE else "unnamed", []).append(ids[n.name])
            if n.first:
                classes.setdefault("first", []).append(ids[n.name])
        for e in graph.edges:
            arrow = "-.->" if e.kind == "inferred" else "==>" if e.first else "-->"
            lines.append(f'    {ids[e.source]} {arrow}|"{mermaid_text(edge_label(e))}"| {ids[e.target]}')
            links.setdefault(e.kind, []).append(link)
            link += 1
        lines.append("  end")
    for kind, (fill, stroke) in NODE_STYLE.items():
        dashed = ",stroke-dasharray:4 3" if kind == "unnamed" else ""
        lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:#111827{dashed}")
    lines.append("  classDef first stroke-width:3px")
    for kind, members in classes.items():
        lines.append(f"  class {','.join(members)} {kind}")
    for kind, numbers in links.items():
        lines.append(f"  linkStyle {','.join(map(str, numbers))} stroke:{EDGE_COLOUR[kind]},color:{EDGE_COLOUR[kind]}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Graphviz DOT

_DOT_SHAPES = {"person": "ellipse", "organization": "box", "outlet": "box", "unnamed": "box"}


def dot_string(*lines: str) -> str:
    """A DOT double-quoted string of one or more lines: backslashes and quotes escaped, and no
    line break but those between ``lines`` (a lone backslash would start one of DOT's label
    escapes, \\N, \\G, \\l ...)."""
    return '"' + "\\n".join(clean(t).replace("\\", "\\\\").replace('"', '\\"') for t in lines) + '"'


def to_dot(graphs: Sequence[ChainGraph], query: str) -> str:
    """A Graphviz digraph laid out left to right, one cluster per claim group."""
    lines = ["digraph quotetrace {",
             f"  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={dot_string('quotetrace chain: ' + query)}];",
             '  node [fontname="Helvetica", fontsize=11, style=filled, penwidth=1.2];',
             '  edge [fontname="Helvetica", fontsize=9];']
    if not graphs:
        lines.append(f"  none [shape=plaintext, label={dot_string('No claim matches: ' + query)}];")
    for gi, graph in enumerate(graphs, 1):
        ids = {n.name: f"g{gi}n{ni}" for ni, n in enumerate(graph.nodes, 1)}
        layer = {n.name: LAYERS.index(n.layer) for n in graph.nodes}
        lines.append(f"  subgraph cluster_{gi} {{")
        lines.append(f"    label={dot_string(_short(graph.claim.text, TITLE_CHARS))};")
        lines.append('    color="#d1d5db";')
        for n in graph.nodes:
            fill, stroke = NODE_STYLE.get(n.type, NODE_STYLE["unnamed"])
            label = dot_string(_short(n.name, LABEL_CHARS), *([_short(n.role, LABEL_CHARS)] if n.role else []))
            attrs = [f"label={label}", f"shape={_DOT_SHAPES.get(n.type, 'box')}", f'fillcolor="{fill}"',
                     f'color="{stroke}"']
            if n.type == "outlet":
                attrs.append("peripheries=2")
            if n.type == "unnamed":
                attrs.append('style="filled,dashed"')
            if n.type == "organization":
                attrs.append('style="filled,rounded"')
            if n.first:
                attrs.append("penwidth=3")
            lines.append(f"    {ids[n.name]} [{', '.join(attrs)}];")
        for e in graph.edges:
            colour = EDGE_COLOUR.get(e.kind, EDGE_COLOUR["said"])
            attrs = [f"label={dot_string(edge_label(e))}", f'color="{colour}"', f'fontcolor="{colour}"',
                     f"minlen={max(1, layer[e.target] - layer[e.source])}"]
            if e.kind == "inferred":
                attrs.append("style=dashed")
            if e.first:
                attrs.append("penwidth=2.5")
            lines.append(f"    {ids[e.source]} -> {ids[e.target]} [{', '.join(attrs)}];")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# HTML

_VENDOR = "vendor"
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")
# JSON inside <script>: "</script>" or "<!--" in a quote must not end or comment the element;
# these escapes are still the same JSON.
_SCRIPT_JSON = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data: Any) -> str:
    """JSON that can sit inside an HTML ``<script type="application/json">`` element."""
    return json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":")).translate(_SCRIPT_JSON)


def _data_text(*parts: str) -> str:
    path = resources.files("quotetrace.data")
    for part in parts:
        path = path.joinpath(part)  # one part a call: a namespace package's path takes no more
    return path.read_text(encoding="utf-8")


def vendored_layout() -> str:
    """dagre (the layered layout), with its licences in a comment before it, as the page
    inlines it."""
    code = _SOURCE_MAP.sub("\n", _data_text(_VENDOR, "dagre.min.js"))
    notice = "\n".join((_data_text(_VENDOR, "dagre.LICENSE").strip(), "", "@dagrejs/graphlib (bundled):",
                        _data_text(_VENDOR, "graphlib.LICENSE").strip()))
    return f"/*! @dagrejs/dagre 3.1.3 (npm), MIT licence:\n{notice.replace('*/', '* /')}\n*/\n{code}"


def csp_hash(code: str) -> str:
    """A CSP source for one inline script or style: its SHA-256, base64."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def to_html(graphs: Sequence[ChainGraph], query: str) -> str:
    """One self-contained page: the graphs laid out by dagre, a legend, and the quotes behind
    each node and edge on hover or click. It loads nothing: scripts and styles are inline."""
    generator = f"quotetrace {__version__}"
    data = {"query": query, "generator": generator, "graphs": [g.to_dict() for g in graphs]}
    layout, view, style = vendored_layout(), _data_text("diagram", "chain.js"), _data_text("diagram", "chain.css")
    policy = (f"default-src 'none'; script-src {csp_hash(layout)} {csp_hash(view)}; style-src {csp_hash(style)}; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    title = f"quotetrace chain: {clean(query)}"
    count = f"{len(graphs)} claim group{'s' if len(graphs) != 1 else ''}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html_escape(policy)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="{html_escape(generator)}">\n'
        f"<title>{html_escape(title)}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        f'<header><h1>{html_escape(title)}</h1><p class="qt-sub">{count} \u00b7 origin \u2192 relays \u2192 '
        "intermediaries \u2192 original outlet \u2192 site</p></header>\n"
        '<main id="qt-main"></main>\n'
        "<noscript><p>This page draws its graphs with JavaScript; "
        "<code>quotetrace chain -f json</code> gives the same data as text.</p></noscript>\n"
        f'<script type="application/json" id="qt-data">{script_json(data)}</script>\n'
        f"<script>{layout}</script>\n"
        f"<script>{view}</script>\n"
        "</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------


def render_diagram(chain: Chain, articles: Mapping[str, ArticleMeta] | Iterable[tuple[Any, Any]], fmt: str,
                   out: TextIO) -> int:
    """Write a chain as a picture (``html``, ``mermaid``, ``dot``) or as one graph record a
    line (``jsonl``).

    Args:
        chain: What ``chains.trace`` found.
        articles: Each article's metadata by its path, or the run's ``(Article, quotes)`` pairs.
        fmt: One of ``DIAGRAM_FORMATS``.
        out: Where to write.

    Returns:
        How many claim groups were written.
    """
    metas = articles if isinstance(articles, Mapping) else {a.path: a.meta for a, _ in articles}
    graphs = chain_graphs(chain, metas)
    if fmt == "jsonl":
        write_records((g.to_dict() for g in graphs), OutputFormat.jsonl, out)
    elif fmt == "mermaid":
        out.write(to_mermaid(graphs, chain.query))
    elif fmt == "dot":
        out.write(to_dot(graphs, chain.query))
    elif fmt == "html":
        out.write(to_html(graphs, chain.query))
    else:
        raise ValueError(f"unknown diagram format {fmt!r}; expected one of {', '.join(DIAGRAM_FORMATS)}")
    return len(graphs)
