"""Does a piece of text name a model? Used where no header says so: list leads,
headings, and the cells of a table whose name column must be inferred."""

from __future__ import annotations

import re
from collections.abc import Callable

from syncer.documents import Cell
from syncer.rules import Pattern, Rules

MAX_NAME = 60
MAX_WORDS = 6
_SIZE = Pattern(r"(?<![A-Za-z])\d+(?:\.\d+)?\s*[BMT](?![A-Za-z])|\d+\s*[x×]\s*\d+(?:\.\d+)?B", re.IGNORECASE)
# `ChatGLM`, `GPT-J`, `Qwen2`, `BLOOM`, `MPT-7B`, `phi-2`: a product name's shape.
_PRODUCT = Pattern(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*|[A-Z]{2,}|[A-Za-z]+[-_.]?\d|\d[A-Za-z]|[A-Za-z]+-[A-Za-z]+")
_MODEL_HOSTS = Pattern(
    r"^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co|github\.com|modelscope\.cn|www\.modelscope\.cn|gitee\.com|openi\.pcl\.ac\.cn|wisemodel\.cn)/",
    re.IGNORECASE,
)
_HAN = Pattern(r"[\u4e00-\u9fff]")
_SENTENCE_END = Pattern(r"[.。!！?？;；]\s*$")


# `📜 Llama 1`, `🔥 Qwen2`, `→ GLM`: marks before a name.
_LEADING_MARKS = Pattern(r"^[^\w\[(（【「《\"'“‘`<]+")
_TRAILING_PARENTHESES = Pattern(r"\s*[(（](?P<inside>[^()（）]*)[)）]\s*$")
# `（更新于2023年4月21日）`, `(2023/05)`, `(updated 2024-01)`: when the entry was written, not its name.
_DATED = Pattern(r"更新|updated?\b|\d{4}\s*[年/.-]\s*\d{1,2}|^\s*\d{4}\s*$", re.IGNORECASE)
# `XrayGLM，首个会看胸部X光片的中文多模态医学大模型`: a description run into the lead after a comma.
_DESCRIPTION_AFTER_COMMA = Pattern(r"^(?P<name>[^，,]{1,40}?)\s*[，,]\s*\S.*$")
_DESCRIPTION_BEFORE_NAME = Pattern(r"^[\u4e00-\u9fff]{1,8}(?:大语言模型|大模型|语言模型)(?=[A-Za-z])")


# `OPT (125M/350M/…/175B)`, `Baichuan 2 (7B, 13B)`: the sizes of the models a name stands for,
# read as size claims (`left_out_of_name`), not part of the name. One size stays: `GPT-2 (1.5B)`
# is how that model is called.
_SIZE_LIST = Pattern(
    r"\s*[(（]\s*(?P<sizes>\d+(?:\.\d+)?\s*[KMBT]?(?:\s*[/,，、]\s*\d+(?:\.\d+)?\s*[KMBT]?)+)\s*[)）]", re.IGNORECASE
)
_STATUS = Pattern(r"\s*[(（]\s*(?:deprecated|archived|已废弃|已弃用)\s*[)）]", re.IGNORECASE)
_VARIANTS = Pattern(r"[(（]-[^()（）]*[)）]\s*$")  # `GPT-4(-8k/32k)`: its variants' suffixes


def left_out_of_name(text: str) -> list[str]:
    """What `clean_name` takes out of a name that still says something of the model, to read
    claims from: `OPT (125M/350M)` -> [`125M/350M`], `GPT-4(-8k/32k)` -> [`(-8k/32k)`]."""
    parts = [match.group("sizes") for match in _SIZE_LIST.finditer(text)]
    variants = _VARIANTS.search(_STATUS.sub("", _SIZE_LIST.sub("", text.strip())))
    return parts + ([variants.group()] if variants else [])


def clean_name(text: str, rules: Rules) -> str:
    """The name as a person would type it to search for the model: `📜 Llama 1 (Meta)` -> `Llama 1`,
    `XrayGLM，首个会看胸部X光片的中文多模态医学大模型` -> `XrayGLM`, `MOSS （更新于2023年4月21日）` -> `MOSS`,
    `天文大语言模型StarGLM` -> `StarGLM`. An alias in parentheses stays: `聚宝盆(Cornucopia)`, `GPT-2 (1.5B)`."""
    name = _LEADING_MARKS.sub("", text.strip())
    name = _VARIANTS.sub("", _STATUS.sub("", _SIZE_LIST.sub("", name))).strip() or name
    if lead_description(name):
        name = name[: name.index(lead_description(name))].rstrip(" ，,")
    name = _DESCRIPTION_BEFORE_NAME.sub("", name)
    while True:
        parentheses = _TRAILING_PARENTHESES.search(name)
        if not parentheses or parentheses.start() == 0:
            break
        inside = parentheses.group("inside").strip()
        maker = rules.vendor.fullmatch(inside) or name.lower().startswith(inside.lower())  # `DeepSeek-V3 (DeepSeek)`
        if not (maker or _DATED.search(inside) or rules.lead_suffix.search(inside)):
            break
        name = name[: parentheses.start()].rstrip()
    return name.strip() or text.strip()


def lead_description(text: str) -> str:
    """What a lead says after its name and a comma: `XrayGLM，首个会看胸部X光片的…` -> `首个会看胸部X光片的…`
    (read as the entry's description), or ``. A list of numbers (`7, 13B`) is no such comma."""
    comma = _DESCRIPTION_AFTER_COMMA.match(text.strip())
    if not comma or not _PRODUCT.search(comma.group("name")) or re.search(r"\d\s*[,，]\s*\d", text):
        return ""
    return text.strip()[comma.end("name") :].lstrip(" ，,").rstrip(" :：")


def is_vendor(text: str, rules: Rules) -> bool:
    """`Meta`, `Mistral AI`, `RWKV Foundation`: a maker, whose lead heads its models."""
    return bool(rules.vendor.fullmatch(text.strip(" :：-–—*#")))


def has_model_link(cell: Cell) -> bool:
    return any(_MODEL_HOSTS.match(url) for url in cell.urls)


def looks_like_model_name(cell: Cell, rules: Rules) -> bool:
    """A short product-like name (`ChatGLM2-6B`, `Falcon`, `[百聆](github)`), not a topic or a sentence."""
    text = cell.text.strip(" :：-–—*#")
    if not text or len(text) > MAX_NAME or _SENTENCE_END.search(text) or len(text.split()) > MAX_WORDS:
        return False
    if len(text.split()) >= 3 and re.match(r"[a-z]", text):
        return False  # `trained on 1T tokens`: a phrase, not a name
    if rules.license_name.fullmatch(text) or rules.license_phrase.fullmatch(text):
        return False  # `Apache 2.0`, `可商用`
    if is_vendor(text, rules):
        return False  # `Meta`, `Mistral AI`: the maker over its models
    has_size = bool(_SIZE.search(text))
    if rules.generic_words.search(text) and not has_size:
        return False
    shaped = rules.weak_words.sub(" ", text)  # `LLM` in `Open LLM` is no product name
    if has_size or _PRODUCT.search(shaped):
        return True
    if rules.weak_words.search(text) and not has_model_link(cell):
        return False
    latin_words = re.findall(r"[A-Za-z]+", shaped)
    if latin_words and all(word[0].isupper() for word in latin_words) and len(latin_words) <= 3:
        # `Falcon`, `Dolly`, `Open Assistant`: capitalised words - a name when linked to code or weights
        return has_model_link(cell) or len(latin_words) == 1
    return bool(_HAN.search(text)) and has_model_link(cell)


def could_be_model_name(cell: Cell, rules: Rules) -> bool:
    """The benefit of the doubt, for a lead among leads that name models: a short name that
    is not a topic (`书生·浦语` among `GPT4ALL`, `Baize`, `Panda`)."""
    text = cell.text.strip(" :：-–—*#")
    return (
        0 < len(text) <= 16
        and len(text.split()) <= 3
        and not _SENTENCE_END.search(text)
        and not re.search(r"[，,。；;]", text)
        and not rules.generic_words.search(text)
        and not is_vendor(text, rules)
        and bool(rules.weak_words.sub("", text).strip(" -_·"))  # `Code Llama`, not `Coding`
    )


_NAME_LIST_SEPARATORS = ",，、"
_OPENERS, _CLOSERS = "[(（【<", "])）】>"
_BARE_SIZE = Pattern(r"\s*[~≈>≥<≤约]?\s*\d+(?:\.\d+)?\s*[BMTK]?\s*", re.IGNORECASE)
_CJK_NAME = Pattern(r"[\u4e00-\u9fff][\u4e00-\u9fff\w·.\-Σ]{0,9}")


def split_names(markdown: str, read: Callable[[str], Cell], rules: Rules) -> list[str] | None:
    """A name cell that names several models, as the markdown of each: `盘古,盘古气象,盘古-Σ`,
    `XrayGLM,IvyGPT`, `[A](a), [B](b)` (each keeps its own link); None when the cell names one
    (`Baichuan 2 (7B, 13B)`, `7B, 13B`, `XrayGLM，首个会看胸部X光片的…` are one name each)."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(markdown):
        depth += (char in _OPENERS) - (char in _CLOSERS)
        if char in _NAME_LIST_SEPARATORS and depth == 0:
            parts.append(markdown[start:at])
            start = at + 1
    parts.append(markdown[start:])
    if len(parts) < 2:
        return None
    for part in parts:
        text = read(part).text.strip()
        if not text or len(text) > MAX_NAME or _BARE_SIZE.fullmatch(text) or len(text.split()) > 3:
            return None
        if not (_PRODUCT.search(text) or _CJK_NAME.fullmatch(text) or re.fullmatch(r"[A-Z][a-z]+", text)):
            return None  # `首个会看胸部X光片的中文多模态医学大模型`: a description, not a second name
        if is_vendor(text, rules) or rules.generic_words.search(text):
            return None
    return [part.strip() for part in parts]
