"""The extraction vocabulary (`rules/claims.yaml`), loaded once and compiled to patterns.

Words from the file become regular expressions here so that `claims.py` only holds the
grammar. Matching is case-insensitive; ASCII words match as whole words only. The files'
shape, and the checks that make a typo an error rather than a silent miss, are in
`syncer.vocabulary`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from syncer.defaults import PROJECT_RULES
from syncer.vocabulary import ColumnRole, LicencePolicy, Vocabulary, load_vocabulary, normalise_word

NUMBER = r"\d+(?:\.\d+)?"
GROUPED_NUMBER = r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # `1,500B tokens` is 1.5T


def words_pattern(words: list[str] | tuple[str, ...], glued_left: bool = False) -> str:
    """An alternation of `words`, longest first; ASCII words only as whole words.

    `glued_left` lets a word follow a letter directly, for words that may be written
    against a unit: `8Ktoken`.

    Words in a row that need the same boundaries share them (`(?<!…)(?:7b|13b)(?!…)`, not one
    look-around per word): the same matches, in patterns half as long (the packaged vocabulary's:
    37 K characters, not 72 K), and compiling them is what every start pays for.
    """
    runs: list[tuple[tuple[str, str], list[str]]] = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        before = r"(?<!(?-i:[A-Za-z]))" if re.match(r"[A-Za-z]", word) and not glued_left else ""
        if re.search(r"[A-Za-z]$", word):
            after = r"(?!(?-i:[A-Za-z]))"
        elif re.search(r"\d$", word):
            after = r"(?![\d.]\d)(?!\d)"
        else:
            after = ""
        if runs and runs[-1][0] == (before, after):
            runs[-1][1].append(escaped)
        else:
            runs.append(((before, after), [escaped]))
    parts = [
        before + (group[0] if len(group) == 1 else "(?:" + "|".join(group) + ")") + after
        for (before, after), group in runs
    ]
    return "(?:" + "|".join(parts) + ")"


def alternatives(words: list[str] | tuple[str, ...]) -> str:
    """An alternation of `words` as they are, longest first: for units a word may be glued to (`8Ktoken`)."""
    return "(?:" + "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True)) + ")"


class Pattern:
    """A pattern compiled the first time it is matched with. A document uses a fraction of the
    vocabulary's hundred patterns (five rows of sizes: 18 of them), and compiling the rest is
    most of what a short `syncer claims` would wait for."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source, self.flags = source, flags

    def compiled(self) -> re.Pattern[str]:
        pattern = re.compile(self.source, self.flags)
        # From now on the compiled pattern's own methods answer, with no call in between.
        vars(self).update(search=pattern.search, match=pattern.match, fullmatch=pattern.fullmatch,
                          finditer=pattern.finditer, sub=pattern.sub, compiled=lambda: pattern)  # fmt: skip
        return pattern

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)


def compile_words(words: list[str] | tuple[str, ...]) -> Pattern:
    return Pattern(words_pattern(words), re.IGNORECASE)


# A header is matched as any other word is: case and runs of spaces do not count.
normalise_header = normalise_word


