"""Claim linking on a Dask cluster, with the claim ids ``claims.link_claims`` gives.

    quote frames (``FIELD_COLUMNS``) -> stem counts (a reduction) -> idf
        -> blocking keys -> key counts (a reduction) -> the keys that open pairs
        -> shuffle by key -> pairs scored within each block (``claims.PairScorer``) -> edges
        -> connected components of the edges (min-label propagation, rounds of shuffles)
        -> shuffle by component -> ``claims.merge_groups`` within each -> claim ids

Why the ids are those of the single-process linker on the same quotes in the same order:

- idf depends only on each stem's quote count and the number of quotes: two reductions.
- A pair is a candidate when it shares two opening keys (or one, for a quote with few keys or
  two quotes of two articles where one's speaker passed the other on: ``claims.relayed_elsewhere``), as in
  ``claims._candidate_pairs``. Every block row carries its quote's opening keys, so each
  block can tell, and a pair is scored once: in the block of the smallest key its quotes share.
- Scoring and group merging are the linker's own (``claims.PairScorer``,
  ``claims.merge_groups``), on the linker's own items (``claims.link_item``): one rule, not two.
- Group merging takes the pairs strongest first and only ever joins the groups of a pair's own
  two quotes, so one connected component of the pairs never depends on another: each is merged
  by itself, its pairs in the global order restricted to it.

Every shuffle is an explicit task graph of its own (each input split into buckets, each bucket
fetched by one small task, each output a concatenation), run as futures: no graph optimiser
sits between the code and the cluster, the graph of a step is known when it is submitted, and
every wait is bounded by ``timeout``. What a worker holds at once: a partition of quotes or of
block rows, one round's labels of a share of the vertices, one component, and two tables the
size of the vocabulary (idf, the keys that open pairs), which grows far slower than the archive
(Heaps' law). No step gathers every quote anywhere.

Needs ``pip install 'quotetrace[scale]'``.
"""

from __future__ import annotations

import logging
import operator
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from quotetrace import claims
from quotetrace.errors import ScaleError
from quotetrace.models import Quote

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

# Quotes per partition when a frame is made from a list of quotes: a partition's block rows
# (about four per quote) stay in the tens of megabytes.
QUOTES_PER_PARTITION = 50_000
# Min-label propagation settles in as many rounds as the widest component's diameter plus one;
# claim components are clusters of a few tens of quotes at most. A run past this is a bug.
MAX_ROUNDS = 500
# Up to this many vertices (twice the edges, a bound), components are found by merging the
# partitions' union-find forests into one table of vertex and label on one worker: 16 bytes a
# vertex in the table (about 150 bytes while a merge runs, in Python), so 3,000,000 vertices
# stay under 500 MB, and in one pass instead of rounds of shuffles (each round costs about a
# second of scheduling on two cores however small its data). Above it, min-label propagation
# in rounds, which holds no table of every vertex anywhere.
VERTICES_IN_ONE_TABLE = 3_000_000
# What separates relay names in a frame's ``relays`` column (a name never holds a control character).
RELAY_SEPARATOR = "\x1f"

# The columns a quote frame has: its position in input order, and what the linker reads.
FIELD_COLUMNS = ("idx", "id", "article", "parent", "speaker", "relays", "words", "conditional", "modal")
CLAIM_COLUMNS = ("idx", "id", "claim")
# Text columns as pandas' string dtype backed by Arrow: a tenth of the memory of Python strings
# in an object column, and pickled as buffers when a shuffle moves them.
_TEXT = pd.StringDtype("pyarrow")


@dataclass(frozen=True)
class LinkStats:
    """What a distributed linking run did: the sizes that say where its time and memory go."""

    quotes: int
    vocabulary: int
    opening_keys: int
    edges: int
    linked_quotes: int
    largest_component: int
    rounds: int
    partitions: int
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step

    def to_dict(self) -> dict[str, Any]:
        return {"quotes": self.quotes, "vocabulary": self.vocabulary, "opening_keys": self.opening_keys,
                "edges": self.edges, "linked_quotes": self.linked_quotes,
                "largest_component": self.largest_component, "rounds": self.rounds,
                "partitions": self.partitions, "seconds": dict(self.seconds)}


