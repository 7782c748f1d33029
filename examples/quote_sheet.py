"""A quote sheet for a story, from the library API: who said what about a topic, as Markdown.

    python examples/quote_sheet.py TOPIC [PATHS...]       (default: the bundled corpus)
    python examples/quote_sheet.py "security guarantee" articles/ > sheet.md

Every quote whose words hold each word of TOPIC (ignoring case; "guarantee" also finds
"guarantees"), grouped by speaker, the most quoted first, each with its outlet, date, and the
character offsets that point at the exact words in the article. The user's aliases file, if
any, merges speakers as it does for the command line.
"""

from __future__ import annotations

import sys
from collections import defaultdict

import quotetrace
from quotetrace.articles import default_corpus_paths


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    topic, paths = argv[0], argv[1:] or default_corpus_paths()
    words = topic.casefold().split()
    articles = quotetrace.read_articles(paths)
    by_speaker: dict[str, list[tuple[quotetrace.Quote, quotetrace.Article]]] = defaultdict(list)
    for article, quotes in quotetrace.extract_articles(articles, aliases=quotetrace.load_aliases()):
        for quote in quotes:
            if all(word in quote.text.casefold() for word in words):
                name = quote.speaker.name if quote.speaker else "(unattributed)"
                by_speaker[name].append((quote, article))

    print(f"# Quote sheet: {topic}\n")
    for name, said in sorted(by_speaker.items(), key=lambda item: -len(item[1])):
        roles = sorted({q.speaker.role.strip() for q, _ in said if q.speaker and q.speaker.role})
        print(f"## {name}" + (f" ({'; '.join(roles)})" if roles else "") + "\n")
        for quote, article in said:
            words_shown = f"“{quote.text}”" if quote.kind == "direct" else quote.text
            where = ", ".join(filter(None, [article.meta.outlet, article.meta.published]))
            print(f"- {words_shown} ({quote.kind}, {quote.cue.text if quote.cue else 'no cue'})  ")
            print(f"  {where or 'unknown outlet'}: {article.path} [{quote.start}:{quote.end}]")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
