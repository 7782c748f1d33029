#!/usr/bin/env bash
# One speaker's claims, each with its first appearance: the date, outlet and article where
# it was first seen, and which outlets carried it since. NAME matches any part of a speaker's
# name, ignoring case ("putin", "Jong-un").
#
#   examples/speaker_claims.sh NAME [PATHS...]        (default: the bundled corpus)
set -euo pipefail

who=${1:?usage: speaker_claims.sh NAME [PATHS...]}
shift

quotetrace claims "$@" --format jsonl |
  jq -c --arg who "$who" '
    select(any(.speakers[]; ascii_downcase | contains($who | ascii_downcase)))
    | {claim: .text, speakers,
       first_published: .first_appearance.published,
       first_outlet: .first_appearance.outlet,
       first_article: .first_appearance.article,
       outlets}'