def fields_frame(fields: Sequence[claims.LinkFields], first_index: int = 0) -> pd.DataFrame:
    """A frame of ``FIELD_COLUMNS`` from the linker's fields of quotes, numbered from ``first_index``."""
    return pd.DataFrame({
        "idx": np.arange(first_index, first_index + len(fields), dtype="int64"),
        "id": pd.Series([f.id for f in fields], dtype=_TEXT),
        "article": pd.Series([f.article for f in fields], dtype=_TEXT),
        "parent": pd.Series([f.parent for f in fields], dtype=_TEXT),
        "speaker": pd.Series([f.speaker for f in fields], dtype=_TEXT),
        "relays": pd.Series([RELAY_SEPARATOR.join(f.relays) for f in fields], dtype=_TEXT),
        "words": pd.Series([" ".join(f.words) for f in fields], dtype=_TEXT),
        "conditional": np.array([f.conditional for f in fields], dtype=bool),
        "modal": pd.Series([" ".join(f.modal) for f in fields], dtype=_TEXT),
    })


def frame_fields(part: pd.DataFrame) -> list[tuple[int, claims.LinkFields]]:
    """The linker's fields of each row of a quote frame, with the row's ``idx``."""
    out = []
    for idx, qid, article, parent, speaker, relays, words, conditional, modal in zip(
            *(part[c].tolist() for c in FIELD_COLUMNS)):
        out.append((int(idx), claims.LinkFields(
            id=qid, article=article, parent=parent if isinstance(parent, str) else None,
            speaker=speaker if isinstance(speaker, str) else None,
            relays=tuple(relays.split(RELAY_SEPARATOR)) if relays else (),
            words=tuple(words.split()), conditional=bool(conditional), modal=tuple(modal.split()))))
    return out


def link_quotes(quotes: Sequence[Quote], client: Client, *, quotes_per_partition: int = QUOTES_PER_PARTITION,
                timeout: float | None = None, vertices_in_one_table: int = VERTICES_IN_ONE_TABLE) -> dict[str, str]:
    """``claims.link_claims(quotes)[0]`` computed on a Dask cluster: ``quote id -> claim id``.

    The quotes are sent from this process; for an archive, give ``link_frames`` partitions that
    the workers read themselves (``scale.link_archive`` does).

    Raises:
        ScaleError: A step did not finish within ``timeout`` seconds.
    """
    by_id = {q.id: q for q in quotes}
    fields = [claims.link_fields(q, by_id) for q in quotes]
    step = max(1, quotes_per_partition)
    frames = [fields_frame(fields[i : i + step], i) for i in range(0, len(fields), step)]
    parts = client.scatter(frames) if frames else []
    results, _ = link_frames(client, parts, timeout=timeout, vertices_in_one_table=vertices_in_one_table)
    table = _gather_frames(client, results, timeout)
    return dict(zip(table["id"].tolist(), table["claim"].tolist()))


