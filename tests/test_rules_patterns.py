"""The vocabulary's words become patterns (syncer.rules.words_pattern): whole ASCII words,
longest first. Words that need the same boundaries share them, which must match exactly what
one look-around per word would."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from syncer.rules import words_pattern
from syncer.vocabulary import load_vocabulary


def one_look_around_per_word(words: list[str], glued_left: bool = False) -> str:
    """The pattern as it was built before boundaries were shared: the reference."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word).replace(r"\ ", r"\s+")
        if re.match(r"[A-Za-z]", word) and not glued_left:
            escaped = r"(?<!(?-i:[A-Za-z]))" + escaped
        if re.search(r"[A-Za-z]$", word):
            escaped = escaped + r"(?!(?-i:[A-Za-z]))"
        elif re.search(r"\d$", word):
            escaped = escaped + r"(?![\d.]\d)(?!\d)"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


def spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(pattern, text, re.IGNORECASE)]


ALPHABET = "ab7B. -参数亿K"
word_lists = st.lists(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(words=word_lists, text=st.text(ALPHABET, max_size=40), glued_left=st.booleans())
def test_shared_boundaries_match_what_one_look_around_per_word_matches(words, text, glued_left):
    assert spans(words_pattern(words, glued_left), text) == spans(one_look_around_per_word(words, glued_left), text)


def test_the_packaged_words_match_as_before_on_real_phrases():
    words = load_vocabulary().words
    phrases = "7B参数, 70亿参数, 8K上下文, context of 32K tokens, 4-bit, 13B-chat, Apache 2.0, 可商用, non-commercial use"
    lists = [words.parameters.units, words.parameters.words, words.context.words_after, list(words.license.phrases)]
    for listed in lists:
        assert spans(words_pattern(listed), phrases) == spans(one_look_around_per_word(listed), phrases)
    assert spans(words_pattern(list(words.license.phrases)), phrases), "the phrases are the vocabulary's"
    assert len(words_pattern(list(words.license.phrases))) < len(one_look_around_per_word(list(words.license.phrases))) / 2
