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

from pydantic import ValidationError

from syncer.models import Claim, ClaimKind, ParameterRange
from syncer.rules import NUMBER, Pattern, Rules, alternatives
from syncer.vocabulary import CUSTOM_LICENCE

_NUMBER = Pattern(NUMBER)


def to_int(number: str, multiplier: Decimal) -> int:
    """`2.7` x 1e9 -> 2_700_000_000, exactly (no float rounding)."""
    return int((Decimal(number.replace(",", "")) * multiplier).to_integral_value())


def claim_of(kind: ClaimKind, value: object, words: str, field_name: str, at_least: bool = False) -> Claim | None:
    """The claim the words make, or None when their value is none a claim of the kind can have
    (`0K context`, `0B`, `A0B`): such words are no claim, and must not stop the document."""
    try:
        return Claim(kind=kind, value=value, text=words, field=field_name, at_least=at_least)
    except ValidationError:
        return None


@dataclass
class _Scan:
    """One cell being read: its text, which characters are already claimed, and what was found."""

    text: str
    field_name: str
    rules: Rules
    entry_name: str | None = None
    taken: list[bool] = field(init=False)
    found: list[tuple[int, Claim]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.text)

    def is_free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        for index in range(start, end):
            self.taken[index] = True

    def add(self, kind: ClaimKind, value: object, start: int, end: int, at_least: bool = False) -> None:
        claim = claim_of(kind, value, self.text[start:end].strip(), self.field_name, at_least)
        if claim is not None:
            self.found.append((start, claim))

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

    def is_threshold(self, end: int) -> bool:
        """`First 400B+ open model`, `70B+ full tuning`: a bound that models pass, not a size
        (but `7B+13B` lists two)."""
        return bool(_THRESHOLD_AFTER.match(self.text, end))

    def is_about_something_else(self, end: int) -> bool:
        """Whether the words right after a number say it counts data, text or people."""
        return bool(self.rules.not_about_after.match(self.text[end:]))

    def is_of_another_model(self, start: int, value: int) -> bool:
        """Whether a size is glued to a model name that is not the entry's (`WizardCoder-33B`),
        or to a sibling's: `Baichuan-13B` in the text of `Baichuan-7B`, whose name has its own size."""
        if not self.entry_name:
            return False
        owner = _GLUED_OWNER.search(self.text, max(0, start - 40), start)
        if not owner:
            return False
        stem, own_stem = _stem(owner.group("name")), _stem(self.entry_name)
        if not stem:
            return False
        if stem not in own_stem and own_stem not in stem:
            return True
        own_sizes = [claim.value for claim in claims_from_name(self.entry_name, self.rules) if claim.kind is ClaimKind.PARAMETERS]
        return bool(own_sizes) and value not in own_sizes

    def is_of_a_helper_model(self, end: int) -> bool:
        """`一个60亿参数的审核模型`: the size of a model the entry uses beside it, not its own."""
        return bool(self.rules.other_model_after.match(self.text[end:]))

    def is_of_a_named_part(self, start: int, end: int) -> bool:
        """`540B的PaLM语言模型和22B的ViT视觉模型相结合` on PaLM-E: the sizes of the models it is made
        of. Not a family's (`在7B的LLaMA上微调`: the base's size is the fine-tune's), nor the entry's."""
        part = _NAMED_PART.match(self.text, end)
        if not part or any(pattern.fullmatch(part.group("name")) for _, pattern in self.rules.lineage_names):
            return False
        if self.entry_name and _bare(part.group("name")) == _bare(self.entry_name):
            return False  # `70亿参数的Baichuan模型` on Baichuan-7B
        return not self.rules.lineage_phrase_before.search(self.text, self.clause_bounds(start)[0], start)

    def is_for_something_else(self, start: int) -> bool:
        """Whether the clause before a size says it is what a tool tunes or how many use a model."""
        if re.search(r"%\s*[(（]\s*$", self.text[max(0, start - 8) : start]):
            return True  # `80% (800B)`: a share of something counted, not a size
        clause_start, _ = self.clause_bounds(start)
        return bool(self.rules.not_about_before.search(self.text, max(clause_start, start - 60), start))


_NAMED_PART = Pattern(r"\s*的\s*(?P<name>[A-Za-z][A-Za-z\d.\-]*)\s*[\u4e00-\u9fff]{0,2}模型")

# A plus right after the unit, then a space or punctuation: `400B+ open`, not `7B+13B` or `LLaMA-7B+LoRA`.
_THRESHOLD_AFTER = Pattern(r"\+(?=\s*$|\s+(?!\d)|[)）,，.;；:：、])")
# `WizardCoder-33B`, `Llama-3.1-8B`: a product name, its version parts, then the size.
# A Chinese character may come right before the name: `又发布了WizardCoder-15B`.
_GLUED_OWNER = Pattern(r"(?<!(?-i:[A-Za-z0-9_.-]))(?P<name>[A-Za-z][A-Za-z]+)(?:[-_.]?[vV]?\d+(?:\.\d+)*)*[-_]$")


def _bare(name: str) -> str:
    """A name without its sizes, separators and case: `Baichuan-7B` -> `baichuan`, `PaLM-E` -> `palme`."""
    return re.sub(r"[^a-z\d]", "", re.sub(rf"{NUMBER}\s*[BbMmKk]\b", "", name).lower())


def _stem(name: str) -> str:
    """The letters of a name's first word, lower case: `Qwen2.5-7B` -> `qwen`, `Code Llama` -> `code`."""
    match = re.match(r"[^A-Za-z]*([A-Za-z]+)", name)
    return match.group(1).lower() if match else ""


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
    size = re.match(rf"[\s-]*{NUMBER}\s*b(?!(?-i:[A-Za-z]))", clause[end:], re.IGNORECASE)
    end += size.end() if size else 0
    # `beat same class GPT-J/Pythia/LLaMA`: a list of compared models is compared whole.
    while (joiner := _LIST_JOINER.match(clause, end)) and (following := _first_model_mention(rules, clause, joiner.end())):
        if _model_starts_at(rules, clause, joiner.end()):
            end = following
            continue
        break
    return end


_LIST_JOINER = Pattern(r"\s*(?:/|、|,|，|\band\b|\bor\b|和|及|与)\s*", re.IGNORECASE)


def _model_starts_at(rules: Rules, clause: str, position: int) -> bool:
    if rules.compared_model_names.match(clause, position):
        return True
    return any(pattern.match(clause, position) for _, pattern in rules.lineage_names)