def link_frames(client: Client, parts: Sequence[Future], *, timeout: float | None = None,
                partitions: int | None = None, vertices_in_one_table: int = VERTICES_IN_ONE_TABLE,
                ) -> tuple[list[Future], LinkStats]:
    """Claim ids for quote frames held on the cluster.

    Args:
        client: The cluster's client.
        parts: Futures of frames with ``FIELD_COLUMNS``; ``idx`` numbers the quotes in the order
            ``link_claims`` would take them (unique over all the frames).
        timeout: Seconds any one step may take.
        partitions: How many partitions each shuffle makes (default: as many as ``parts``).
        vertices_in_one_table: Up to how many vertices components are found in one table
            (``VERTICES_IN_ONE_TABLE``); above, by rounds of label propagation.

    Returns:
        Futures of frames of ``CLAIM_COLUMNS`` (every quote once), and the run's sizes.

    Raises:
        ScaleError: A step did not finish within ``timeout`` seconds.
    """
    run = _Run(client, timeout, max(1, partitions or len(parts)))
    if not parts:
        return [], LinkStats(0, 0, 0, 0, 0, 0, 0, 0, {})
    lengths = run.result(client.map(len, parts, pure=False))
    n = int(sum(lengths))
    df = run.reduce(client.map(_stem_counts, parts, pure=False), _add_counts)
    idf = claims.idf_from_counts(df, n)
    idf_f = _share(client, idf)
    run.lap("idf")

    keyed = client.map(_with_keys, parts, idf=idf_f, pure=False)
    postings = run.reduce(client.map(_key_counts, keyed, pure=False), _add_counts)
    opening = frozenset(k for k, c in postings.items() if 2 <= c <= claims.MAX_POSTINGS)
    opening_f = _share(client, opening)
    del postings
    run.lap("keys")

    blocks = run.shuffle(client.map(_block_rows, keyed, opening=opening_f, pure=False), _split_by_text, "key")
    del keyed
    edges = client.map(_score_blocks, blocks, idf=idf_f, pure=False)
    run.wait(edges)
    del blocks
    edge_count = int(sum(run.result(client.map(len, edges, pure=False))))
    run.lap("pairs")

    forests = client.map(_forest, edges, pure=False)
    if 2 * edge_count <= vertices_in_one_table:
        states, rounds = _components_by_reduction(run, forests), 0
    else:
        states, rounds = _components_by_rounds(run, forests)
    del forests
    run.lap("components")

    # each quote and each edge to the partition of its component
    quotes = run.shuffle(parts, _split_by_number, "idx")
    joined = [client.submit(_label_quotes, q, s, pure=False) for q, s in zip(quotes, states)]
    singletons = [client.submit(operator.getitem, j, 0, pure=False) for j in joined]
    linked = run.shuffle([client.submit(operator.getitem, j, 1, pure=False) for j in joined],
                         _split_by_number, "label")
    del quotes, joined
    by_a = run.shuffle(edges, _split_by_number, "a")
    labelled = run.shuffle([client.submit(_label_edges, e, s, pure=False) for e, s in zip(by_a, states)],
                           _split_by_number, "label")
    del by_a, edges, states
    merged = [client.submit(_merge_components, q, e, idf=idf_f, pure=False) for q, e in zip(linked, labelled)]
    run.wait(merged)
    sizes = run.result(client.map(_largest_component, linked, pure=False))
    linked_count = int(sum(run.result(client.map(len, merged, pure=False))))
    run.lap("groups")
    stats = LinkStats(quotes=n, vocabulary=len(idf), opening_keys=len(opening), edges=edge_count,
                      linked_quotes=linked_count, largest_component=max(sizes, default=0), rounds=rounds,
                      partitions=run.partitions, seconds=run.laps)
    return [*singletons, *merged], stats


def _components_by_reduction(run: _Run, forests: list[Future]) -> list[Future]:
    """Each linked vertex's label (the smallest vertex of its component), by merging the
    partitions' forests pairwise into one table, then split among the partitions."""
    whole = run.reduce_future(forests, _merge_forests)
    split = run.client.submit(_split_by_number, whole, column="v", buckets=run.partitions, pure=False)
    return [run.client.submit(_state, run.client.submit(operator.getitem, split, j, pure=False), pure=False)
            for j in range(run.partitions)]


def _components_by_rounds(run: _Run, forests: list[Future]) -> tuple[list[Future], int]:
    """The same labels by min-label propagation over the forests' edges: no table of all the
    vertices anywhere, one shuffle of the vertices whose label went down each round."""
    client = run.client
    adjacency = run.shuffle(client.map(_both_ways, forests, pure=False), _split_by_number, "u")
    states = client.map(_initial_labels, adjacency, pure=False)
    rounds = 0
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise ScaleError(f"connected components did not settle in {MAX_ROUNDS} rounds")
        messages = run.shuffle([client.submit(_messages, a, s, pure=False) for a, s in zip(adjacency, states)],
                               _split_by_number, "v")
        states = [client.submit(_update_labels, s, m, pure=False) for s, m in zip(states, messages)]
        del messages
        if sum(run.result(client.map(_changed, states, pure=False))) == 0:
            return states, rounds


