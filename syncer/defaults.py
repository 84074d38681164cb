"""The choices and defaults of a run's settings, in one module of their own: the command line
reads them to declare its flags without loading the run (the Hub client, pydantic models)."""

from __future__ import annotations

from enum import StrEnum


class FailOn(StrEnum):
    """What fails a run (`--fail-on`): see `syncer.app.breaches`."""

    NEVER = "never"
    CONTRADICTED = "contradicted"
    CHANGED = "changed"
    ERRORS = "errors"
    STALE = "stale"


DEFAULT_CONFIRM_AFTER = 2  # runs in a row that must answer 404 before a repo's facts and verdicts go
DEFAULT_MAX_UNREAD_SHARE = 0.5
DEFAULT_MAX_FLIP_SHARE = 0.25
# Flips under this many never hold a run, whatever their share: 1 of a 3-claim catalog is
# a third of it, and a person reads a handful of verdict changes in the rolling pull
# request in a minute (models.dev lets 10 to 15 changes merge on their own).
DEFAULT_MIN_FLIPS = 5
PROJECT_RULES = ".syncer/claims.yaml"  # a project's vocabulary file, found from the working directory up
