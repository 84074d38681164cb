#!/usr/bin/env bash
# `syncer run` with the workflow's or the action's inputs, which arrive as environment
# variables and are passed on quoted, never word-split or glob-expanded.
#
# Environment: ONLY (entry names or ids, one per line or separated by `;`: a name may hold
# spaces and `*`, which stay as written), CATALOG, MAPPINGS, REPORTS, ENDPOINT (each
# optional: syncer's defaults), FAIL_ON (default never), HF_TOKEN (read by syncer itself).
# Churn guard (each optional, syncer's defaults when empty): ACCEPT_CHURN (`true` passes
# --accept-churn), MAX_UNREAD_SHARE, MAX_FLIP_SHARE, CONFIRM_AFTER.
# Writes `exit-code=N` and `held=true|false` to $GITHUB_OUTPUT when set; syncer writes its
# own counts there.
# Exits 0 when syncer is done (0), also with findings past --fail-on (1): those are
# reported by a later step, after the reports are kept. A held run (4: it would change
# too much, its reports are in REPORTS/held/ and latest.* is untouched) puts the held
# report in the job summary and exits 4, so that nothing updates the pull request and
# someone looks. Any other code (2 bad input, 3 could not complete, 130/143 stopped) is
# passed on.
set -euo pipefail

reports="${REPORTS:-reports}"
args=(--fail-on "${FAIL_ON:-never}")
[ -n "${CATALOG:-}" ] && args+=(--catalog "$CATALOG")
[ -n "${MAPPINGS:-}" ] && args+=(--mappings "$MAPPINGS")
[ -n "${REPORTS:-}" ] && args+=(--reports "$REPORTS")
[ -n "${ENDPOINT:-}" ] && args+=(--endpoint "$ENDPOINT")
[ "${ACCEPT_CHURN:-false}" = "true" ] && args+=(--accept-churn)
[ -n "${MAX_UNREAD_SHARE:-}" ] && args+=(--max-unread-share "$MAX_UNREAD_SHARE")
[ -n "${MAX_FLIP_SHARE:-}" ] && args+=(--max-flip-share "$MAX_FLIP_SHARE")
[ -n "${CONFIRM_AFTER:-}" ] && args+=(--confirm-after "$CONFIRM_AFTER")

# `read -a` splits on IFS only: no globbing, and spaces inside a name are kept.
IFS=$';\n' read -r -d '' -a names <<<"${ONLY:-}" || true
for name in "${names[@]}"; do
  name="${name#"${name%%[![:space:]]*}"}"  # trim leading and trailing blanks
  name="${name%"${name##*[![:space:]]}"}"
  if [ -n "$name" ]; then args+=(--only "$name"); fi
done

set +e
"${SYNCER:-syncer}" run "${args[@]}"
code=$?
set -e

held=false
if [ "$code" -eq 4 ]; then held=true; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$code" >>"$GITHUB_OUTPUT"
  echo "held=$held" >>"$GITHUB_OUTPUT"
fi

if [ "$held" = true ]; then
  held_report="$reports/held/latest.md"
  message="syncer held this run back: it would change too much at once. Its reports are in $reports/held/ (in the reports artifact); $reports/latest.* and history.jsonl are as they were, and the pull request was not updated. If the changes are real, run again with accept-churn."
  echo "::error title=syncer%3A run held::$message"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
      echo "> [!WARNING]"
      echo "> $message"
      echo
      if [ -s "$held_report" ]; then cat "$held_report"; else echo "($held_report was not written.)"; fi
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  exit 4
fi
# 0: done; 1: done with findings past --fail-on; 2: bad input; 3: could not complete.
if [ "$code" -ge 2 ]; then exit "$code"; fi
