"""The extraction vocabulary (`rules/claims.yaml`), loaded once and compiled to patterns.

Words from the file become regular expressions here so that `claims.py` only holds the
grammar. Matching is case-insensitive; ASCII words match as whole words only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from syncer.errors import RulesError

NUMBER = r"\d+(?:\.\d+)?"


def words_pattern(words: list[str] | tuple[str, ...], glued_left: bool = False) -> str:
    """An alternation of `words`, longest first; ASCII words only as whole words.

    `glued_left` lets a word follow a letter directly, for words that may be written
    against a unit: `8Ktoken`.
    """
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        if re.match(r"[A-Za-z]", word) and not glued_left:
            escaped = r"(?<![A-Za-z])" + escaped
        if re.search(r"[A-Za-z]$", word):
            escaped = escaped + r"(?![A-Za-z])"
        elif re.search(r"\d$", word):
            escaped = escaped + r"(?![\d.]\d)(?!\d)"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


def compile_words(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(words_pattern(words), re.IGNORECASE)


def normalise_header(header: str) -> str:
    return re.sub(r"\s+", " ", header.strip().lower())


@dataclass(frozen=True)
class Rules:
    """Compiled rules. Build with `load_rules()`."""

    raw: dict[str, Any]
    column_roles: dict[str, str]
    magnitudes: dict[str, Decimal]
    clause_separators: re.Pattern[str]
    # numbers
    training_tokens: re.Pattern[str]
    active_parameters: re.Pattern[str]
    context_with_unit: re.Pattern[str]
    context_plain_number: re.Pattern[str]
    parameter_range: re.Pattern[str]
    parameter_upper_bound: re.Pattern[str]
    parameter_with_word: re.Pattern[str]
    parameter_size: re.Pattern[str]
    parameter_size_in_name: re.Pattern[str]
    list_head: re.Pattern[str]
    not_about_after: re.Pattern[str]
    not_about_before: re.Pattern[str]
    moe_size: re.Pattern[str]
    active_after: re.Pattern[str]
    context_in_name: re.Pattern[str]
    list_head_in_name: re.Pattern[str]
    base_size: re.Pattern[str]
    counted_model: re.Pattern[str]
    comparison_before: re.Pattern[str]
    comparison_after: re.Pattern[str]
    compared_model_names: re.Pattern[str]
    size_unit_prefix: re.Pattern[str]
    # words
    license_phrases: dict[str, str]
    license_phrase: re.Pattern[str]
    license_negation: re.Pattern[str]
    license_ids: dict[str, str]
    architectures: list[tuple[str, re.Pattern[str]]]
    lineage_names: list[tuple[str, re.Pattern[str]]]
    lineage_not_after: re.Pattern[str]
    lineage_not_right_after: re.Pattern[str]
    lineage_not_before: re.Pattern[str]
    lineage_phrase_before: re.Pattern[str]
    lineage_phrase_after: re.Pattern[str]
    language_words: dict[str, list[str]]
    language_run: re.Pattern[str]
    language_word: re.Pattern[str]
    not_languages: re.Pattern[str]
    language_count: re.Pattern[str]
    qualitative: re.Pattern[str]
    size_superlative: re.Pattern[str]
    # documents
    column_words: list[tuple[str, re.Pattern[str]]]
    not_a_catalog: dict[str, re.Pattern[str]]
    generic_words: re.Pattern[str]
    weak_words: re.Pattern[str]
    topic_sections: re.Pattern[str]
    lead_suffix: re.Pattern[str]
    statement_words: re.Pattern[str]
    license_name: re.Pattern[str]
    license_name_in_text: re.Pattern[str]
    license_condition: re.Pattern[str]

    def magnitude(self, unit: str) -> Decimal:
        return self.magnitudes[re.sub(r"\s+", " ", unit.lower())]

    def license_value(self, phrase: str) -> str:
        return self.license_phrases[re.sub(r"\s+", " ", phrase.lower())]

    def license_id_of(self, name: str) -> str:
        return self.license_ids[normalise_header(name)]

    def languages_of(self, word: str) -> list[str]:
        return self.language_words[re.sub(r"\s+", " ", word.lower())]


def _compile(raw: dict[str, Any]) -> Rules:
    flags = re.IGNORECASE
    params, context, tokens = raw["parameters"], raw["context"], raw["training_tokens"]
    magnitudes = {str(key).lower(): Decimal(str(value)) for key, value in raw["magnitudes"].items()}
    for unit in params["units"] + params["units_with_word"]:
        if unit.lower() not in magnitudes:
            raise RulesError(f"parameter unit {unit!r} has no magnitude")

    size_unit = words_pattern(params["units"])
    any_unit = words_pattern(params["units"] + params["units_with_word"])
    param_word = words_pattern(params["words"])
    # Units glued to a number are fine (`7B`, `70亿`); a letter right after the unit is not (`4-bit`).
    unit_end = r"(?![A-Za-z])(?!\d)"  # `7B`, not `4-bit` nor the GPU in `48 B200`

    column_roles: dict[str, str] = {}
    for role, headers in raw["columns"].items():
        for header in headers:
            column_roles.setdefault(normalise_header(str(header)), role)

    license_phrases = {re.sub(r"\s+", " ", key.lower()): value for key, value in raw["license"]["phrases"].items()}
    language_words = {key.lower(): value for key, value in raw["languages"]["words"].items()}
    language_word = words_pattern(list(raw["languages"]["words"]))
    language_joiner = words_pattern(raw["languages"]["joiners"])

    lineage = raw["lineage"]
    return Rules(
        raw=raw,
        column_roles=column_roles,
        magnitudes=magnitudes,
        clause_separators=re.compile("|".join(re.escape(s) for s in raw["clause_separators"])),
        training_tokens=re.compile(
            rf"(?P<over>{words_pattern(tokens['over_words'])}\s*)?(?P<num>{NUMBER})?\+?\s*"
            rf"(?P<unit>{words_pattern(['万亿', '亿', 't', 'b', 'trillion', 'billion'])})\s*"
            # `1.4T 中英 token`: a language or two may stand between the count and its unit word.
            # `300B (deduplicated 207B) tokens`: a parenthesis may stand between as well.
            rf"(?:\([^()]{{0,40}}\)\s*)?"
            rf"(?:(?:[\u4e00-\u9fff]{{1,4}}|{words_pattern(tokens['between'])})\s*)?(?P<word>{words_pattern(tokens['words'])})",
            flags,
        ),
        active_parameters=re.compile(
            # `A2.7B` is glued to its letter (`a 16B model` is an article); words may stand apart.
            rf"(?:(?<![A-Za-z0-9.])(?-i:A)|(?<![A-Za-z0-9.]){words_pattern(params['active_prefixes'])}\s*)"
            rf"(?P<num>{NUMBER})\s*(?P<unit>b|billion){unit_end}",
            flags,
        ),
        context_with_unit=re.compile(
            rf"(?P<before>{words_pattern(context['words_before'])}\s*)?(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>k|m|万)\+?"
            rf"(?P<after>\s*(?:的\s*)?{words_pattern(context['words_after'], glued_left=True)})?(?(after)|{unit_end})",
            flags,
        ),
        context_plain_number=re.compile(
            rf"{words_pattern(context['words_before_plain_number'])}\s*(?:为|是|of|:|：|=|达)?\s*"
            rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<unit>k)?{unit_end}",
            flags,
        ),
        parameter_range=re.compile(
            rf"(?<![\d.])(?P<low>{NUMBER})\s*(?P<low_unit>{size_unit}|{words_pattern(['m', 'million'])})?\s*"
            rf"{words_pattern(params['range_joiners'])}\s*"
            rf"(?P<high>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}",
            flags,
        ),
        parameter_upper_bound=re.compile(
            rf"{words_pattern(params['upper_bound_words'])}\s*(?P<num>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}",
            flags,
        ),
        parameter_with_word=re.compile(
            rf"(?<![\d.])(?P<num>{NUMBER})?[\s-]*(?P<unit>{any_unit})[\s-]*(?:total\s+|个?总)?{param_word}"
            rf"|{param_word}\s*(?:规模)?\s*(?:为|是|约|达|of)?\s*(?P<num2>{NUMBER})\s*(?P<unit2>{any_unit}){unit_end}",
            flags,
        ),
        parameter_size=re.compile(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}", flags),
        parameter_size_in_name=re.compile(
            rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{words_pattern(params['units'] + params['name_units'])}){unit_end}",
            flags,
        ),
        list_head=re.compile(
            rf"(?:(?<![A-Za-z\d.\-])(?:{NUMBER})\s*(?:{size_unit}|{words_pattern(['m', 'million'])})?\s*"
            rf"(?:{words_pattern(params['list_joiners'])}\s*)+)+$",
            flags,
        ),
        # The counted thing follows the number closely: `52K数据`, `80k ShareGPT对话`,
        # `534K多语言指令数据`, `25w 字` - at most one Latin word and three other characters.
        not_about_after=re.compile(
            r"^[\s-]*(?:[A-Za-z][\w\-]*\s*)?[^\x00-\x7f，。；的]{0,3}?"
            + words_pattern(raw["not_about_the_entry"]["after_number"]),
            flags,
        ),
        not_about_before=compile_words(raw["not_about_the_entry"]["before_number"]),
        # `8x7B`, `8×22B`: eight experts of 7B - a mixture of experts, not a size.
        moe_size=re.compile(rf"(?<![\d.])(?P<experts>\d+)\s*[x×]\s*(?P<num>{NUMBER})\s*(?P<unit>b|m){unit_end}", flags),
        # `32B active`, `37B activated`, `激活37B`.
        active_after=re.compile(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>b|billion)\s*(?:active|activated|激活)", flags),
        # `Qwen2.5-1M`, `Qwen2.5 1M (Long Context)`: a one-digit M in a name is a context window.
        context_in_name=re.compile(r"(?<![\w.])(?P<num>[1-9])\s*(?P<unit>m)(?![A-Za-z\d])", flags),
        # `based on openflamingo-9B`, `fine-tuned from Yi-34B`: any base model's size, named or not.
        base_size=re.compile(
            rf"{words_pattern(lineage['base_cues'])}\s*(?:the\s+)?[A-Za-z][\w.]*(?:[-\s][A-Za-z][\w.]*){{0,3}}?[-\s]*"
            rf"(?P<size>{NUMBER}\s*b){unit_end}",
            flags,
        ),
        # `a merge of 3 Mistral-7B`, `8 Llama-2-13B models`: a count of other models.
        counted_model=re.compile(rf"(?<![\w.])\d+\s+[A-Za-z][\w.]*(?:-[A-Za-z][\w.]*)*-(?P<size>{NUMBER}\s*b){unit_end}", flags),
        list_head_in_name=re.compile(
            rf"(?:(?<![A-Za-z\d.])(?:{NUMBER})\s*(?:{size_unit})?\s*{words_pattern(params['list_joiners'])}\s*)+$",
            flags,
        ),
        comparison_before=compile_words(raw["comparison"]["before_mention"]),
        comparison_after=compile_words(raw["comparison"]["after_mention"]),
        compared_model_names=compile_words(raw["comparison"]["model_names"]),
        size_unit_prefix=re.compile(r"\s*" + size_unit, flags),
        license_phrases=license_phrases,
        license_phrase=compile_words(list(raw["license"]["phrases"])),
        license_negation=re.compile(words_pattern(raw["license"]["negations"]) + r"\s*$", flags),
        license_ids={normalise_header(key): value for key, value in raw["license_ids"].items()},
        architectures=[(value, compile_words(words)) for value, words in raw["architecture"].items()],
        lineage_names=[(slug, compile_words(words)) for slug, words in lineage["names"].items()],
        lineage_not_after=re.compile(
            rf"^(?:(?!{words_pattern(lineage['not_a_base_after_unless'])})[^，,。；;\n])*?"
            rf"{words_pattern(lineage['not_a_base_after'])}",
            flags,
        ),
        lineage_not_right_after=re.compile(r"^\s*" + words_pattern(lineage["not_a_base_right_after"]), flags),
        lineage_not_before=re.compile(words_pattern(lineage["not_a_base_before"]) + r"\s*$", flags),
        lineage_phrase_before=re.compile(words_pattern(lineage["phrase_before"]) + r"\s*$", flags),
        lineage_phrase_after=re.compile(
            rf"^(?:[\s-]*{NUMBER}\s*b{unit_end}(?:/{NUMBER}b{unit_end})?)?\s*(?:{words_pattern(lineage['phrase_after'])})?",
            flags,
        ),
        language_words=language_words,
        language_run=re.compile(rf"{language_word}(?:\s*{language_joiner}\s*{language_word})*", flags),
        language_word=re.compile(language_word, flags),
        not_languages=compile_words(raw["languages"]["not_languages"]),
        language_count=re.compile(
            rf"(?P<num>\d+)\s*\+?\s*(?:多)?\s*{words_pattern(raw['languages']['count_words'])}", flags
        ),
        qualitative=compile_words(raw["qualitative"]["words"]),
        size_superlative=compile_words(raw["qualitative"]["size_words"]),
        column_words=[(role, compile_words(words)) for role, words in raw["column_words"].items()],
        not_a_catalog={reason: compile_words(words) for reason, words in raw["documents"]["not_a_catalog"].items()},
        generic_words=compile_words(raw["documents"]["generic_words"]),
        weak_words=compile_words(raw["documents"]["weak_words"]),
        topic_sections=compile_words(raw["documents"]["topic_sections"]),
        lead_suffix=re.compile(r"[\s—–-]*" + words_pattern(raw["documents"]["lead_suffixes"]) + r"\s*$", flags),
        statement_words=compile_words(raw["documents"]["statement_words"]),
        license_name=compile_words(list(raw["license_ids"])),
        # In prose only names of two or more words: `Apache 2.0`, `Gemma Terms of Use` - not
        # `Gemma` or `MIT`, which name a model or an institute as often as a licence.
        license_name_in_text=compile_words([name for name in raw["license_ids"] if len(re.split(r"[\s-]+", name.strip())) >= 2]),
        license_condition=compile_words(list(raw["license"]["conditions"])),
    )


@cache
def load_rules() -> Rules:
    """The packaged rules, compiled once per process."""
    text = resources.files("syncer").joinpath("rules/claims.yaml").read_text(encoding="utf-8")
    try:
        return _compile(yaml.safe_load(text))
    except (KeyError, TypeError, AttributeError, ValueError, re.error, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesError(f"malformed: {exc}", path="syncer/rules/claims.yaml", line=mark.line + 1 if mark else None) from exc