class _Run:
    """The waits, reductions and shuffles of one linking run, each bounded by the timeout."""

    def __init__(self, client: Client, timeout: float | None, partitions: int) -> None:
        self.client = client
        self.timeout = timeout
        self.partitions = partitions
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 2)
        self._last = now
        log.info("linking: %s took %.1f s", name, self.laps[name])

    def wait(self, futures: Sequence[Future]) -> None:
        # here, not at the top: the queries of an archive (``parquet_query``) read this module's
        # layout without paying for the cluster's import
        from distributed import wait

        try:
            done = wait(futures, timeout=self.timeout)
        except TimeoutError:
            raise ScaleError.timed_out(self.timeout) from None
        for f in done.done:
            if f.status == "error":
                f.result()  # raises the task's own error

    def result(self, futures: Sequence[Future]) -> list[Any]:
        try:
            return list(self.client.gather(list(futures), asynchronous=False)) if self.timeout is None else \
                [f.result(timeout=self.timeout) for f in futures]
        except TimeoutError:
            raise ScaleError.timed_out(self.timeout) from None

    def reduce(self, futures: list[Future], combine: Callable[[Any, Any], Any]) -> Any:
        """A tree reduction on the workers; the one result comes back."""
        return self.result([self.reduce_future(futures, combine)])[0]

    def reduce_future(self, futures: list[Future], combine: Callable[[Any, Any], Any]) -> Future:
        """A tree reduction on the workers; the result stays there."""
        while len(futures) > 1:
            pairs = [self.client.submit(combine, futures[i], futures[i + 1], pure=False)
                     for i in range(0, len(futures) - 1, 2)]
            futures = pairs + futures[len(futures) - len(futures) % 2 :]
        return futures[0]

    def shuffle(self, parts: Sequence[Future], split: Callable[..., list[pd.DataFrame]], column: str) -> list[Future]:
        """Rows of every part to the partition of their ``column``: each part split into buckets
        on its worker, each bucket fetched by a task of its own, each output their concatenation."""
        n = self.partitions
        splits = self.client.map(split, parts, column=column, buckets=n, pure=False)
        out = []
        for j in range(n):
            pieces = [self.client.submit(operator.getitem, s, j, pure=False) for s in splits]
            out.append(self.client.submit(_concat, *pieces, pure=False))
        return out


def _share(client: Client, value: Any) -> Future:
    # in a list: scatter takes a dict's or a set's members for values of their own
    return client.scatter([value], broadcast=True, hash=False)[0]


def _gather_frames(client: Client, futures: Sequence[Future], timeout: float | None) -> pd.DataFrame:
    frames = _Run(client, timeout, 1).result(futures)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({c: [] for c in CLAIM_COLUMNS})


# --- tasks (run on the workers) ---------------------------------------------------------------

