"""quotetrace as a spaCy pipeline component: ``nlp.add_pipe("quotetrace")``.

The component puts every quote of a Doc in ``doc.spans["quotes"]``, labelled with its kind,
``span.id_`` set to the quote's id, and these extensions set:

* ``Span._.speaker``: the speaker's canonical name, or None;
* ``Span._.cue``: the words that mark the speech (``said``, ``according to``), or None;
* ``Span._.kind``: ``direct``, ``indirect`` or ``mixed``;
* ``Span._.quote``: the whole record, as ``quotetrace list -f json`` writes it (role, mention
  offsets, addressee, intermediaries, confidence ...).

Values are plain strings and dicts, so ``doc.to_bytes()`` and ``DocBin`` keep them. The span
covers whole tokens; ``span._.quote["start"]`` and ``["end"]`` are the exact character offsets.

spaCy finds both factories by name through the ``spacy_factories`` entry points of the
installed package, without ``import quotetrace``. News puts one paragraph on a line with no
final period on headlines; for results identical to the command line, add
``quotetrace_paragraphs`` before the parser, which makes every line start a sentence::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("quotetrace_paragraphs", before="parser")
    nlp.add_pipe("quotetrace")

Each Doc is read on its own: article metadata (the byline, whose names are never speakers) comes
from the text, and the run-level steps (``runner.finish_run``) run over that one Doc, so spellings
are not unified across Docs as a run over many articles does.
The ``aliases`` setting names a TOML aliases file (see ``quotetrace.aliases``); unlike the command
line, the component reads no default file, so that a pipeline's config says all it does.
"""

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from quotetrace.aliases import Aliases, load_aliases
from quotetrace.articles import article_from_text
from quotetrace.extraction import PARAGRAPH_COMPONENT, extract_doc, paragraph_boundaries
from quotetrace.lexicon import Lexicon, default_lexicon
from quotetrace.models import Quote
from quotetrace.runner import finish_run

COMPONENT = "quotetrace"
SPANS_KEY = "quotes"
EXTENSIONS = ("speaker", "cue", "kind", "quote")

for _name in EXTENSIONS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

if not Language.has_factory(PARAGRAPH_COMPONENT):
    Language.component(
        PARAGRAPH_COMPONENT, func=paragraph_boundaries, assigns=["token.is_sent_start"],
    )


class QuoteFinder:
    """Finds quotes in a parsed Doc (``find``) and records them on it (``set_annotations``)."""

    def __init__(self, spans_key: str = SPANS_KEY, aliases: Aliases | None = None,
                 lexicon: Lexicon | None = None) -> None:
        self.spans_key = spans_key
        self.aliases = aliases or Aliases()
        # the bundled word lists: a pipeline's config says all it does, whatever the environment
        self.lexicon = lexicon if lexicon is not None else default_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.find(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def find(self, doc: Doc) -> list[Quote]:
        """The quotes of a parsed Doc, speakers renamed by the aliases. Changes nothing."""
        text = doc.text  # once: spaCy joins every token again on each call
        article = article_from_text("-", text, None, self.lexicon)
        quotes = extract_doc(doc, self.lexicon, meta=article.meta, text=text)
        ((_, found),) = finish_run([(article, quotes)], aliases=self.aliases)
        return found

    def set_annotations(self, doc: Doc, quotes: list[Quote]) -> None:
        """Put the quotes in ``doc.spans[spans_key]`` with their extensions."""
        spans = []
        for quote in quotes:
            found = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            if found is None or not len(found):
                continue
            span = Span(doc, found.start, found.end, label=quote.kind, span_id=quote.id)
            span._.speaker = quote.speaker.name if quote.speaker else None
            span._.cue = quote.cue.text if quote.cue else None
            span._.kind = quote.kind
            span._.quote = quote.to_dict()
            spans.append(span)
        doc.spans[self.spans_key] = spans


@Language.factory(
    COMPONENT,
    default_config={"spans_key": SPANS_KEY, "aliases": None},
    requires=["token.dep", "token.pos", "token.lemma", "token.ent_type", "token.is_sent_start"],
    assigns=["doc.spans", *(f"span._.{name}" for name in EXTENSIONS)],
)
def make_quote_finder(nlp: Language, name: str, spans_key: str, aliases: str | None) -> QuoteFinder:
    """The ``quotetrace`` factory.

    Args:
        nlp: The pipeline it joins.
        name: Its name in the pipeline.
        spans_key: The ``doc.spans`` key of the quotes.
        aliases: Path of a TOML aliases file, or None for none.
    """
    return QuoteFinder(spans_key, load_aliases(aliases) if aliases else None)
