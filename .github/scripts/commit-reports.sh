#!/usr/bin/env bash
# Commit a run's reports, then (unless APPLY_PATCH is `false`) a second commit applying
# reports/suggested.patch to the catalog, so the rolling pull request shows the proposed
# document edits as a diff. Snapshots are not committed (they go to the run's artifact):
# this script adds REPORTS/snapshots/ to the clone's own exclude file, so neither its
# commits nor create-pull-request's pick them up, whatever the repository's .gitignore
# says (an adopter's may say nothing). Also writes the pull request's body: the summary part of
# latest.md, before the long "Hub facts" table (latest.md is kept under 60,000 characters,
# so the body stays under GitHub's 65,536).
#
# Environment: REPORTS (default `reports`), APPLY_PATCH (default true), BODY (default
# `$RUNNER_TEMP/pr-body.md`, else `pr-body.md` in a temporary folder).
# Writes `body=PATH` and `patch-applied=true|false` to $GITHUB_OUTPUT when set.
set -euo pipefail

reports="${REPORTS:-reports}"
body="${BODY:-${RUNNER_TEMP:-$(mktemp -d)}/pr-body.md}"
bot=(-c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com")

exclude="$(git rev-parse --git-path info/exclude)"
mkdir -p "$(dirname "$exclude")"
echo "/${reports#./}/snapshots/" >>"$exclude"

git add -- "$reports"
if git diff --cached --quiet; then
  echo "the reports are as committed: nothing to commit" >&2
else
  git "${bot[@]}" commit --quiet -m "reports: Hub sync"
fi

applied=false
patch="$reports/suggested.patch"
if [ "${APPLY_PATCH:-true}" != "false" ] && [ -s "$patch" ]; then
  if git apply --index "$patch"; then
    git "${bot[@]}" commit --quiet -m "catalog: apply the edits the Hub's facts call for (reports/suggested.patch)"
    applied=true
  else
    echo "::warning::$patch does not apply to the catalog; the pull request carries the reports only"
  fi
fi

awk '/^## Hub facts/ { exit } { print }' "$reports/latest.md" >"$body"
{
  echo
  if [ "$applied" = true ]; then
    echo "The second commit applies \`$patch\` to the catalog: review the document edits in the diff."
  fi
  echo "The Hub facts of every repo are in \`$reports/latest.md\` and \`$reports/latest.json\`."
} >>"$body"

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "body=$body" >>"$GITHUB_OUTPUT"
  echo "patch-applied=$applied" >>"$GITHUB_OUTPUT"
fi