def _concat(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def _split_by_text(part: pd.DataFrame, column: str, buckets: int) -> list[pd.DataFrame]:
    # pandas' hash is the same in every process (Python's own str hash is not)
    where = pd.util.hash_pandas_object(part[column], index=False).to_numpy() % np.uint64(buckets)
    return [part[where == j].reset_index(drop=True) for j in range(buckets)]


def _split_by_number(part: pd.DataFrame, column: str, buckets: int) -> list[pd.DataFrame]:
    where = part[column].to_numpy(dtype="int64") % buckets
    return [part[where == j].reset_index(drop=True) for j in range(buckets)]


def _add_counts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    if len(a) < len(b):
        a, b = b, a
    a = dict(a)
    for k, c in b.items():
        a[k] = a.get(k, 0) + c
    return a


def _stem_counts(part: pd.DataFrame) -> dict[str, int]:
    """How many quotes of the partition hold each stem (once per quote, as ``link_claims`` counts)."""
    found: dict[str, int] = {}
    for words in part["words"].tolist():
        for w in set(words.split()):
            found[w] = found.get(w, 0) + 1
    return found


def _with_keys(part: pd.DataFrame, idf: dict[str, float]) -> pd.DataFrame:
    keys = [claims.blocking_keys(frozenset(w.split()), idf) for w in part["words"].tolist()]
    return part.assign(keys=pd.Series([" ".join(k) for k in keys], dtype=_TEXT, index=part.index),
                       few=np.array([len(k) <= claims.MIN_SHARED_KEYS for k in keys], dtype=bool))


def _key_counts(part: pd.DataFrame) -> dict[str, int]:
    found: dict[str, int] = {}
    for keys in part["keys"].tolist():
        for k in keys.split():
            found[k] = found.get(k, 0) + 1
    return found


def _block_rows(part: pd.DataFrame, opening: frozenset[str]) -> pd.DataFrame:
    """One row per quote and key of it that opens pairs, carrying what scoring reads of the
    quote and its opening keys (each block is scored alone)."""
    rows: list[int] = []
    keys: list[str] = []
    own: list[str] = []
    for row, quote_keys in enumerate(part["keys"].tolist()):
        open_keys = [k for k in quote_keys.split() if k in opening]
        joined = " ".join(open_keys)
        for k in open_keys:
            rows.append(row)
            keys.append(k)
            own.append(joined)
    out = part[[*FIELD_COLUMNS, "few"]].iloc[rows].reset_index(drop=True)
    return out.assign(key=pd.Series(keys, dtype=_TEXT), opening=pd.Series(own, dtype=_TEXT))


def _edges(a: list[int], b: list[int], score: list[float], verbatim: list[bool]) -> pd.DataFrame:
    return pd.DataFrame({"a": np.array(a, dtype="int64"), "b": np.array(b, dtype="int64"),
                         "score": np.array(score, dtype="float64"), "verbatim": np.array(verbatim, dtype=bool)})


def _items(part: pd.DataFrame) -> dict[int, claims.LinkItem]:
    return {idx: claims.link_item(idx, f) for idx, f in frame_fields(part)}


def _score_blocks(part: pd.DataFrame, idf: dict[str, float]) -> pd.DataFrame:
    """The linked pairs of every block in the partition, each pair once: in the block of the
    smallest opening key its two quotes share."""
    a_col: list[int] = []
    b_col: list[int] = []
    scores: list[float] = []
    verbatims: list[bool] = []
    if len(part):
        unique = part.drop_duplicates("idx")
        items = _items(unique)
        weights = {i: claims.word_weight(it.words, idf) for i, it in items.items()}
        scorer = claims.PairScorer(idf, weights)
        info = {int(i): (frozenset(o.split()), bool(f))
                for i, o, f in zip(unique["idx"].tolist(), unique["opening"].tolist(), unique["few"].tolist())}
        blocks: dict[str, list[int]] = {}
        for key, idx in zip(part["key"].tolist(), part["idx"].tolist()):
            blocks.setdefault(key, []).append(idx)
        for key, block in blocks.items():
            members = sorted(block)
            for n, a in enumerate(members):
                keys_a, few_a = info[a]
                for b in members[n + 1 :]:
                    keys_b, few_b = info[b]
                    shared = keys_a & keys_b
                    if len(shared) < claims.MIN_SHARED_KEYS and not few_a and not few_b \
                            and not claims.relayed_elsewhere(items[a], items[b]):
                        continue
                    if min(shared) != key:
                        continue  # scored in another block
                    found = scorer.score(items[a], items[b])
                    if found is not None:
                        a_col.append(a)
                        b_col.append(b)
                        scores.append(found[0])
                        verbatims.append(found[1])
    return _edges(a_col, b_col, scores, verbatims)


def _union_find(pairs: Iterable[tuple[int, int]]) -> pd.DataFrame:
    """Union-find over pairs of vertices: each vertex with the smallest vertex of its component."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the smallest vertex
    vertices = list(parent)
    return pd.DataFrame({"v": np.array(vertices, dtype="int64"),
                         "root": np.array([find(v) for v in vertices], dtype="int64")})


def _forest(edges: pd.DataFrame) -> pd.DataFrame:
    """The partition's components: each vertex of its edges with the smallest vertex of its
    component within the partition (at most one row a vertex, whatever the edges)."""
    return _union_find(zip(edges["a"].tolist(), edges["b"].tolist()))


def _merge_forests(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([a, b], ignore_index=True)
    return _union_find(zip(both["v"].tolist(), both["root"].tolist()))


def _state(forest: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"label": forest["root"].to_numpy(), "changed": False},
                        index=pd.Index(forest["v"].to_numpy(), name="vertex"))


def _both_ways(forest: pd.DataFrame) -> pd.DataFrame:
    v, root = forest["v"].to_numpy(), forest["root"].to_numpy()
    keep = v != root
    return pd.DataFrame({"u": np.concatenate([v[keep], root[keep]]), "v": np.concatenate([root[keep], v[keep]])})


def _initial_labels(adjacency: pd.DataFrame) -> pd.DataFrame:
    """Each vertex's label to start from: the smallest of itself and its neighbours."""
    low = adjacency.groupby("u")["v"].min()
    label = np.minimum(low.index.to_numpy(), low.to_numpy())
    return pd.DataFrame({"label": label, "changed": True}, index=low.index.rename("vertex"))


def _messages(adjacency: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """Each vertex whose label went down last round offers it to its neighbours."""
    moved = state[state["changed"]]
    sent = adjacency[adjacency["u"].isin(moved.index)]
    return pd.DataFrame({"v": sent["v"].to_numpy(), "label": moved["label"].reindex(sent["u"]).to_numpy()})


def _update_labels(state: pd.DataFrame, messages: pd.DataFrame) -> pd.DataFrame:
    offered = messages.groupby("v")["label"].min().reindex(state.index, fill_value=_NO_LABEL).to_numpy("int64")
    lower = offered < state["label"].to_numpy()
    label = np.where(lower, offered, state["label"].to_numpy())
    return pd.DataFrame({"label": label, "changed": lower}, index=state.index)


_NO_LABEL = np.iinfo(np.int64).max


def _changed(state: pd.DataFrame) -> int:
    return int(state["changed"].sum())


def _label_quotes(quotes: pd.DataFrame, state: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims of quotes without an edge (each a claim of its own, with the id ``link_claims``
    gives a group of one), and the other quotes with their component's label."""
    label = state["label"].reindex(quotes["idx"].to_numpy(), fill_value=-1).to_numpy("int64")
    has = label >= 0
    alone = quotes[~has]
    singletons = pd.DataFrame({"idx": alone["idx"].to_numpy(dtype="int64"),
                               "id": pd.Series(alone["id"].tolist(), dtype=_TEXT),
                               "claim": pd.Series([claims.claim_id([q]) for q in alone["id"].tolist()], dtype=_TEXT)})
    linked = quotes[has].assign(label=label[has])
    return singletons, linked.reset_index(drop=True)


def _label_edges(edges: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    return edges.assign(label=state["label"].reindex(edges["a"].to_numpy()).to_numpy(dtype="int64"))


def _merge_components(quotes: pd.DataFrame, edges: pd.DataFrame, idf: dict[str, float]) -> pd.DataFrame:
    """``claims.merge_groups`` on each component of the partition: its claim ids."""
    items = _items(quotes)
    weights = {i: claims.word_weight(it.words, idf) for i, it in items.items()}
    scorer = claims.PairScorer(idf, weights)
    # grouped in plain Python: a partition holds thousands of small components, and a pandas
    # group costs a hundred microseconds
    members: dict[int, list[int]] = {}
    for idx, label in zip(quotes["idx"].tolist(), quotes["label"].tolist()):
        members.setdefault(label, []).append(idx)
    pairs: dict[int, list[tuple[float, int, int, bool]]] = {}
    for score, a, b, verbatim, label in zip(*(edges[c].tolist() for c in ("score", "a", "b", "verbatim", "label"))):
        pairs.setdefault(label, []).append((score, a, b, verbatim))
    idx_col: list[int] = []
    id_col: list[str] = []
    claim_col: list[str] = []
    for label, component in members.items():
        groups, _ = claims.merge_groups(pairs[label], items, sorted(component), idf, weights, scorer)
        for group in groups.values():
            cid = claims.claim_id(sorted(items[i].quote.id for i in group))
            for i in group:
                idx_col.append(i)
                id_col.append(items[i].quote.id)
                claim_col.append(cid)
    return pd.DataFrame({"idx": np.array(idx_col, dtype="int64"), "id": pd.Series(id_col, dtype=_TEXT),
                         "claim": pd.Series(claim_col, dtype=_TEXT)})


def _largest_component(quotes: pd.DataFrame) -> int:
    return int(quotes.groupby("label").size().max()) if len(quotes) else 0