# --- numbers -------------------------------------------------------------------------


def _examples(scan: _Scan) -> None:
    """A sentence that opens with `例如`/`for example` illustrates (what a toolkit can train, what
    a model of some size costs): none of its words are claims about the entry."""
    for match in scan.rules.example_opener.finditer(scan.text):
        end = _SENTENCE_END.search(scan.text, match.end())
        scan.take(match.start(), end.start() if end else len(scan.text))


def _training_tokens(scan: _Scan) -> None:
    for match in scan.rules.training_tokens.finditer(scan.text):
        if not (match.group("num") or match.group("num_word") or match.group("over")) or not scan.is_free(*match.span()):
            continue
        unit = scan.rules.magnitude(match.group("unit"))
        if match.group("listed"):
            for listed in scan.rules.token_unit.finditer(scan.text, match.start("listed"), match.end("listed")):
                own = scan.rules.magnitude(listed.group("unit")) if listed.group("unit") else unit
                scan.add(ClaimKind.TRAINING_TOKENS, to_int(listed.group("num"), own), *listed.span())
        number = match.group("num") or str(scan.rules.token_number_words.get((match.group("num_word") or "").lower(), 1))
        value = to_int(number, unit)
        scan.add(ClaimKind.TRAINING_TOKENS, value, match.start("num") if match.group("listed") else match.start(), match.end())
        scan.take(*match.span())


def _mixtures(scan: _Scan) -> None:
    """`8x7B`: eight experts of 7B. A mixture of experts, and neither an 8B nor a 7B model."""
    for match in scan.rules.moe_size.finditer(scan.text):
        if scan.is_free(*match.span()):
            scan.add(ClaimKind.ARCHITECTURE, "moe", *match.span())
            scan.take(*match.span())


# `355B/32B MoE`, `1T/32B MoE`: a total over its active size, when an MoE is named right after.
_TOTAL_OVER_ACTIVE = Pattern(
    rf"(?<![\w.])(?P<total>{NUMBER})\s*(?P<total_unit>[BbTt])\s*/\s*(?P<active>{NUMBER})\s*(?P<active_unit>[Bb])"
    r"(?=\s*(?:激活\s*)?(?:MoE|moe|混合专家|active|activated|激活))"
)


def _active_parameters(scan: _Scan) -> None:
    for match in _TOTAL_OVER_ACTIVE.finditer(scan.text):
        total = to_int(match.group("total"), scan.rules.magnitude(match.group("total_unit").lower()))
        active = to_int(match.group("active"), scan.rules.magnitude(match.group("active_unit").lower()))
        if active < total and scan.is_free(*match.span()):
            scan.add(ClaimKind.PARAMETERS, total, match.start("total"), match.end("total_unit"))
            scan.add(ClaimKind.ACTIVE_PARAMETERS, active, match.start("active"), match.end("active_unit"))
            scan.take(*match.span())
    for match in scan.rules.active_after.finditer(scan.text):
        if scan.is_free(*match.span()):
            value = to_int(match.group("num"), scan.rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.ACTIVE_PARAMETERS, value, *match.span())
            scan.take(*match.span())
    for match in scan.rules.active_parameters.finditer(scan.text):
        if scan.is_free(*match.span()):
            value = to_int(match.group("num"), scan.rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.ACTIVE_PARAMETERS, value, *match.span())
            scan.take(*match.span())


_VOCABULARY_AFTER = Pattern(r"\s*(?:tokens?\s+)?(?:vocab|vocabulary|词表)", re.IGNORECASE)
_CONTEXT_LISTED_BEFORE = Pattern(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>[kK])\s*[/、,，]\s*$")


def _context_lengths(scan: _Scan, in_name: bool) -> None:
    rules = scan.rules
    if in_name:
        for match in rules.context_in_name.finditer(scan.text):
            if scan.is_free(*match.span()):
                scan.add(ClaimKind.CONTEXT_LENGTH, to_int(match.group("num"), rules.magnitude("m")), *match.span())
                scan.take(*match.span())
    for match in rules.context_in_parentheses.finditer(scan.text):  # `long context (32K+)`
        if scan.is_free(*match.span()):
            value = to_int(match.group("num"), rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.CONTEXT_LENGTH, value, *match.span(), at_least=bool(match.group("plus")))
            scan.take(*match.span())
    for match in rules.context_with_unit.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        has_cue = bool(match.group("before") or match.group("after"))
        if match.group("unit").lower() == "m" and not has_cue:
            continue  # `125M` is a parameter count
        if not (has_cue or in_name) or scan.is_about_something_else(match.end()):
            continue  # `80k ShareGPT对话`: a dataset size
        if _VOCABULARY_AFTER.match(scan.text, match.end()):
            continue  # `250k token vocab`: a vocabulary size
        value = to_int(match.group("num"), rules.magnitude(match.group("unit")))
        scan.add(ClaimKind.CONTEXT_LENGTH, value, *match.span(), at_least=bool(match.group("plus")))
        scan.take(*match.span())
        listed = _CONTEXT_LISTED_BEFORE.search(scan.text, 0, match.start("num"))
        if listed and scan.is_free(*listed.span("num")):  # `9k/100k tokens`: both windows
            earlier = to_int(listed.group("num"), rules.magnitude(listed.group("unit")))
            scan.add(ClaimKind.CONTEXT_LENGTH, earlier, listed.start("num"), listed.end("unit"))
            scan.take(listed.start(), listed.end())
    for match in rules.context_plain_number.finditer(scan.text):
        if scan.is_free(*match.span()):
            unit = match.group("unit")
            value = to_int(match.group("num"), rules.magnitude(unit) if unit else Decimal(1))
            scan.add(ClaimKind.CONTEXT_LENGTH, value, *match.span())
            scan.take(*match.span())


