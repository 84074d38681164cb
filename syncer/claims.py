"""Entry text -> typed claims, each with the exact words it came from.

The vocabulary lives in `rules/claims.yaml`; this module is the grammar that applies it.
One cell is read at a time. Numbers are read first, most specific form first (training
tokens, active parameters, context lengths, ranges, sizes); each reading claims its span
so that a later, looser reading cannot take the same words again. Words (licence,
architecture, lineage, languages) come next, and qualitative claims last, from whatever
clauses still hold a superlative or a comparison.

What a number is *not* about matters as much as what it is: a compared model's size, a
dataset's size, hardware, a character count. Those are recognised by their neighbours
(see `not_about_the_entry` and `comparison` in the rules) and left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from syncer.models import Claim, ClaimKind, ParameterRange
from syncer.rules import NUMBER, Rules

_NUMBER = re.compile(NUMBER)


def to_int(number: str, multiplier: Decimal) -> int:
    """`2.7` x 1e9 -> 2_700_000_000, exactly (no float rounding)."""
    return int((Decimal(number.replace(",", "")) * multiplier).to_integral_value())


@dataclass
class _Scan:
    """One cell being read: its text, which characters are already claimed, and what was found."""

    text: str
    field_name: str
    rules: Rules
    taken: list[bool] = field(init=False)
    found: list[tuple[int, Claim]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.text)

    def is_free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        for index in range(start, end):
            self.taken[index] = True

    def add(self, kind: ClaimKind, value: object, start: int, end: int) -> None:
        words = self.text[start:end].strip()
        self.found.append((start, Claim(kind=kind, value=value, text=words, field=self.field_name)))

    def clause_bounds(self, position: int) -> tuple[int, int]:
        start = 0
        for match in self.rules.clause_separators.finditer(self.text):
            if match.end() <= position:
                start = match.end()
            elif match.start() >= position:
                return start, match.start()
        return start, len(self.text)

    def is_compared(self, start: int, end: int) -> bool:
        """Whether text[start:end] is the object of a comparison in its clause."""
        clause_start, clause_end = self.clause_bounds(start)
        return any(s <= start and end <= e for s, e in _compared_spans(self.rules, self.text, clause_start, clause_end))

    def is_about_something_else(self, end: int) -> bool:
        """Whether the words right after a number say it counts data, text or people."""
        return bool(self.rules.not_about_after.match(self.text[end:]))


def _compared_spans(rules: Rules, text: str, clause_start: int, clause_end: int) -> list[tuple[int, int]]:
    """Spans of a clause that name what the entry is compared with.

    `全面超越13B的Llama2`: from the verb through the first model named after it (and that
    model's size), so the size in `超越llama2的元象开源模型13B模型` stays the entry's own.
    `和Bloom相似`: everything before the trailing comparison word.
    """
    clause = text[clause_start:clause_end]
    spans = []
    for verb in rules.comparison_before.finditer(clause):
        model = _first_model_mention(rules, clause, verb.end())
        spans.append((clause_start + verb.start(), clause_start + (model if model is not None else len(clause))))
    for word in rules.comparison_after.finditer(clause):
        spans.append((clause_start, clause_start + word.start()))
    return spans


def _first_model_mention(rules: Rules, clause: str, after: int) -> int | None:
    """End of the first model name after `after` (with a size right behind it), if any."""
    ends = []
    for _, pattern in rules.lineage_names:
        match = pattern.search(clause, after)
        if match:
            ends.append((match.start(), match.end()))
    match = rules.compared_model_names.search(clause, after)
    if match:
        ends.append((match.start(), match.end()))
    if not ends:
        return None
    first = min(start for start, _ in ends)
    end = max(end for start, end in ends if start == first)  # `Llama2`, not its prefix `Llama`
    size = re.match(rf"[\s-]*{NUMBER}\s*b(?![A-Za-z])", clause[end:], re.IGNORECASE)
    return end + (size.end() if size else 0)


# --- numbers -------------------------------------------------------------------------


def _training_tokens(scan: _Scan) -> None:
    for match in scan.rules.training_tokens.finditer(scan.text):
        if not (match.group("num") or match.group("over")) or not scan.is_free(*match.span()):
            continue
        value = to_int(match.group("num") or "1", scan.rules.magnitude(match.group("unit")))
        scan.add(ClaimKind.TRAINING_TOKENS, value, *match.span())
        scan.take(*match.span())


def _active_parameters(scan: _Scan) -> None:
    for match in scan.rules.active_parameters.finditer(scan.text):
        if scan.is_free(*match.span()):
            value = to_int(match.group("num"), scan.rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.ACTIVE_PARAMETERS, value, *match.span())
            scan.take(*match.span())


def _context_lengths(scan: _Scan, in_name: bool) -> None:
    rules = scan.rules
    for match in rules.context_with_unit.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        has_cue = bool(match.group("before") or match.group("after"))
        if match.group("unit").lower() == "m" and not has_cue:
            continue  # `125M` is a parameter count
        if not (has_cue or in_name) or scan.is_about_something_else(match.end()):
            continue  # `80k ShareGPT对话`: a dataset size
        value = to_int(match.group("num"), rules.magnitude(match.group("unit")))
        scan.add(ClaimKind.CONTEXT_LENGTH, value, *match.span())
        scan.take(*match.span())
    for match in rules.context_plain_number.finditer(scan.text):
        if scan.is_free(*match.span()):
            unit = match.group("unit")
            value = to_int(match.group("num"), rules.magnitude(unit) if unit else Decimal(1))
            scan.add(ClaimKind.CONTEXT_LENGTH, value, *match.span())
            scan.take(*match.span())


def _parameter_ranges(scan: _Scan) -> None:
    rules = scan.rules
    for match in rules.parameter_range.finditer(scan.text):
        start, end = match.span()
        before = scan.text[start - 1] if start > 0 else ""
        if match.group("low_unit") is None and re.match(r"[A-Za-z\-]", before):
            continue  # `Qwen1-7B` is a name and a size, not a range from 1 to 7
        if not scan.is_free(start, end):
            continue
        unit = rules.magnitude(match.group("unit"))
        low = to_int(match.group("low"), rules.magnitude(match.group("low_unit")) if match.group("low_unit") else unit)
        high = to_int(match.group("high"), unit)
        if low >= high:
            continue
        scan.take(start, end)
        if not scan.is_compared(start, end) and not scan.is_about_something_else(end):
            scan.add(ClaimKind.PARAMETER_RANGE, ParameterRange(min=low, max=high), start, end)
    for match in rules.parameter_upper_bound.finditer(scan.text):
        start, end = match.span()
        if not scan.is_free(start, end):
            continue
        scan.take(start, end)
        if not scan.is_compared(start, end) and not scan.is_about_something_else(end):
            high = to_int(match.group("num"), rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.PARAMETER_RANGE, ParameterRange(min=None, max=high), start, end)


def _parameter_counts(scan: _Scan, in_name: bool) -> None:
    rules = scan.rules
    for match in rules.parameter_with_word.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        number = match.group("num") or match.group("num2") or "1"
        unit = match.group("unit") or match.group("unit2")
        scan.take(*match.span())
        if not scan.is_compared(*match.span()):
            scan.add(ClaimKind.PARAMETERS, to_int(number, rules.magnitude(unit)), *match.span())
    sizes = rules.parameter_size_in_name if in_name else rules.parameter_size
    for match in sizes.finditer(scan.text):
        start, end = match.span()
        if not scan.is_free(start, end):
            continue
        scan.take(start, end)
        if scan.is_compared(start, end) or scan.is_about_something_else(end):
            continue
        multiplier = rules.magnitude(match.group("unit"))
        for head_start, head_end, number in _unitless_list_head(scan, start):
            scan.take(head_start, head_end)
            scan.add(ClaimKind.PARAMETERS, to_int(number, multiplier), head_start, head_end)
        scan.add(ClaimKind.PARAMETERS, to_int(match.group("num"), multiplier), start, end)


def _unitless_list_head(scan: _Scan, start: int) -> list[tuple[int, int, str]]:
    """`7/13B`: the numbers before a size that share its unit."""
    clause_start, _ = scan.clause_bounds(start)
    head = scan.rules.list_head.search(scan.text, clause_start, start)
    if not head:
        return []
    items = []
    for number in _NUMBER.finditer(scan.text, head.start(), head.end()):
        has_unit = scan.rules.size_unit_prefix.match(scan.text, number.end(), head.end())
        if not has_unit and scan.is_free(*number.span()):
            items.append((number.start(), number.end(), number.group()))
    return items


# --- words ---------------------------------------------------------------------------


def _licences(scan: _Scan) -> None:
    rules = scan.rules
    for match in rules.license_phrase.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        value = rules.license_value(match.group())
        start = match.start()
        negation = rules.license_negation.search(scan.text, 0, start)
        if negation:
            if value != "commercial":
                continue
            value, start = rules.raw["license"]["negated_value"], negation.start()
        scan.add(ClaimKind.LICENSE, value, start, match.end())
        scan.take(start, match.end())


def _architectures(scan: _Scan) -> None:
    for value, pattern in scan.rules.architectures:
        for match in pattern.finditer(scan.text):
            if scan.is_free(*match.span()):
                scan.add(ClaimKind.ARCHITECTURE, value, *match.span())
                scan.take(*match.span())


def _lineage(scan: _Scan) -> None:
    rules, text = scan.rules, scan.text
    for slug, pattern in rules.lineage_names:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not scan.is_free(start, end):
                continue
            scan.take(start, end)
            if (
                rules.lineage_not_right_after.match(text[end:])
                or rules.lineage_not_after.match(text[end:])
                or rules.lineage_not_before.search(text, 0, start)
                or scan.is_compared(start, end)
            ):
                continue
            clause_start, _ = scan.clause_bounds(start)
            before = rules.lineage_phrase_before.search(text, clause_start, start)
            after = rules.lineage_phrase_after.match(text[end:])
            phrase_start = before.start() if before else start
            phrase_end = end + (after.end() if after else 0)
            scan.add(ClaimKind.BASE_MODEL, slug, phrase_start, phrase_end)


def _languages(scan: _Scan) -> None:
    rules = scan.rules
    for match in rules.not_languages.finditer(scan.text):
        scan.take(*match.span())
    for match in rules.language_run.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        codes: list[str] = []
        for word in rules.language_word.finditer(match.group()):
            codes += [code for code in rules.languages_of(word.group()) if code not in codes]
        scan.add(ClaimKind.LANGUAGES, codes, *match.span())
        scan.take(*match.span())
    for match in rules.language_count.finditer(scan.text):
        before = scan.text[match.start() - 1] if match.start() > 0 else ""
        if scan.is_free(*match.span()) and not re.match(r"[A-Za-z\d.\-]", before):
            scan.add(ClaimKind.LANGUAGE_COUNT, int(match.group("num")), *match.span())
            scan.take(*match.span())


def _qualitative(scan: _Scan) -> None:
    """One claim per clause that still holds a superlative or a comparison."""
    seen: set[tuple[int, int]] = set()
    for match in scan.rules.qualitative.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        bounds = scan.clause_bounds(match.start())
        if bounds in seen:
            continue
        seen.add(bounds)
        start, end = bounds
        clause = scan.text[start:end]
        # Trim the quotes and spaces around the clause; keep its words exact.
        lead = len(clause) - len(clause.lstrip(" “”\"'~"))
        trail = len(clause) - len(clause.rstrip(" “”\"'~"))
        scan.add(ClaimKind.QUALITATIVE, None, start + lead, end - trail)


# --- cells ---------------------------------------------------------------------------


def claims_from_name(name: str, rules: Rules) -> list[Claim]:
    """What a name says by itself: `MPT-30B`, `YI-200K`, `Qwen1.5-MoE-A2.7B`, `Chinese-…`."""
    scan = _Scan(name, "name", rules)
    _active_parameters(scan)
    _context_lengths(scan, in_name=True)
    _parameter_ranges(scan)
    _parameter_counts(scan, in_name=True)
    _architectures(scan)
    _languages(scan)
    return [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]


def claims_from_text(text: str, field_name: str, rules: Rules) -> list[Claim]:
    """Every claim in a free-text cell (a description), in the order the words appear."""
    scan = _Scan(text, field_name, rules)
    _training_tokens(scan)
    _active_parameters(scan)
    _context_lengths(scan, in_name=False)
    _parameter_ranges(scan)
    _parameter_counts(scan, in_name=False)
    _licences(scan)
    _architectures(scan)
    _lineage(scan)
    _languages(scan)
    _qualitative(scan)
    return [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact: the first words that state it are kept (the name before the description)."""
    seen: set[tuple[ClaimKind, object]] = set()
    unique = []
    for claim in claims:
        key = (claim.kind, claim.value_key())
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


# --- fact columns --------------------------------------------------------------------

_COLUMN_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([kKmM](?![A-Za-z]))?")
_COLUMN_RANGE = re.compile(rf"^\s*~?\s*({NUMBER})\s*(?:-|–|—|~|to)\s*({NUMBER})\s*$")
_LICENCE_SEPARATORS = re.compile(r"\s*(?:/|;|,|\bor\b|\band\b|&|、|，)\s*", re.IGNORECASE)


def claims_from_column(role: str, header: str, text: str, rules: Rules) -> tuple[list[Claim], list[str]]:
    """Claims from a fact column (`Params (B)`, `Context Length`, `Licence`, `Tokens (T)`).

    Returns the claims and the parts of the cell that could not be read, so that the
    caller can report them instead of dropping them.
    """
    if not text or text.strip() in {"-", "–", "—", "?", "N/A", "n/a", "TBA", "unknown"}:
        return [], []
    if role == "parameters_billions":
        return _numbers_column(text, header, Decimal(10) ** 9, ClaimKind.PARAMETERS, allow_range=True)
    if role == "training_tokens_trillions":
        return _numbers_column(text, header, Decimal(10) ** 12, ClaimKind.TRAINING_TOKENS, allow_range=False)
    if role == "context_length":
        claims = []
        for match in _COLUMN_NUMBER.finditer(text):
            unit = match.group(2)
            value = to_int(match.group(1), rules.magnitude(unit) if unit else Decimal(1))
            claims.append(Claim(kind=ClaimKind.CONTEXT_LENGTH, value=value, text=match.group().strip(), field=header))
        return claims, ([] if claims else [text])
    if role == "license":
        claims, unknown = [], []
        whole = rules.license_ids.get(re.sub(r"\s+", " ", text.strip().lower()))
        parts = [text.strip()] if whole else [part for part in _LICENCE_SEPARATORS.split(text) if part]
        for part in parts:
            licence_id = rules.license_ids.get(re.sub(r"\s+", " ", part.strip().lower()))
            if licence_id:
                claims.append(Claim(kind=ClaimKind.LICENSE_ID, value=licence_id, text=part.strip(), field=header))
            else:
                unknown.append(part.strip())
        return claims, unknown
    return [], []


def _numbers_column(
    text: str, header: str, multiplier: Decimal, kind: ClaimKind, allow_range: bool
) -> tuple[list[Claim], list[str]]:
    """`7, 13, 70` -> three claims; `0.06 - 11` -> a range (where ranges make sense)."""
    stripped = text.strip()
    span = _COLUMN_RANGE.match(stripped)
    if span and allow_range:
        low, high = to_int(span.group(1), multiplier), to_int(span.group(2), multiplier)
        if low < high:
            value = ParameterRange(min=low, max=high)
            return [Claim(kind=ClaimKind.PARAMETER_RANGE, value=value, text=stripped, field=header)], []
    claims = [
        Claim(kind=kind, value=to_int(match.group(), multiplier), text=match.group(), field=header)
        for match in _NUMBER.finditer(stripped)
        if Decimal(match.group()) > 0
    ]
    return claims, ([] if claims else [stripped])
