"""The plausible range of every number syncer reads from outside, in one place.

A number from the Hub, a document, a repo's name, history or a previous report is only a
fact inside these bounds; outside them (or of the wrong type: a bool is not a count) it is
no value - `null` with a reason - never an exception and never a verdict. The bounds are
far wider than any real model's: they keep out typos, hostile repos and overflow, not
surprises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Bound:
    """Whole numbers from `low` to `high`, both included; `what` names the quantity."""

    what: str
    low: int
    high: int

    def check(self, value: object) -> int | None:
        """`value` as a whole number within the bound, else None. An integral float counts
        (`4096.0`, as JSON writers produce); a bool, NaN, infinity or a fraction does not."""
        if isinstance(value, bool):
            return None
        if isinstance(value, float):
            if not (math.isfinite(value) and value.is_integer()):
                return None
            value = int(value)
        if isinstance(value, Decimal):
            try:
                if not value.is_finite() or value != value.to_integral_value():
                    return None
                value = int(value)
            except (InvalidOperation, OverflowError):
                return None
        if not isinstance(value, int):
            return None
        return value if self.low <= value <= self.high else None

    def why_not(self, value: object) -> str:
        """Why `check` refused `value`, in words for a report."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return f"not a whole number of {self.what}"
        return f"out of the plausible range of {self.what} ({self.low:,} to {self.high:,})"


PARAMETERS = Bound("parameters", 1, 10**14)  # 100T: a hundred times today's largest
ACTIVE_PARAMETERS = Bound("active parameters", 1, 10**14)
CONTEXT = Bound("tokens of context", 1, 10**9)
LAYERS = Bound("layers", 1, 10**5)
WIDTH = Bound("units of a config width", 1, 10**9)  # hidden and intermediate sizes, vocabularies, heads
EXPERTS = Bound("experts", 1, 10**5)
COUNT = Bound("downloads or likes", 0, 10**13 - 1)
TRAINING_TOKENS = Bound("training tokens", 1, 10**16)  # 10,000T
LANGUAGES = Bound("languages", 1, 10**4)
YEAR = Bound("a year", 1990, 2200)


def parameters_from(number: Decimal, multiplier: int) -> int | None:
    """`number` x `multiplier` (`1.8` x 1e9) as a parameter count within PARAMETERS, else None:
    a 40-digit size in a repo's name is no size."""
    try:
        value = number * multiplier
        return PARAMETERS.check(value.to_integral_value())
    except (InvalidOperation, OverflowError):
        return None