def _parameter_ranges(scan: _Scan, in_name: bool = False) -> None:
    rules = scan.rules
    for match in rules.parameter_range.finditer(scan.text):
        start, end = match.span()
        before = scan.text[start - 1] if start > 0 else ""
        if match.group("low_unit") is None and re.match(r"[A-Za-z\-]", before):
            continue  # `Qwen1-7B` is a name and a size, not a range from 1 to 7
        is_version = in_name or ("." in match.group("low") and not match.group("low_unit"))
        after_product = re.search(r"(?<![\w.])[A-Z][\w.-]*\s$", scan.text[max(0, start - 30) : start])
        if is_version and ((before and not re.match(r"[\s(（]", before)) or (before == " " and after_product and not in_name)):
            continue  # `源2.0-102B`, `Yuan-2.0-102B`: a version, then a size
        if not scan.is_free(start, end):
            continue
        unit = rules.magnitude(match.group("unit"))
        low = to_int(match.group("low"), rules.magnitude(match.group("low_unit")) if match.group("low_unit") else unit)
        high = to_int(match.group("high"), unit)
        if low >= high:
            continue
        scan.take(start, end)
        if not scan.is_compared(start, end) and not scan.is_about_something_else(end) and not scan.is_for_something_else(start):
            scan.add(ClaimKind.PARAMETER_RANGE, ParameterRange(min=low, max=high), start, end)
    for match in rules.parameter_upper_bound.finditer(scan.text):
        start, end = match.span()
        if not scan.is_free(start, end):
            continue
        scan.take(start, end)
        if not scan.is_compared(start, end) and not scan.is_about_something_else(end):
            high = to_int(match.group("num"), rules.magnitude(match.group("unit")))
            scan.add(ClaimKind.PARAMETER_RANGE, ParameterRange(min=None, max=high), start, end)


def _small_size_lists(scan: _Scan) -> None:
    """`86M, 22M`: a size in millions needs a parameter word alone (`125M parameters`), but not in
    a list of them, unless what follows counts something else (`86M, 22M downloads`)."""
    for match in scan.rules.small_size_list.finditer(scan.text):
        start, end = match.span()
        if not scan.is_free(start, end):
            continue
        if scan.is_compared(start, end) or scan.is_about_something_else(end) or scan.is_for_something_else(start):
            continue
        if scan.rules.parameter_with_word.match(scan.text, start) or scan.is_threshold(end):
            continue  # the word reads them: `135M, 360M parameters`
        scan.take(start, end)
        for size in re.finditer(rf"({NUMBER})\s*([A-Za-z]+)", match.group()):
            value = to_int(size.group(1), scan.rules.magnitude(size.group(2)))
            scan.add(ClaimKind.PARAMETERS, value, start + size.start(), start + size.end())


def _parameter_counts(scan: _Scan, in_name: bool) -> None:
    rules = scan.rules
    for match in rules.parameter_with_word.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        number = match.group("num") or match.group("num2") or "1"
        unit = match.group("unit") or match.group("unit2")
        scan.take(*match.span())
        if (
            not scan.is_compared(*match.span())
            and not scan.is_for_something_else(match.start())
            and not scan.is_of_a_helper_model(match.end())
            and not scan.is_of_a_named_part(match.start(), match.end())
        ):
            multiplier = rules.magnitude(unit)
            if match.group("num"):  # `135M, 360M, and 1.7B parameters`
                for head_start, head_end, listed, own in _unitless_list_head(scan, match.start(), in_name):
                    scan.take(head_start, head_end)
                    scan.add(ClaimKind.PARAMETERS, to_int(listed, own or multiplier), head_start, head_end)
            scan.add(ClaimKind.PARAMETERS, to_int(number, multiplier), *match.span())
    sizes = rules.parameter_size_in_name if in_name else rules.parameter_size
    for match in sizes.finditer(scan.text):
        start, end = match.span()
        if not scan.is_free(start, end):
            continue
        scan.take(start, end)
        if (
            scan.is_compared(start, end)
            or scan.is_threshold(end)
            or scan.is_about_something_else(end)
            or scan.is_for_something_else(start)
            or scan.is_of_a_helper_model(end)
            or scan.is_of_a_named_part(start, end)
            or scan.is_of_another_model(start, to_int(match.group("num"), rules.magnitude(match.group("unit"))))
        ):
            continue
        multiplier = rules.magnitude(match.group("unit"))
        for head_start, head_end, number, own_multiplier in _unitless_list_head(scan, start, in_name):
            scan.take(head_start, head_end)
            scan.add(ClaimKind.PARAMETERS, to_int(number, own_multiplier or multiplier), head_start, head_end)
        scan.add(ClaimKind.PARAMETERS, to_int(match.group("num"), multiplier), start, end)


# `Qwen-1_8B`: in a name, an underscore between digits after a separator is a decimal point.
_UNDERSCORE_DECIMAL = Pattern(r"(?<=[-_\s])(?P<whole>\d+)_(?P<part>\d+)\s*(?P<unit>[bm])(?!(?-i:[A-Za-z\d]))", re.IGNORECASE)


def _underscore_decimals(scan: _Scan) -> None:
    for match in _UNDERSCORE_DECIMAL.finditer(scan.text):
        if scan.is_free(*match.span()):
            number = f"{match.group('whole')}.{match.group('part')}"
            scan.add(ClaimKind.PARAMETERS, to_int(number, scan.rules.magnitude(match.group("unit"))), *match.span())
            scan.take(*match.span())


_SENTENCE_END = Pattern(r"[。；;!！?？\n]|\.\s")
_MILLIONS = Pattern(r"\s*(?:m|million)(?!(?-i:[A-Za-z]))", re.IGNORECASE)


def _unitless_list_head(scan: _Scan, start: int, in_name: bool = False) -> list[tuple[int, int, str, Decimal | None]]:
    """`7/13B`, `Llama 2-7|13|70B`, `135M, 360M, and 1.7B`: the numbers before a size that it lists
    with, each with its own unit (millions) or None for the size's unit. A list may run across
    commas, so it is searched back to the sentence's start."""
    sentence_start = 0
    for end in _SENTENCE_END.finditer(scan.text, 0, start):
        sentence_start = end.end()
    pattern = scan.rules.list_head_in_name if in_name else scan.rules.list_head
    head = pattern.search(scan.text, sentence_start, start)
    if not head:
        return []
    items: list[tuple[int, int, str, Decimal | None]] = []
    for number in _NUMBER.finditer(scan.text, head.start(), head.end()):
        if not scan.is_free(*number.span()):
            continue
        millions = _MILLIONS.match(scan.text, number.end(), head.end())
        if millions:
            items.append((number.start(), millions.end(), number.group(), Decimal(10) ** 6))
        elif not scan.rules.size_unit_prefix.match(scan.text, number.end(), head.end()):
            items.append((number.start(), number.end(), number.group(), None))
    return items


# --- words ---------------------------------------------------------------------------


