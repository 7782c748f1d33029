#!/usr/bin/env bash
# Every quote by a spokesperson: speakers whose role says spokesman, spokeswoman or
# spokesperson, with what they said and where. Lines appear as each article is done.
#
#   examples/spokesperson_quotes.sh [PATHS...]        (default: the bundled corpus)
set -euo pipefail

quotetrace list "$@" --format jsonl |
  jq -c 'select(.speaker.role // "" | test("spokes(man|woman|person)"; "i"))
         | {speaker: .speaker.name, role: .speaker.role, kind, text, article}'
