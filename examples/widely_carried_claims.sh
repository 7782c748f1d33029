#!/usr/bin/env bash
# Claims carried by three or more outlets, with the outlets and where each was first seen.
# (quotetrace claims --min-outlets 3 does the same without jq.) Claims are linked over the
# whole run, so the lines come once every article is read.
#
#   examples/widely_carried_claims.sh [PATHS...]      (default: the bundled corpus)
set -euo pipefail

quotetrace claims "$@" --format jsonl |
  jq -c 'select(.outlets | length >= 3)
         | {claim: .text, outlets, first_seen: .first_appearance}'
