#!/usr/bin/env bash
# Put the previous run's reports in place before a run: from the reports branch (the
# rolling pull request's head) when it exists, else leave the default branch's as checked
# out. The reports branch holds every run since the last merge, so reuse of facts,
# `changes` and trends carry on while the pull request waits for review.
#
# Environment: REPORTS (folder, default `reports`), REPORTS_BRANCH (default
# `syncer/reports`), REMOTE (default `origin`), GIT_FETCH_TOKEN (optional: a token the
# fetch authenticates with, for a private repository whose checkout kept no credentials;
# it is passed to git in an environment-set header, never on the command line or printed).
# Writes `source=reports-branch|default-branch` to $GITHUB_OUTPUT when set.
set -euo pipefail

reports="${REPORTS:-reports}"
branch="${REPORTS_BRANCH:-syncer/reports}"
remote="${REMOTE:-origin}"
tracking="refs/remotes/$remote/$branch"

fetch() {
  if [ -n "${GIT_FETCH_TOKEN:-}" ]; then
    local basic
    basic="$(printf 'x-access-token:%s' "$GIT_FETCH_TOKEN" | base64 | tr -d '\n')"
    echo "::add-mask::$basic"
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.extraheader GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $basic" \
      git fetch --quiet --no-tags --depth=1 "$remote" "+refs/heads/$branch:$tracking"
  else
    git fetch --quiet --no-tags --depth=1 "$remote" "+refs/heads/$branch:$tracking"
  fi
}

source="default-branch"
# No such branch (no pull request open, or it was merged and deleted), or no report on it:
# the default branch's reports, as checked out.
if fetch 2>/dev/null && git cat-file -e "$tracking:$reports" 2>/dev/null; then
  # Only the reports folder: the run checks the default branch's catalog and mappings.
  git restore --source="$tracking" --worktree -- "$reports"
  source="reports-branch"
fi

generated="$(sed -nE 's/^  "generated_at": "([^"]*)",?$/\1/p' "$reports/latest.json" 2>/dev/null || true)"
echo "previous report: ${generated:-none} (from the ${source/-/ })" >&2
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "source=$source" >>"$GITHUB_OUTPUT"
fi