def _licences(scan: _Scan) -> None:
    rules = scan.rules
    for match in rules.license_phrase.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        value = rules.license_value(match.group())
        start = match.start()
        if rules.license_of_another.search(scan.text, max(0, start - 20), start):
            scan.take(start, match.end())  # `基于可商用的LLaMA-2`: what the entry is built on
            continue
        negation = rules.license_negation.search(scan.text, 0, start)
        if negation:
            if value != "commercial":
                continue
            value, start = rules.negated_licence_value, negation.start()
        if value == "commercial":
            clause_start, clause_end = scan.clause_bounds(match.start())
            outside = scan.text[clause_start:start] + " " + scan.text[match.end() : clause_end]
            if rules.license_condition.search(outside):
                value = "conditional"  # `Commercial use allowed under 700M monthly users`
        if not any(claim.kind is ClaimKind.LICENSE and claim.value == value for _, claim in scan.found):
            scan.add(ClaimKind.LICENSE, value, start, match.end())  # `research only, non-commercial use`: said once
        scan.take(start, match.end())


def _custom_variants(scan: _Scan) -> None:
    """`Custom Apache 2.0 with an acceptable use policy`: a licence of its own that borrows a
    known one's name is `other`, its words the name it was given - not the licence it borrows."""
    for match in scan.rules.license_variant.finditer(scan.text):
        if scan.is_free(*match.span()):
            scan.add(ClaimKind.LICENSE_ID, CUSTOM_LICENCE, *match.span())
            scan.take(*match.span())


def _licence_names(scan: _Scan) -> None:
    """`Apache 2.0`, `Llama 3.1 Community License`, `MIT licensed` in prose: the Hub's licence id."""
    _custom_variants(scan)
    for pattern in (scan.rules.license_name_in_text, scan.rules.license_name_licensed):
        for match in pattern.finditer(scan.text):
            if scan.is_free(*match.span()):
                name = match.group("name") if "name" in match.re.groupindex else match.group()
                scan.add(ClaimKind.LICENSE_ID, scan.rules.license_id_of(name), *match.span())
                scan.take(*match.span())


def _architectures(scan: _Scan) -> None:
    for value, pattern in scan.rules.architectures:
        for match in pattern.finditer(scan.text):
            if scan.is_free(*match.span()):
                scan.add(ClaimKind.ARCHITECTURE, value, *match.span())
                scan.take(*match.span())


_SIZE_BEFORE = Pattern(r"\d\s*(?:[BbMmTt]|亿|billion|million)\s*[-)）]?\s*$")
_SIZE_AFTER = Pattern(r"\s*[-(（]?\s*(?:[~≈约]\s*)?\d+(?:\.\d+)?\s*(?:[BbMmTt](?!(?-i:[A-Za-z]))|亿|billion|million)")


def _size_architectures(scan: _Scan, anywhere: bool = False) -> None:
    """`Dense 7B`, `1.5B-70B dense`, `389B MoE`: a word beside a size naming its architecture
    (`anywhere` in a size cell)."""
    for value, pattern in scan.rules.size_architectures:
        for match in pattern.finditer(scan.text):
            start, end = match.span()
            beside = _SIZE_BEFORE.search(scan.text, 0, start) or _SIZE_AFTER.match(scan.text, end)
            if scan.is_free(start, end) and (anywhere or beside):
                scan.add(ClaimKind.ARCHITECTURE, value, start, end)
                scan.take(start, end)


_BASE_SIZE_AFTER = Pattern(rf"[\s-]*{NUMBER}\s*b(?!(?-i:[A-Za-z]))(?:\s*/\s*{NUMBER}\s*b(?!(?-i:[A-Za-z])))*", re.IGNORECASE)


def _lineage_sizes(scan: _Scan) -> None:
    """`基于LLaMA-7B`, `fine-tuned from Llama 2 13B`, `在GPT-J-6B上微调`: the base model's size
    belongs to the lineage claim, not to the entry (whose own size may differ)."""
    rules, text = scan.rules, scan.text
    for _, pattern in rules.lineage_names:
        for match in pattern.finditer(text):
            size = _BASE_SIZE_AFTER.match(text, match.end())
            if not size:
                continue
            size_end = size.end()
            clause_start, _ = scan.clause_bounds(match.start())
            cue_before = rules.lineage_phrase_before.search(text, clause_start, match.start())
            after = rules.lineage_phrase_after.match(text[match.end() :])
            cue_after = after and match.end() + after.end() > size_end
            if (cue_before and cue_before.group().strip().lower() != "the") or cue_after:
                scan.take(match.end(), size_end)


def _other_models_sizes(scan: _Scan) -> None:
    """Sizes of models that are not the entry: a base of any name (`based on openflamingo-9B`)
    and counted models (`a merge of 3 Mistral-7B`)."""
    for pattern in (scan.rules.base_size, scan.rules.counted_model):
        for match in pattern.finditer(scan.text):
            if scan.is_free(*match.span("size")):
                scan.take(*match.span("size"))


def own_families(name: str | None, rules: Rules) -> set[str]:
    """The families an entry's name is a member of: `Qwen1.5`, `通义千问Qwen-7B`, `Llama 3.2 Vision`
    are Qwen and Llama themselves. A name that says more than the family (`Llama2-Chinese`,
    `Code Llama`, `Chinese-LLaMA-Alpaca`) is a model built on it, and its lineage is a claim."""
    if not name:
        return set()
    found = {slug for slug, pattern in rules.lineage_names if pattern.search(name)}
    if not found:
        return set()
    rest = name
    for slug, pattern in rules.lineage_names:
        if slug in found:
            rest = pattern.sub(" ", rest)
    rest = rules.lineage_member_words.sub(" ", rest)
    rest = rules.vendor_word.sub(" ", rest)
    if rules.language_word.search(rest) or re.search(r"[A-Za-z]{2,}", re.sub(r"\b[vV]?\d+(?:\.\d+)*[A-Za-z]?\b", " ", rest)):
        return set()
    return found


LISTED_REACH = 120  # characters back to a `supports` cue: one sentence of a list of models


def _lineage(scan: _Scan) -> None:
    rules, text = scan.rules, scan.text
    own = own_families(scan.entry_name, rules)
    for slug, pattern in rules.lineage_names:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not scan.is_free(start, end):
                continue
            scan.take(start, end)
            if (
                slug in own  # `the first Qwen series` on Qwen, `Baichuan-13B` on Baichuan-7B: the entry's own family
                or rules.lineage_not_right_after.match(text[end:])
                or rules.lineage_not_after.match(text[end:])
                or rules.lineage_not_before.search(text, 0, start)
                or rules.lineage_listed.search(text, max(0, start - LISTED_REACH), start)
                or (rules.lineage_listed_first.search(text, 0, start) and rules.lineage_list_goes_on.match(text[end:]))
                or scan.is_compared(start, end)
            ):
                continue
            clause_start, _ = scan.clause_bounds(start)
            before = rules.lineage_phrase_before.search(text, clause_start, start)
            if before and _of_another_model(scan, clause_start, before.start(), before.group()):
                continue
            if not before and _in_another_name(scan, start, end):
                continue
            after = rules.lineage_phrase_after.match(text[end:])
            phrase_start = before.start() if before else start
            phrase_end = end + (after.end() if after else 0)
            scan.add(ClaimKind.BASE_MODEL, slug, phrase_start, phrase_end)