@dataclass(frozen=True)
class Rules:
    """Compiled rules. Build with `load_rules()`."""

    licence_policy: LicencePolicy
    column_roles: dict[str, ColumnRole]
    magnitudes: dict[str, Decimal]
    clause_separators: Pattern
    # numbers
    training_tokens: Pattern
    token_unit: Pattern  # a count's own unit in a list (`1.4T/1T tokens`)
    described_as_data: Pattern  # `a 300B token … dataset, …`: an item that is data, not a model
    token_number_words: dict[str, int]  # `one trillion tokens`
    active_parameters: Pattern
    context_with_unit: Pattern
    context_plain_number: Pattern
    context_in_parentheses: Pattern
    parameter_range: Pattern
    parameter_upper_bound: Pattern
    parameter_with_word: Pattern
    parameter_size: Pattern
    parameter_size_in_name: Pattern
    small_size_list: Pattern  # `86M, 22M`: sizes below a billion, listed together
    list_head: Pattern
    not_about_after: Pattern
    not_about_before: Pattern
    other_model_after: Pattern  # `60亿参数的审核模型`: a helper model's size
    example_opener: Pattern  # `例如，…`: a sentence that illustrates, about no entry
    moe_size: Pattern
    active_after: Pattern
    context_in_name: Pattern
    list_head_in_name: Pattern
    base_size: Pattern
    counted_model: Pattern
    comparison_before: Pattern
    comparison_after: Pattern
    compared_model_names: Pattern
    size_unit_prefix: Pattern
    size_architectures: list[tuple[str, Pattern]]  # `Dense 7B`, `389B MoE`: a word naming a size's architecture
    # words
    license_phrases: dict[str, str]
    license_phrase: Pattern
    license_negation: Pattern
    license_of_another: Pattern  # `基于可商用的LLaMA-2`: the base's licence, not the entry's
    negated_licence_value: str  # what a negated commercial phrase claims: `不可商用`
    custom_licence_words: Pattern  # a licence cell naming no known licence but one of these: `other`
    commercial_yes_words: frozenset[str]  # a whole commercial-use cell: `是`, `✔`
    commercial_no_words: frozenset[str]  # `否`, `✘`
    license_ids: dict[str, str]
    architectures: list[tuple[str, Pattern]]
    lineage_names: list[tuple[str, Pattern]]
    lineage_model_types: dict[str, list[str]]  # a family -> the Hub `model_type`s of its architecture
    lineage_repo_words: dict[str, list[str]]  # a family -> words in a base model's repo id that name it
    lineage_not_after: Pattern
    lineage_not_right_after: Pattern
    lineage_not_before: Pattern
    lineage_listed: Pattern  # `支持…，如百川、Bloom、LLaMA`: a toolkit's list of the models it takes
    lineage_listed_first: Pattern  # `works with Falcon, Bloom`: the first of such a list (see lineage_list_goes_on)
    lineage_list_goes_on: Pattern
    lineage_another_model: Pattern  # `另有` before a base cue
    lineage_member_words: Pattern  # words a family member's name may add: `Base`, `Chat`, `Vision`
    lineage_phrase_before: Pattern
    lineage_phrase_after: Pattern
    language_words: dict[str, list[str]]
    language_run: Pattern
    language_word: Pattern
    not_languages: Pattern
    not_a_language_after: Pattern  # `Chinese benchmarks`: the lone word names something else
    not_a_language_before: Pattern  # `first Chinese RL reasoning model`: a maker's country
    language_negation: Pattern  # `不支持中文`: a language the model lacks
    language_shortfall: Pattern  # `中文效果尚有不足`: a language the model is weak in
    language_plan: Pattern  # `中文的模型在计划中`: not supported yet
    language_data_subject: Pattern  # `种子任务都是英语`: the data's language
    language_data_copula: Pattern  # ... said of the data right before the language
    language_abbreviations: dict[str, list[str]]  # `中`, `英`, `希伯来`
    abbreviation_run: Pattern  # `中、英、俄、西、法、葡`: a list of them in prose
    abbreviation_cell: Pattern  # `中英`, `中/日`: a whole languages cell of them
    language_count: Pattern
    qualitative: Pattern
    not_qualitative: Pattern  # `第一步`: step one, no superlative
    size_superlative: Pattern
    # documents
    column_words: list[tuple[ColumnRole, Pattern]]
    not_a_catalog: dict[str, Pattern]
    generic_words: Pattern
    weak_words: Pattern
    topic_sections: Pattern
    topic_subsections: Pattern  # a topic only in the nearest heading: `2.2 LangChain应用`
    lead_suffix: Pattern
    family_suffix: Pattern  # `Qwen 3 Family`: the name is `Qwen 3`
    vendor: Pattern  # a whole lead naming a maker (`Meta`, `RWKV Foundation`), not a model
    vendor_word: Pattern  # a maker's name inside a name: `stanford-alpaca`
    statement_words: Pattern
    license_name: Pattern
    license_name_in_text: Pattern
    license_name_licensed: Pattern  # `MIT licensed`: a one-word name is a licence before this word
    license_variant: Pattern  # `Custom Apache 2.0`: a licence of its own, named after a known one
    license_condition: Pattern
    # The project's own vocabulary files read after the packaged ones, as messages name them.
    project_files: tuple[str, ...] = ()

    def words_go(self, section: str = "columns") -> str:
        """Where a word that would fix a warning goes: the project's vocabulary file, never the
        packaged one (a pip install's copy is overwritten by the next upgrade)."""
        if self.project_files:
            return f"`{section}` in {self.project_files[-1]}"
        return f"`{section}` in a project vocabulary file, {PROJECT_RULES} (README: \"Your own words\")"

    def magnitude(self, unit: str) -> Decimal:
        return self.magnitudes[re.sub(r"\s+", " ", unit.lower())]

    def license_value(self, phrase: str) -> str:
        return self.license_phrases[re.sub(r"\s+", " ", phrase.lower())]

    def license_id_of(self, name: str) -> str:
        return self.license_ids[normalise_header(name)]

    def languages_of(self, word: str) -> list[str]:
        return self.language_words[re.sub(r"\s+", " ", word.lower())]


