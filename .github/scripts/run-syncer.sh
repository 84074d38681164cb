#!/usr/bin/env bash
# `syncer run` with the workflow's or the action's inputs, which arrive as environment
# variables and are passed on quoted, never word-split or glob-expanded.
#
# Environment: ONLY (entry names or ids, one per line or separated by `;`: a name may hold
# spaces and `*`, which stay as written), CATALOG, MAPPINGS, REPORTS, ENDPOINT (each
# optional: syncer's defaults), FAIL_ON (default never), HF_TOKEN (read by syncer itself).
# Writes `exit-code=N` to $GITHUB_OUTPUT when set; syncer writes its own counts there.
# Exits with syncer's code when it is 2 or more (bad input, could not complete), else 0:
# findings past --fail-on (1) are reported by a later step, after the reports are kept.
set -euo pipefail

args=(--fail-on "${FAIL_ON:-never}")
[ -n "${CATALOG:-}" ] && args+=(--catalog "$CATALOG")
[ -n "${MAPPINGS:-}" ] && args+=(--mappings "$MAPPINGS")
[ -n "${REPORTS:-}" ] && args+=(--reports "$REPORTS")
[ -n "${ENDPOINT:-}" ] && args+=(--endpoint "$ENDPOINT")

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
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$code" >>"$GITHUB_OUTPUT"
fi
# 0: done; 1: done with findings past --fail-on; 2: bad input; 3: could not complete.
if [ "$code" -ge 2 ]; then exit "$code"; fi