_SUBJECT = Pattern(r"(?:^|[\s、/])(?P<name>[A-Za-z][A-Za-z\d_.-]{1,40})\s*$")
_CJK = Pattern(r"[\u4e00-\u9fff]")


def _of_another_model(scan: _Scan, clause_start: int, cue_start: int, cue: str) -> bool:
    """Whether the base cue at `cue_start` gives another model's lineage: after `另有` (`另有基于
    ChatGLM 的Med-ChatGLM`), or right after a model's name that is not the entry's (`IvyGPT基于
    ChatGLM2` on XrayGLM). Only before a Chinese cue: an English subject (`Model based on`)
    is as often a common word."""
    text = scan.text
    if scan.rules.lineage_another_model.search(text, clause_start, cue_start):
        return True
    subject = _SUBJECT.search(text, clause_start, cue_start)
    if subject is None or not _CJK.search(cue):
        return False
    return not _names_alike(subject.group("name"), scan.entry_name or "")


_NAME_CHARS_BEFORE = Pattern(r"[A-Za-z\d_.-]*$")
_NAME_CHARS_AFTER = Pattern(r"[A-Za-z\d_.-]*")


def _in_another_name(scan: _Scan, start: int, end: int) -> bool:
    """Whether the family at text[start:end] is part of another model's name, with no base cue:
    `Med-ChatGLM` in `另有基于 ChatGLM 的Med-ChatGLM` on 本草 (`Chinese-LLaMA` on its own entry is
    the entry's)."""
    text = scan.text
    head = _NAME_CHARS_BEFORE.search(text, 0, start)
    tail = _NAME_CHARS_AFTER.match(text, end)
    if head is None or tail is None or "-" not in head.group() or not re.search(r"[A-Za-z]", head.group()):
        return False  # the family starts the name (`ChatGLM2-6B`): the family itself
    if scan.rules.lineage_phrase_before.search(text, scan.clause_bounds(head.start())[0], head.start()):
        return False  # `基于Ziya-LLaMA-13B`: built on a model of the family
    name = text[head.start() : tail.end()].strip("-_.")
    return not _names_alike(name, scan.entry_name or "")


def _names_alike(one: str, other: str) -> bool:
    """`BELLE-7B` and `BELLE`, `Chinese-Vicuna` and `Chinese Vicuna`: one names the other."""
    a, b = _bare(one), _bare(other)
    return bool(a and b) and (a in b or b in a or a[:4] == b[:4])


def _languages(scan: _Scan) -> None:
    rules = scan.rules
    for match in rules.not_languages.finditer(scan.text):
        scan.take(*match.span())
    for match in rules.abbreviation_run.finditer(scan.text):  # `中、英、俄、西、法、葡…等语种`
        if scan.is_free(*match.span()):
            scan.add(ClaimKind.LANGUAGES, _abbreviated(match.group(), rules), *match.span())
            scan.take(*match.span())
    for match in rules.language_run.finditer(scan.text):
        if not scan.is_free(*match.span()):
            continue
        words = list(rules.language_word.finditer(match.group()))
        # `Chinese benchmarks`, `中文和英文 benchmark`, `first Chinese RL reasoning model`
        other = rules.not_a_language_after.match(scan.text, match.end()) or (
            len(words) == 1 and rules.not_a_language_before.search(scan.text, 0, match.start())
        )
        if (
            other
            or rules.language_negation.search(scan.text, max(0, match.start() - 20), match.start())
            or _is_talked_about(scan, match.start(), match.end())
        ):
            scan.take(*match.span())  # `目前仍然不支持中文`: what the model lacks
            continue
        codes: list[str] = []
        for word in words:
            codes += [code for code in rules.languages_of(word.group()) if code not in codes]
        scan.add(ClaimKind.LANGUAGES, codes, *match.span())
        scan.take(*match.span())
    for match in rules.language_count.finditer(scan.text):
        before = scan.text[match.start() - 1] if match.start() > 0 else ""
        if scan.is_free(*match.span()) and not re.match(r"[A-Za-z\d.\-]", before):
            scan.add(ClaimKind.LANGUAGE_COUNT, int(match.group("num")), *match.span())
            scan.take(*match.span())


def _is_talked_about(scan: _Scan, start: int, end: int) -> bool:
    """Whether the clause of a language names it without saying the model supports it: what
    the model is weak in (`中文效果尚有不足`, or `尝试了中文，可谓一塌糊涂`), what is only planned
    (`中文的白泽模型据悉在计划中`), or the language of data (`收集的数据也都是英文`)."""
    rules, text = scan.rules, scan.text
    clause_start, clause_end = scan.clause_bounds(start)
    clause = (clause_start, clause_end)
    if rules.language_shortfall.search(text, *clause) or rules.language_plan.search(text, *clause):
        return True
    before = (clause_start, start)
    if rules.language_data_copula.search(text, *before) and rules.language_data_subject.search(text, *before):
        return True
    if clause_end < len(text) and text[clause_end] in "，,":  # the next clause of the same sentence
        following = scan.clause_bounds(clause_end + 1)
        if rules.language_shortfall.search(text, *following) and not rules.language_word.search(text, *following):
            return True
    return False


def _abbreviated(text: str, rules: Rules) -> list[str]:
    """`中、英、希伯来` -> zh, en, he: longest abbreviation first."""
    codes: list[str] = []
    for word in re.finditer(alternatives(list(rules.language_abbreviations)), text):
        codes += [code for code in rules.language_abbreviations[word.group()] if code not in codes]
    return codes


def _qualitative(scan: _Scan) -> None:
    """One claim per clause that still holds a superlative or a comparison."""
    seen: set[tuple[int, int]] = set()
    for match in scan.rules.not_qualitative.finditer(scan.text):
        scan.take(*match.span())
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
    _mixtures(scan)
    _active_parameters(scan)
    _context_lengths(scan, in_name=True)
    _underscore_decimals(scan)
    _parameter_ranges(scan, in_name=True)
    _parameter_counts(scan, in_name=True)
    _architectures(scan)
    _languages(scan)
    return [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]