def compile_rules(vocabulary: Vocabulary) -> Rules:
    """The vocabulary's words as the patterns the grammar matches with."""
    words = vocabulary.words
    flags = re.IGNORECASE
    params, context, tokens = words.parameters, words.context, words.training_tokens
    word_units = words_pattern([unit for unit in tokens.units if len(unit) > 2])
    lineage, licence, documents = words.lineage, words.license, words.documents
    magnitudes = {normalise_word(unit): Decimal(value) for unit, value in words.magnitudes.items()}

    size_unit = words_pattern(params.units)
    small_unit = words_pattern(params.small_units)
    any_unit = words_pattern(params.units + params.units_with_word)
    param_word = words_pattern(params.words)
    active_unit = alternatives(params.active_units)
    # Units glued to a number are fine (`7B`, `70亿`); a letter right after the unit is not (`4-bit`).
    unit_end = r"(?!(?-i:[A-Za-z]))(?!\d)"  # `7B`, not `4-bit` nor the GPU in `48 B200`

    column_roles = {normalise_header(header): role for role, headers in words.columns.items() for header in headers}
    language_word = words_pattern(list(words.languages.words))
    abbreviation = alternatives(list(words.languages.abbreviations))
    known_licences = [name for name, licence_id in words.license_ids.items() if licence_id != "other"]
    language_joiner = words_pattern(words.languages.joiners)
    assert licence.negated_value is not None  # the vocabulary is complete once loaded
    return Rules(
        project_files=vocabulary.files[2:],
        licence_policy=vocabulary.policy,
        column_roles=column_roles,
        magnitudes=magnitudes,
        clause_separators=Pattern("|".join(re.escape(s) for s in words.clause_separators)),
        token_number_words={word.lower(): number for word, number in tokens.number_words.items()},
        described_as_data=Pattern(
            r"^\s*(?:\d{4}(?:[/.-]\d{1,2}){0,2}\s*[,，:：]?\s*)?(?:an?\s+|the\s+|一个|一份)?"
            rf"(?:(?!\bmodels?\b|模型|\b(?:on|from|with|for)\b)[^,，;；。:：])*?{words_pattern(documents.data_nouns)}\s*(?:[,，;；。(（]|$)",
            flags,
        ),
        token_unit=Pattern(rf"(?P<num>{NUMBER})\s*(?P<unit>{words_pattern(tokens.units)})?", flags),
        training_tokens=Pattern(  # (word_units: `one trillion`, never `a b`)
            # `1500/1000B tokens`, `1.4T/1T tokens`: counts of the entry's models, the unit last.
            rf"(?P<over>{words_pattern(tokens.over_words)}\s*)?"
            rf"(?P<listed>(?:{NUMBER}\s*(?:{words_pattern(tokens.units)})?\s*/\s*){{1,5}}(?={NUMBER}))?"
            rf"(?:(?P<num>{GROUPED_NUMBER})|(?P<num_word>{words_pattern(list(tokens.number_words))})\s+(?={word_units}))?\+?\s*"
            rf"(?P<unit>{words_pattern(tokens.units)})\s*"
            # `1.4T 中英 token`: a language or two may stand between the count and its unit word.
            # `300B (deduplicated 207B) tokens`: a parenthesis may stand between as well.
            rf"(?:\([^()]{{0,40}}\)\s*)?"
            rf"(?:(?:[\u4e00-\u9fff]{{1,4}}|{words_pattern(tokens.between)})\s*)?(?P<word>{words_pattern(tokens.words)})",
            flags,
        ),
        active_parameters=Pattern(
            # `A2.7B` is glued to its letter (`a 16B model` is an article); words may stand apart.
            rf"(?:(?<!(?-i:[A-Za-z0-9.]))(?-i:A)|(?<!(?-i:[A-Za-z0-9.])){words_pattern(params.active_prefixes)}\s*)"
            rf"(?P<num>{NUMBER})\s*(?P<unit>{active_unit}){unit_end}",
            flags,
        ),
        context_with_unit=Pattern(
            # The unit may be glued to the word after it (`8Ktoken`): not a whole word here.
            rf"(?P<before>{words_pattern(context.words_before)}\s*)?(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{alternatives(context.units)})(?P<plus>\+)?"
            rf"(?P<after>\s*(?:的\s*)?{words_pattern(context.words_after, glued_left=True)})?(?(after)|{unit_end})",
            flags,
        ),
        # `long context (32K+)`, `上下文（128K）`: the window in parentheses after the word.
        context_in_parentheses=Pattern(
            rf"{words_pattern(context.words_after)}\s*[(（]\s*(?P<num>{NUMBER})\s*(?P<unit>{alternatives(context.units)})"
            rf"(?P<plus>\+)?\s*(?:tokens?\s*)?[)）]",
            flags,
        ),
        context_plain_number=Pattern(
            rf"{words_pattern(context.words_before_plain_number)}\s*(?:为|是|of|:|：|=|达)?\s*"
            rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<unit>k)?{unit_end}",
            flags,
        ),
        parameter_range=Pattern(
            rf"(?<![\d.])(?P<low>{NUMBER})\s*(?P<low_unit>{size_unit}|{small_unit})?\s*"
            rf"{words_pattern(params.range_joiners)}\s*"
            rf"(?P<high>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}",
            flags,
        ),
        parameter_upper_bound=Pattern(
            rf"{words_pattern(params.upper_bound_words)}\s*(?P<num>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}",
            flags,
        ),
        parameter_with_word=Pattern(
            rf"(?<![\d.])(?P<num>{NUMBER})?[\s-]*(?P<unit>{any_unit})[\s-]*(?:total\s+|个?总)?{param_word}"
            rf"|{param_word}\s*(?:规模)?\s*(?:为|是|约|达|of)?\s*(?P<num2>{NUMBER})\s*(?P<unit2>{any_unit}){unit_end}",
            flags,
        ),
        parameter_size=Pattern(rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{size_unit}){unit_end}", flags),
        small_size_list=Pattern(
            rf"(?<![\w.]){NUMBER}\s*{small_unit}(?:\s*{words_pattern(params.list_joiners)}\s*{NUMBER}\s*{small_unit})+{unit_end}",
            flags,
        ),
        parameter_size_in_name=Pattern(
            rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{words_pattern(params.units + params.name_units)}){unit_end}",
            flags,
        ),
        list_head=Pattern(
            rf"(?:(?<!(?-i:[A-Za-z\d.\-]))(?:{NUMBER})\s*(?:{size_unit}|{small_unit})?\s*"
            rf"(?:{words_pattern(params.list_joiners)}\s*)+)+$",
            flags,
        ),
        # The counted thing follows the number closely: `52K数据`, `80k ShareGPT对话`,
        # `534K多语言指令数据`, `25w 字` - at most one Latin word and three other characters.
        not_about_after=Pattern(
            r"^[\s-]*(?:[A-Za-z][\w\-]*\s*)?[^\x00-\x7f，。；的]{0,3}?" + words_pattern(words.not_about_the_entry.after_number)
            + r"(?!大?模型|机器人)",  # `65B中文对话模型` is a chat model of 65B, not 65B dialogues
            flags,
        ),
        not_about_before=compile_words(words.not_about_the_entry.before_number),
        other_model_after=Pattern(
            r"^\s*(?:的|of\s+the|of\s+a)?\s*" + words_pattern(words.not_about_the_entry.other_model_after), flags
        ),
        example_opener=Pattern(
            r"(?:^|(?<=[。！？!?\n|])|(?<=\.\s))\s*" + words_pattern(words.not_about_the_entry.example_openers), flags
        ),
        # `8x7B`, `8×22B`: eight experts of 7B - a mixture of experts, not a size.
        moe_size=Pattern(rf"(?<![\d.])(?P<experts>\d+)\s*[x×]\s*(?P<num>{NUMBER})\s*(?P<unit>b|m){unit_end}", flags),
        # `32B active`, `37B activated`, `激活37B`.
        # `3B MoE (570M active)`: a small MoE's active size may be in millions.
        active_after=Pattern(
            rf"(?<![\d.])(?P<num>{NUMBER})\s*(?P<unit>{alternatives(params.active_units + params.small_units)})\s*"
            r"(?:active|activated|激活)",
            flags,
        ),
        # `Qwen2.5-1M`, `Qwen2.5 1M (Long Context)`: a one-digit M in a name is a context window.
        context_in_name=Pattern(r"(?<![\w.])(?P<num>[1-9])\s*(?P<unit>m)(?!(?-i:[A-Za-z\d]))", flags),
        # `based on openflamingo-9B`, `fine-tuned from Yi-34B`: any base model's size, named or not.
        base_size=Pattern(
            rf"{words_pattern(lineage.base_cues)}\s*(?:the\s+)?[A-Za-z][A-Za-z\d_.]*(?:[-\s][A-Za-z][A-Za-z\d_.]*){{0,3}}?[-\s]*"
            rf"(?P<size>{NUMBER}\s*b){unit_end}",
            flags,
        ),
        # `a merge of 3 Mistral-7B`, `8 Llama-2-13B models`: a count of other models.
        counted_model=Pattern(rf"(?<![\w.])\d+\s+[A-Za-z][\w.]*(?:-[A-Za-z][\w.]*)*-(?P<size>{NUMBER}\s*b){unit_end}", flags),
        list_head_in_name=Pattern(
            rf"(?:(?<!(?-i:[A-Za-z\d.]))(?:{NUMBER})\s*(?:{size_unit})?\s*{words_pattern(params.list_joiners)}\s*)+$",
            flags,
        ),
        comparison_before=compile_words(words.comparison.before_mention),
        comparison_after=compile_words(words.comparison.after_mention),
        compared_model_names=compile_words(words.comparison.model_names),
        size_unit_prefix=Pattern(r"\s*" + size_unit, flags),
        size_architectures=[(value, compile_words(names)) for value, names in params.architecture_words.items()],
        license_phrases={normalise_word(phrase): value for phrase, value in licence.phrases.items()},
        license_phrase=compile_words(list(licence.phrases)),
        license_negation=Pattern(words_pattern(licence.negations) + r"\s*$", flags),
        license_of_another=Pattern(words_pattern(licence.of_another_before) + r"\s*(?:the\s+)?$", flags),
        negated_licence_value=licence.negated_value,
        custom_licence_words=compile_words(licence.custom_words),
        commercial_yes_words=frozenset(word.lower() for word in licence.yes_words),
        commercial_no_words=frozenset(word.lower() for word in licence.no_words),
        license_ids={normalise_header(name): licence_id for name, licence_id in words.license_ids.items()},
        architectures=[(value, compile_words(names)) for value, names in words.architecture.items()],
        lineage_names=[(slug, compile_words(names)) for slug, names in lineage.names.items()],
        lineage_model_types=lineage.model_types,
        lineage_repo_words=lineage.repo_words,
        lineage_not_after=Pattern(
            rf"^(?:(?!{words_pattern(lineage.not_a_base_after_unless)})[^，,。；;\n])*?"
            rf"{words_pattern(lineage.not_a_base_after)}",
            flags,
        ),
        lineage_not_right_after=Pattern(r"^\s*" + words_pattern(lineage.not_a_base_right_after), flags),
        # `reproduction of Meta AI’s LLaMA`: a maker's possessive may stand between.
        lineage_not_before=Pattern(
            words_pattern(lineage.not_a_base_before) + r"(?:\s+[A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*)?['’]s)?\s*[\"'“‘「《]?\s*$",
            flags,
        ),
        lineage_listed=Pattern(
            rf"{words_pattern(lineage.not_a_base_listed_after)}"
            rf"(?:(?!{words_pattern(lineage.base_cues)})[^。；;\n])*?(?:[、,，/]|such\s+as|例如|比如|诸如|包括|including|如)"
            rf"(?:(?!{words_pattern(lineage.base_cues)})[^。；;\n])*$",
            flags,
        ),
        lineage_listed_first=Pattern(rf"{words_pattern(lineage.not_a_base_listed_after)}\s*(?:the\s+)?(?:models?\s+)?$", flags),
        lineage_list_goes_on=Pattern(r"^\s*(?:[、,，/]|and\b|和|及)", flags),
        lineage_another_model=Pattern(words_pattern(lineage.another_model_before) + r"\s*$", flags),
        lineage_member_words=compile_words(lineage.member_words),
        lineage_phrase_before=Pattern(words_pattern(lineage.phrase_before) + r"\s*$", flags),
        lineage_phrase_after=Pattern(
            rf"^(?:[\s-]*{NUMBER}\s*b{unit_end}(?:/{NUMBER}b{unit_end})?)?\s*(?:{words_pattern(lineage.phrase_after)})?",
            flags,
        ),
        language_words={word.lower(): codes for word, codes in words.languages.words.items()},
        language_run=Pattern(rf"{language_word}(?:\s*{language_joiner}\s*{language_word})*", flags),
        language_word=Pattern(language_word, flags),
        not_languages=compile_words(words.languages.not_languages),
        not_a_language_after=Pattern(r"[\s-]*" + words_pattern(words.languages.not_a_language_after), flags),
        not_a_language_before=Pattern(words_pattern(words.languages.not_a_language_before) + r"\s*$", flags),
        language_abbreviations=dict(words.languages.abbreviations),
        language_negation=Pattern(words_pattern(words.languages.negations) + r"\s*$", flags),
        language_shortfall=compile_words(words.languages.shortfalls),
        language_plan=compile_words(words.languages.plans),
        language_data_subject=compile_words(words.languages.data_subjects),
        language_data_copula=Pattern(words_pattern(words.languages.data_copulas) + r"\s*$", flags),
        abbreviation_run=Pattern(
            rf"{abbreviation}(?:\s*、\s*{abbreviation}){{2,}}(?=\s*(?:等|[^\u4e00-\u9fff]|$))"
            rf"|{abbreviation}(?:\s*[、/]\s*{abbreviation})+(?=\s*{alternatives(words.languages.abbreviation_after)})",
            flags,
        ),
        abbreviation_cell=Pattern(rf"\s*{abbreviation}(?:\s*[/、,，+&]?\s*{abbreviation})*\s*"),
        language_count=Pattern(rf"(?P<num>\d+)\s*\+?\s*(?:多)?\s*{words_pattern(words.languages.count_words)}", flags),
        qualitative=compile_words(words.qualitative.words),
        not_qualitative=compile_words(words.qualitative.not_words),
        size_superlative=compile_words(words.qualitative.size_words),
        column_words=[(role, compile_words(headers)) for role, headers in words.column_words.items()],
        not_a_catalog={reason: compile_words(headers) for reason, headers in documents.not_a_catalog.items()},
        generic_words=compile_words(documents.generic_words),
        weak_words=compile_words(documents.weak_words),
        topic_sections=compile_words(documents.topic_sections),
        topic_subsections=compile_words(documents.topic_subsections),
        lead_suffix=Pattern(
            rf"[\s—–-]*(?:{alternatives(documents.lead_domains)})*(?:领域)?{words_pattern(documents.lead_suffixes)}\s*$", flags
        ),
        family_suffix=Pattern(rf"(?<=\S)[\s—–-]*{words_pattern(documents.family_suffixes)}\s*$", flags),
        vendor_word=compile_words(documents.vendors),
        vendor=Pattern(
            rf"\s*(?:{words_pattern(documents.vendors)}|(?:[\w.&-]+\s+){{0,3}}{words_pattern(documents.org_suffixes)})\s*", flags
        ),
        statement_words=compile_words(documents.statement_words),
        license_name=compile_words(list(words.license_ids)),
        # In prose only names of two or more words: `Apache 2.0`, `Gemma Terms of Use` - not
        # `Gemma` or `MIT`, which name a model or an institute as often as a licence.
        license_name_in_text=compile_words([name for name in words.license_ids if len(re.split(r"[\s-]+", name.strip())) >= 2]),
        license_condition=compile_words(list(licence.conditions)),
        license_name_licensed=Pattern(
            rf"(?P<name>{words_pattern(list(words.license_ids))})[\s-]*{words_pattern(licence.licensed_words)}", flags
        ),
        license_variant=Pattern(
            rf"{words_pattern(licence.variant_words)}[\s-]*{words_pattern(known_licences)}",
            flags,
        ),
    )


