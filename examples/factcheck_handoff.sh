#!/usr/bin/env bash
# Hand claims to a fact-checker as ClaimReview drafts (schema.org JSON-LD).
#
# quotetrace writes each claim carried by two or more outlets as a schema.org Claim (its
# author, every article it appeared in with the quotes, its first appearance); this wraps each
# in a ClaimReview for a fact-check desk to rate. Google's Fact Check Tools and ClaimReview
# authoring tools read this shape; the rating and the review's own URL are left to fill in.
#
#   examples/factcheck_handoff.sh [PATHS...] > claimreviews.jsonld
#   FACTCHECKER="The Desk" examples/factcheck_handoff.sh articles/
set -euo pipefail

quotetrace claims "$@" --min-outlets 2 --format schema-org |
  jq --arg desk "${FACTCHECKER:-Fact-check desk}" '[.[] | {
      "@context": "https://schema.org",
      "@type": "ClaimReview",
      "claimReviewed": .text,
      "itemReviewed": (del(.["@context"])),
      "author": {"@type": "Organization", "name": $desk},
      "reviewRating": {"@type": "Rating", "alternateName": "to be rated"}
    }]'