def claims_from_text(text: str, field_name: str, rules: Rules, entry_name: str | None = None) -> list[Claim]:
    """Every claim in a free-text cell (a description), in the order the words appear.

    With the entry's name, a size glued to another model's name (`WizardCoder-33B's score`,
    `Llama-3.1-8B-Instruct` in Phi-4's description) is that model's, not the entry's.
    """
    scan = _Scan(text, field_name, rules, entry_name)
    _examples(scan)
    _training_tokens(scan)
    _mixtures(scan)
    _active_parameters(scan)
    _context_lengths(scan, in_name=False)
    _lineage_sizes(scan)
    _other_models_sizes(scan)
    _parameter_ranges(scan)
    _parameter_counts(scan, in_name=False)
    _small_size_lists(scan)
    _licences(scan)
    _licence_names(scan)
    _architectures(scan)
    _size_architectures(scan)
    _lineage(scan)
    _languages(scan)
    _qualitative(scan)
    return [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]


def dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact: the first words that state it are kept (the name before the description).

    Languages named in several places (`中文` … `中英双语`) are one fact: a claim whose
    languages another claim already names in full is dropped.
    """
    seen: set[tuple[ClaimKind, object]] = set()
    unique = []
    for claim in claims:
        key = (claim.kind, claim.value_key())
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    language_sets = [(index, set(claim.value)) for index, claim in enumerate(unique) if isinstance(claim.value, list)]
    redundant = {
        index
        for index, codes in language_sets
        for other, wider in language_sets
        if other != index and codes <= wider and (codes != wider or other < index)
    }
    return [claim for index, claim in enumerate(unique) if index not in redundant]


# --- fact cells ----------------------------------------------------------------------
# A fact column (`Params (B)`, `大小`, `Context Length`, `Licence`, `语言`) holds a value,
# not a sentence: its grammar is the notation of sizes, token counts and licence names.

_SIZE_UNITS = r"(?:亿|十亿|百亿|千亿|万亿|billion|million|trillion|tb|[bmt])"
_GROUPED = r"\d{1,3}(?:,\d{3})+"
_I = re.IGNORECASE
# One size or a range/list of them: `7B`, `0.5~72B`, `{14,31,70}M`, `8x7B`, `255B / A36B`, `1TB`.
SIZE_CELL = Pattern(
    rf"^\s*[~≈>≥<≤约]?\s*(?:A?{NUMBER}\s*{_SIZE_UNITS}?\s*(?:[-~～/|,，、x×]|to|和|及|\s)*\s*)+"
    rf"(?<=[BbMmTt亿])(?:\s*[(（{{][^)）}}]*[)）}}])?\s*$"
    rf"|^\s*\{{[\d.,\s]+\}}\s*{_SIZE_UNITS}\s*$",
    _I,
)
_CELL_SIZE = Pattern(rf"(?<![\w.])(?P<active>A)?(?P<num>{NUMBER})\s*(?P<unit>{_SIZE_UNITS})?(?!(?-i:[A-Za-z\d]))", _I)
_CELL_MOE = Pattern(rf"(?<![\w.])(?P<experts>\d+)\s*[x×]\s*(?P<num>{NUMBER})\s*(?P<unit>[bm])(?!(?-i:[A-Za-z]))", _I)
_CELL_ACTIVE_AFTER = Pattern(rf"(?P<num>{NUMBER})\s*(?P<unit>[bm])\s*(?:active|activated|激活)", _I)
_CELL_BRACE_LIST = Pattern(rf"\{{(?P<items>\s*{NUMBER}(?:\s*,\s*{NUMBER})+\s*)\}}\s*(?P<unit>[bmt])(?!(?-i:[A-Za-z]))", _I)
_CELL_RANGE = Pattern(
    rf"(?<![\w.])(?P<low>{NUMBER})\s*(?P<low_unit>{_SIZE_UNITS})?\s*(?:~|～|–|—|-|to|到|至)\s*"
    rf"(?P<high>{NUMBER})\s*(?P<unit>{_SIZE_UNITS})?(?!(?-i:[A-Za-z\d]))",
    _I,
)
# What a size cell may say besides sizes: a count of tiers `(7档)`, variant words
# `{Hybrid, Thinking-2507}`, `-Chat`, `-MT`. Blanked out before numbers are read.
_CELL_NOISE = Pattern(
    r"[(（]\s*\d+\s*[档个种款版]\s*[)）]"  # `(7档)`: a count of tiers
    r"|\{[^}]*[A-Za-z\u4e00-\u9fff][^}]*\}"  # `{Hybrid, Thinking-2507}`: variant names
    r"|(?<=[\dBbMm])-(?!A\d)[A-Za-z][\w.-]*"  # `-Chat`, `-MT`, but not `-A3B`
    r"|[(（][^)）]*\btokens?\b[^)）]*[)）]"  # `20B (1T tokens)`: what it was trained on
    r"|\\"  # Markdown escapes: `0.5\~72B`
)
_CONTEXT_NUMBER = Pattern(
    rf"(?<![\w.])(?P<num>{_GROUPED}|{NUMBER})\s*(?P<unit>[kKmM](?!(?-i:[A-Za-z])))?(?![\d.]|\s*[bBtT](?!(?-i:[A-Za-z])))"
)
_CONTEXT_VALUE = rf"(?:{_GROUPED}|{NUMBER}\s*[kKmM]?)"
_CONTEXT_CELL = Pattern(rf"^\s*{_CONTEXT_VALUE}(?:\s*(?:[-~/,，、|]|to|\s)\s*{_CONTEXT_VALUE})*\s*(?:tokens?)?\s*$")
_EMPTY_CELL = {
    "", "-", "–", "—", "—-", "?", "/", "x", "n/a", "na", "tba", "tbd", "unknown", "undisclosed", "未知", "未公开", "不详",
}  # fmt: skip
# Plain numbers in a context cell below this are not token windows (`3b`, `(2)`).
MIN_CONTEXT = 128


def is_empty_cell(text: str) -> bool:
    return text.strip().lower() in _EMPTY_CELL


def looks_like_context_cell(text: str) -> bool:
    """`4K`, `32k`, `2K/32K`, `4096`, `128k, 256k` - but not `7B`, a year or a count like `4,326`.

    Used to type a column by its cells, so a bare number must be a window size models
    actually have: a power of two from 512 (`2048`, `131072`).
    """
    if not _CONTEXT_CELL.match(text):
        return False
    numbers = list(_CONTEXT_NUMBER.finditer(text))

    def is_window(match: re.Match[str]) -> bool:
        if match.group("unit"):
            return True
        number = match.group("num").replace(",", "")
        return number.isdigit() and int(number) >= 512 and int(number) & (int(number) - 1) == 0

    return bool(numbers) and all(is_window(match) for match in numbers)


def looks_like_licence_cell(text: str) -> bool:
    from syncer.rules import load_rules

    return bool(load_rules().license_name.search(text)) and len(text) <= 120


def _unit_multiplier(unit: str | None, default: str | None, rules: Rules) -> Decimal | None:
    """The multiplier of a size's own unit, else of the cell's (`7/13TB`: the 7 is 7TB, a
    trillion-parameter size as `1TB` is)."""
    chosen = (unit or default or "").lower()
    if not chosen:
        return None
    return Decimal(10) ** 12 if chosen == "tb" else rules.magnitude(chosen)


def size_cell_claims(text: str, field_name: str, default_unit: str | None, rules: Rules) -> tuple[list[Claim], list[str]]:
    """A size cell: `7B/13B`, `0.5~72B (7档)`, `{14,31,70}M`, `8x7B`, `255B / A36B`, `238B (21B active)`.

    Numbers without a unit take the header's (`Params (B)`), else the unit of the other
    numbers in the cell (`7/13B`); with neither they are not read.
    """
    claims: list[Claim] = []
    work = _CELL_NOISE.sub(lambda m: " " * len(m.group()), text)
    def blank(start: int, end: int) -> None:
        nonlocal work
        work = work[:start] + " " * (end - start) + work[end:]

    for match in _CELL_MOE.finditer(work):
        claims.append(Claim(kind=ClaimKind.ARCHITECTURE, value="moe", text=match.group().strip(), field=field_name))
        blank(*match.span())
    words = _Scan(work, field_name, rules)
    _architectures(words)
    _size_architectures(words, anywhere=True)
    for start, claim in words.found:  # `Dense 7B`, `389B MoE`, `12B-398B MoE`
        claims.append(claim)
        blank(start, start + len(claim.text))
    for match in _CELL_ACTIVE_AFTER.finditer(work):
        value = to_int(match.group("num"), rules.magnitude(match.group("unit").lower()))
        claims += filter(None, [claim_of(ClaimKind.ACTIVE_PARAMETERS, value, match.group().strip(), field_name)])
        blank(*match.span())
    for match in _CELL_BRACE_LIST.finditer(work):
        multiplier = rules.magnitude(match.group("unit").lower())
        for number in _NUMBER.finditer(match.group("items")):
            value = to_int(number.group(), multiplier)
            claims += filter(None, [claim_of(ClaimKind.PARAMETERS, value, match.group().strip(), field_name)])
        blank(*match.span())
    units_seen = [m.group("unit") for m in _CELL_SIZE.finditer(work) if m.group("unit")]
    cell_unit = default_unit or (units_seen[-1] if units_seen else None)
    for match in _CELL_RANGE.finditer(work):
        unit = match.group("unit") or match.group("low_unit")
        range_multiplier = _unit_multiplier(unit, cell_unit if not unit else None, rules)
        if range_multiplier is None or (match.group("low_unit") and not match.group("unit")):
            continue
        multiplier = range_multiplier
        low_multiplier = _unit_multiplier(match.group("low_unit"), None, rules) or multiplier
        low, high = to_int(match.group("low"), low_multiplier), to_int(match.group("high"), multiplier)
        if 0 < low < high:
            span = ParameterRange(min=low, max=high)
            claims.append(Claim(kind=ClaimKind.PARAMETER_RANGE, value=span, text=match.group().strip(), field=field_name))
        blank(*match.span())  # `8-7B` is no range and no two sizes: reported as unread
    for match in _CELL_SIZE.finditer(work):
        size_multiplier = _unit_multiplier(match.group("unit"), None if match.group("unit") else cell_unit, rules)
        if size_multiplier is None:
            continue
        multiplier = size_multiplier
        value = to_int(match.group("num"), multiplier)
        if value <= 0:
            continue
        kind = ClaimKind.ACTIVE_PARAMETERS if match.group("active") else ClaimKind.PARAMETERS
        claims += filter(None, [claim_of(kind, value, match.group().strip(), field_name)])
    unread = [] if claims else [text.strip()]
    return dedupe(claims), unread


def context_cell_claims(text: str, field_name: str, default_unit: str | None, rules: Rules) -> tuple[list[Claim], list[str]]:
    """`2K/32K`, `4096-16K with Sliding Windows`, `128k, 256k, 512k, 1M`, `84k (ALiBi)`."""
    claims: list[Claim] = []
    for match in _CONTEXT_NUMBER.finditer(text):
        unit = match.group("unit") or default_unit
        number = match.group("num")
        if not unit and Decimal(number.replace(",", "")) < MIN_CONTEXT:
            continue
        if re.fullmatch(r"19\d\d|20[0-3]\d", number) and not unit:
            continue  # a year
        if rules.not_about_after.match(text[match.end() :]):
            continue  # `400,000 Chinese characters`
        value = to_int(number, rules.magnitude(unit) if unit else Decimal(1))
        plus = text[match.end() :].startswith("+")  # `32K+`: at least 32K
        words = (match.group() + ("+" if plus else "")).strip()
        claims += filter(None, [claim_of(ClaimKind.CONTEXT_LENGTH, value, words, field_name, at_least=plus)])
    return claims, ([] if claims else [text.strip()])


def tokens_cell_claims(text: str, field_name: str, default_unit: str | None, rules: Rules) -> tuple[list[Claim], list[str]]:
    """`1.4T`, `2.6万亿`, `1T/1.4` (the unit of the other number), `3` under `Tokens (T)`."""
    units = [m.group(2) for m in re.finditer(rf"({NUMBER})\s*(万亿|亿|[tTbB](?!(?-i:[A-Za-z]))|trillion|billion)", text)]
    unit = default_unit or (units[-1] if units else None)
    claims: list[Claim] = []
    for match in re.finditer(rf"(?<![\w.\-])({NUMBER})\s*(万亿|亿|[tTbB](?!(?-i:[A-Za-z]))|trillion|billion)?", text):
        chosen = match.group(2) or unit
        if not chosen:
            continue
        value = to_int(match.group(1), rules.magnitude(chosen.lower()))
        if value > 0:
            claims += filter(None, [claim_of(ClaimKind.TRAINING_TOKENS, value, match.group().strip(), field_name)])
    return claims, ([] if claims else [text.strip()])


def licence_cell_claims(text: str, field_name: str, rules: Rules) -> tuple[list[Claim], list[str]]:
    """Licence names inside free text (`Custom … Free if you have under 700M users`), and what they allow."""
    scan = _Scan(text, field_name, rules)
    _custom_variants(scan)
    for match in rules.license_name.finditer(text):
        if scan.is_free(*match.span()):
            scan.add(ClaimKind.LICENSE_ID, rules.license_id_of(match.group()), *match.span())
    claims = [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]
    if not claims and rules.custom_licence_words.search(text):
        # `Sarashina Model NonCommercial License`, `PLaMo community license`: a licence of its own.
        claims.append(Claim(kind=ClaimKind.LICENSE_ID, value="other", text=text.strip(), field=field_name))
    commercial, _ = commercial_cell_claims(text, field_name, rules, whole_cell=False)
    claims += commercial
    return claims, ([] if claims else [text.strip()])


def commercial_cell_claims(text: str, field_name: str, rules: Rules, whole_cell: bool = True) -> tuple[list[Claim], list[str]]:
    """`可商用`, `部分可商用`, `是`/`否`, `Free if you have under 700M users` (conditional)."""
    stripped = text.strip().lower()
    if whole_cell and stripped in rules.commercial_yes_words:
        return [Claim(kind=ClaimKind.LICENSE, value="commercial", text=text.strip(), field=field_name)], []
    if whole_cell and stripped in rules.commercial_no_words:
        return [Claim(kind=ClaimKind.LICENSE, value="non_commercial", text=text.strip(), field=field_name)], []
    scan = _Scan(text, field_name, rules)
    _licences(scan)
    claims = [claim for _, claim in scan.found if claim.kind is ClaimKind.LICENSE]
    if not claims and re.search(r"\bfree\b|免费", text, re.IGNORECASE) and rules.license_condition.search(text):
        claims = [Claim(kind=ClaimKind.LICENSE, value="conditional", text=text.strip(), field=field_name)]
    elif claims and claims[0].value == "commercial" and rules.license_condition.search(text) and not whole_cell:
        claims = [claims[0].model_copy(update={"value": "conditional", "text": text.strip()})]
    return claims, ([] if claims or not whole_cell else [text.strip()])


def language_cell_claims(text: str, field_name: str, rules: Rules) -> tuple[list[Claim], list[str]]:
    """`中英`, `en/zh`, `English, Chinese`; `multi` names no language."""
    codes: list[str] = []
    for word in rules.language_word.finditer(text):
        codes += [code for code in rules.languages_of(word.group()) if code not in codes]
    codes_in_text = r"(?<!(?-i:[A-Za-z]))(en|zh|ja|ko|fr|de|es|ru|ar|pt|it|vi|th|id)(?!(?-i:[A-Za-z]))"
    for code in re.findall(codes_in_text, text, re.IGNORECASE):
        if code.lower() not in codes:
            codes.append(code.lower())
    if not codes and rules.abbreviation_cell.fullmatch(text):
        codes = _abbreviated(text, rules)  # A language cell may abbreviate to one character each: `中英`, `英`, `中/日`.
    if not codes:
        return [], ([] if re.search(r"multi|多语", text, re.IGNORECASE) else [text.strip()])
    return [Claim(kind=ClaimKind.LANGUAGES, value=codes, text=text.strip(), field=field_name)], []


def architecture_cell_claims(text: str, field_name: str, rules: Rules) -> tuple[list[Claim], list[str]]:
    """`MoE`, `ED` (encoder-decoder), `混合专家`, `Llama (7b, 13b, 70b)`; `CD`/`ND` (decoder-only)
    name no checked architecture. Variants listed beside the architecture are the entry's sizes."""
    scan = _Scan(text, field_name, rules)
    _mixtures(scan)
    _active_parameters(scan)
    _parameter_counts(scan, in_name=True)
    _architectures(scan)
    claims = [claim for _, claim in sorted(scan.found, key=lambda item: item[0])]
    if re.fullmatch(r"\s*(ED|En-?De|Enc-?Dec)\s*", text, re.IGNORECASE):
        claims.append(Claim(kind=ClaimKind.ARCHITECTURE, value="encoder-decoder", text=text.strip(), field=field_name))
    known = claims or re.fullmatch(r"\s*(CD|ND|PD|decoder(-only)?|causal decoder|dense|transformer)\s*", text, re.IGNORECASE)
    return claims, ([] if known else [text.strip()])