_project: tuple[Path, ...] = ()


def find_project_rules(start: Path) -> tuple[Path, ...]:
    """The project's vocabulary file: `.syncer/claims.yaml` in `start` or the nearest folder
    above it, up to the repository's root (the folder holding `.git`)."""
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_RULES
        if candidate.is_file():
            return (candidate,)
        if (folder / ".git").exists():
            break
    return ()


def use_project_rules(files: tuple[Path, ...]) -> None:
    """Every later `load_rules()` - the claims read, the licence policy the verdicts use, the
    warnings - extends the packaged rules with `files`. Set once, by the CLI (`--rules`, or
    `find_project_rules`) or a library caller, before anything is read."""
    global _project
    _project = tuple(files)


def project_rules() -> tuple[Path, ...]:
    """The project's vocabulary files in use (see `use_project_rules`)."""
    return _project


def load_rules(extra: tuple[Path, ...] | None = None) -> Rules:
    """The packaged rules, extended by `extra` vocabulary files (None: the project's, see
    `use_project_rules`), compiled once per process.

    RulesError (naming the file and line) if any file is malformed: see `syncer.vocabulary`.
    """
    return _compiled(_project if extra is None else extra)


@cache
def _compiled(extra: tuple[Path, ...]) -> Rules:
    return compile_rules(load_vocabulary(extra))