def cell_claims(role: str, header: str, text: str, unit: str | None, rules: Rules) -> tuple[list[Claim], list[str]]:
    """The claims of one fact cell, and the parts that could not be read (to be reported)."""
    if is_empty_cell(text):
        return [], []
    if role == "parameters":
        return size_cell_claims(text, header, unit, rules)
    if role == "active_parameters":
        claims, unread = size_cell_claims(text, header, unit, rules)
        active = ClaimKind.ACTIVE_PARAMETERS
        return [c.model_copy(update={"kind": active}) if c.kind is ClaimKind.PARAMETERS else c for c in claims], unread
    if role == "context_length":
        return context_cell_claims(text, header, unit, rules)
    if role == "training_tokens":
        return tokens_cell_claims(text, header, unit or None, rules)
    if role == "license":
        return licence_cell_claims(text, header, rules)
    if role == "commercial":
        return commercial_cell_claims(text, header, rules)
    if role == "languages":
        return language_cell_claims(text, header, rules)
    if role == "architecture":
        return architecture_cell_claims(text, header, rules)
    if role == "base_model":
        scan = _Scan(text, header, rules)
        for slug, pattern in rules.lineage_names:
            for match in pattern.finditer(text):
                if scan.is_free(*match.span()):
                    scan.add(ClaimKind.BASE_MODEL, slug, *match.span())
                    scan.take(*match.span())
        return [claim for _, claim in sorted(scan.found, key=lambda item: item[0])], []
    if role == "training_data":  # its token count; the languages of a corpus are not the model's claim
        return [claim for claim in claims_from_text(text, header, rules) if claim.kind is ClaimKind.TRAINING_TOKENS], []
    if role == "variants":
        claims = []
        for part in re.split(r"[,，、;；]|\s{2,}", text):
            claims += [claim.model_copy(update={"field": header}) for claim in claims_from_name(part.strip(), rules)]
        return claims, []
    return [], []
