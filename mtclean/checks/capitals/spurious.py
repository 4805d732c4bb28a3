"""CAP001: flag a common word capitalized in mid-sentence ("refused Give in").

A capitalized word is flagged only when everything points to a common word: it follows a
lowercase word (so it starts no sentence and follows no colon or quote), it is a frequent
dictionary word (wordfreq + english-words), it is not a title, an institution word or a
proper adjective, it is not part of a run of capitalized words ("Supreme Court",
"Ministry of Commerce", "Belt and Road"), and the document never capitalizes it elsewhere
in mid-sentence (a name is capitalized every time). A word the dictionary also knows as a
name ("Will", "Jordan") must appear in lowercase somewhere in the document as well.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import regex

from .. import check
from ...document import Document
from ...finding import Hit
from ...words import is_plain
from ...lexicon.wordlists import (CONNECTORS, LABEL_WORDS, NAME_PARTICLES, PROPER_ADJECTIVES,
                                  word_occurrences)
from .common import common, needs_lowercase_use, status_table, word_status
from .layout import WORD, Layout, capitalized_in_body, clause

# What follows a candidate on its line and makes it part of a longer proper noun or a
# label (the next line's first word is capitalized anyway, and a fix there must not
# change the verdict).
_NEXT_PROPER = regex.compile(
    r"(?:[^\S\n]?['’]s?)?(?:[^\S\n]+(?:(?:of|and|for|de|du|da|del|la|le|van|von|&)[^\S\n]+"
    r"(?:the[^\S\n]+)?)?\p{Lu}[\p{Ll}\p{M}.]|[^\S\n]+\p{Lu}\.|[^\S\n]+\p{Lu}(?![\p{L}\p{N}]))")
_NEXT_NUMBER = regex.compile(r"[^\S\n]+(?:\d|[IVX]+\b)")
# A number and then a capital or a programme word: the name of a programme ("National
# 863 Program", "the National 973 project").
_NEXT_NUMBERED_NAME = regex.compile(
    r"[^\S\n]+\d+[^\S\n]+(?:\p{Lu}|(?:project|program|programme|plan|scheme|initiative|campaign)s?\b)")


def _sentence_initial(text: str, start: int) -> bool:
    """True at the start of the text, a line or a sentence ("During the Match")."""
    p = start - 1
    while p >= 0 and text[p] in " \t\u00a0":
        p -= 1
    return p < 0 or text[p] in "\n\r.!?…。"


def _previous_word(text: str, start: int) -> tuple[str, bool]:
    """The all-lowercase word before `start` (one space, optional comma between), or ''."""
    p = start - 2
    comma = p >= 0 and text[p] == ","
    if comma:
        p -= 1
    if p >= 0:  # the usual case, a word of letters after a space, without the scan below
        word = text[text.rfind(" ", 0, p + 1) + 1:p + 1]
        if len(word) <= 40 and word.isalpha():
            return (word if word.islower() else ""), comma
    return _scan_previous_word(text, p, comma)


def _scan_previous_word(text: str, p: int, comma: bool) -> tuple[str, bool]:
    """`_previous_word` the slow way, character by character back from `p`: the general
    case (apostrophes, hyphens, text start) and the reference its fast path is tested on."""
    q = p
    while q >= 0 and (text[q].isalpha() or text[q] in "'’-") and p - q < 40:
        q -= 1
    word = text[q + 1:p + 1]
    if not word or not word.islower() or not word[0].isalpha():
        return "", comma
    if q >= 0 and (text[q].isalnum() or text[q] == "."):
        return "", comma
    return word, comma


# After a lowercase letter or a comma and one space, unless the word before holds an ASCII
# capital ("Yangtze River"): `_previous_word` would reject it (it keeps 40 characters at
# most, hence {0,38}). ASCII only, so the test never disagrees with str.isalpha().
_AFTER_LOWER = r"(?<=(?<![A-Z][A-Za-z'’-]{0,38})[\p{Ll}\p{M},] )"


@lru_cache(maxsize=8)
def _candidates(min_len: int) -> regex.Pattern:
    """Title-case words of `min_len`+ letters right after a lowercase word or a comma."""
    return regex.compile(_AFTER_LOWER + r"(\p{Lu}[\p{Ll}\p{M}]{%d,})" % max(1, min_len - 1)
                         + r"(?![\p{L}\p{M}\p{N}\-])(?!['’](?!s(?!\p{L}))\p{L})")


# Prepositions that titles keep lowercase between capitalized common words.
_TITLE_PREPOSITIONS = frozenset(
    "against with from over under into between among without within through across "
    "towards toward".split())  # not "to": "the Ministry to Begin" is a verb after a name


def _word_before(text: str, pos: int) -> tuple[int, str, bool]:
    """The word ending before the whitespace at `pos`: (start, word, followed by comma).

    A backwards scan of a few characters: a regex anchored at the end would try every
    start position of its window.
    """
    p = pos
    while p >= 0 and text[p].isspace():
        p -= 1
    comma = p >= 0 and text[p] == ","
    if comma:
        p -= 1
    q = p
    while q >= 0 and p - q < 40 and (text[q].isalpha() or text[q] in "'’-"
                                     or unicodedata.category(text[q]).startswith("M")):
        q -= 1
    word = text[q + 1:p + 1].lstrip("'’-")
    return p + 1 - len(word), word, comma


def _quote_start(text: str, start: int) -> int:
    """Step back over opening quotes and brackets right before a word."""
    while start > 0 and text[start - 1] in "\"'“‘([«＂＇（［「『《【":
        start -= 1
    return start


def _in_proper_phrase_before(text: str, start: int, prev_word: str) -> bool:
    """True when a connector before the word follows a capital ("Ministry of Commerce")."""
    if prev_word in NAME_PARTICLES:
        return True
    title_only = prev_word in _TITLE_PREPOSITIONS
    if prev_word not in CONNECTORS and not title_only:
        return False
    pos = start - 2 - len(prev_word)  # the space before the connector
    for hop in range(2):
        wstart, word, comma = _word_before(text, pos)
        if not word or comma:
            return False  # nothing before, or "the Party, and Soldiers": a list
        if word in CONNECTORS and hop == 0:
            pos = wstart - 1
            continue
        if (prev_word == "the" or title_only) and _sentence_initial(text, _quote_start(text, wstart)):
            return False  # "During the Match": the capital only starts the sentence
        if title_only:  # "Prevention of Violence against Women": a title of common words
            return word[0].isupper() and common(word, 3.0)
        return word[0].isupper()
    return False


_OF_WORD = regex.compile(r"\s+(?:of\s+|for\s+(?=\p{Lu}[\p{Ll}\p{M}]+\s+\p{Ll}))(\p{Lu}[\p{Ll}\p{M}]+)")


def _before_demonym(text: str, end: int) -> bool:
    """True for "Migration of Tibetan herds", "Destinations for British tourists": 'of' +
    proper adjective, or 'for' + proper adjective + a lowercase word, starts a new
    phrase (not "the Fund for American Studies")."""
    m = _OF_WORD.match(text, end, min(len(text), end + 60))
    return bool(m) and m.group(1) in PROPER_ADJECTIVES


_OPEN_CLOSE = (("“", "”"), ("«", "»"), ("(", ")"), ("《", "》"), ("「", "」"))
_SENTENCE_INSIDE = regex.compile(r"[.!?。！？]\s|\n")
_QUOTE_WORDS = 25  # longer quotations are speech, not the title of a work


def _in_short_title(doc: Document, start: int) -> bool:
    """True inside a short quotation or bracket written as a title ("Winter of Faith",
    "(Draft for Comments)"): the name of a work, a slogan or a document."""
    text = doc.text
    para = doc.paragraph_at(start) or (max(0, start - 2000), start)
    lo = max(para[0], start - 2000)
    spans = []
    for o, c in _OPEN_CLOSE:
        i = text.rfind(o, lo, start)
        if i != -1 and text.rfind(c, i, start) == -1:
            spans.append((i, text.find(c, start, min(len(text), start + 400))))
    before = text[lo:start]
    if before.count('"') % 2 == 1:
        i = text.rfind('"', lo, start)
        spans.append((i, text.find('"', start, min(len(text), start + 400))))
    for i, j in spans:
        if j == -1:
            continue
        inner = text[i + 1:j].lstrip(" '‘\"")
        if not inner[:1].isupper() or len(inner.split()) > _QUOTE_WORDS:
            continue
        if _SENTENCE_INSIDE.search(inner):
            continue  # sentences or lines inside: marks that pair across them, not a title
        # A title capitalizes its longer words; quoted speech does not ("We will Close it").
        others = [m.group() for m in WORD.finditer(text, i + 1, j)
                  if len(m.group()) >= 4 and m.start() != start]
        if sum(w[0].isupper() for w in others) * 2 >= len(others):
            return True
    return False


def _capital_dense(doc: Document, start: int, end: int) -> bool:
    """True inside a capitalized title written into a sentence ("by State-owned
    Shareholders through Public Call"): capitals on both sides, three in six words."""
    text = doc.text
    para = doc.paragraph_at(start) or (0, len(text))
    # The clause, not the segmenter's sentence: SB003 capitalizing "on" in "Agency. on
    # Monday" splits the sentence there, and the verdict must not change with it.
    sent = clause(doc, start) or para
    # Both sides stop at the clause and the line: the next sentence's or line's first word
    # is capitalized anyway, and a fix there (a tag removed) must not change this verdict.
    lo = max(sent[0], text.rfind("\n", 0, start) + 1)
    hi = min(sent[1], end + 50)
    nl = text.find("\n", end, hi)
    hi = hi if nl == -1 else nl
    words = doc.view(Layout).untagged(doc)  # a tag's words are gone after BOIL001
    left = WORD.findall(words, max(lo, start - 50), start)
    if left and max(lo, start - 50) == lo:
        left = left[1:]  # a sentence's or line's first word is capitalized anyway
    left = left[-3:]
    right = WORD.findall(words, end, hi)[:3]
    l_caps = sum(1 for w in left if w[:1].isupper() and not w.isupper())
    r_caps = sum(1 for w in right if w[:1].isupper() and not w.isupper())
    return l_caps >= 1 and r_caps >= 1 and l_caps + r_caps >= 3


# A person named by a role first ("outbreak expert Foggy: ...", "spokeswoman Hope said"):
# MT renders some names as words, and a word there, closed by punctuation or a verb of
# saying, is the name it stands in apposition to, not a stray capital.
_ROLES = frozenset("""expert specialist spokesman spokeswoman spokesperson director official
    minister secretary president chairman chairwoman professor teacher doctor researcher
    scientist analyst economist reporter correspondent journalist player coach actor actress
    singer writer author artist host anchor founder captain lawyer judge officer commander
    governor mayor senator ambassador envoy engineer manager chef athlete champion""".split())
_AFTER_NAMED = regex.compile(r"[:;,.]|[^\S\n]+(?:said|says|told|tells|added|stressed)\b")
# A place named after a preposition and then described ("to Longevity, a town of ...";
# not ", the province said": that opens a clause).
_PLACE_BEFORE = frozenset("to in at from near via into toward towards".split())
_PLACE_APPOSITIVE = regex.compile(
    r",[^\S\n]+(?:a|an)[^\S\n]+(?:[\p{Ll}-]+[^\S\n]+){0,2}?(?:town|city|village|county|"
    r"district|township|port|province|region|island|river|lake|mountain|prefecture|suburb)\b")


def _plain_context(text: str, word: str, s: int, e: int) -> bool:
    """The cheap tests on the words around a candidate: a lowercase word before it, and
    no proper noun, name particle or label number it could belong to."""
    prev_word, comma = _previous_word(text, s)
    if not prev_word:
        return False
    if not comma and prev_word in _ROLES and _AFTER_NAMED.match(text, e):
        return False
    if prev_word in _PLACE_BEFORE and _PLACE_APPOSITIVE.match(text, e, min(len(text), e + 60)):
        return False
    if not comma and _in_proper_phrase_before(text, s, prev_word):
        return False
    if _NEXT_PROPER.match(text, e, min(len(text), e + 60)) and not _before_demonym(text, e):
        return False
    if _NEXT_NUMBERED_NAME.match(text, e, min(len(text), e + 40)):
        return False
    return not (word in LABEL_WORDS and _NEXT_NUMBER.match(text, e, min(len(text), e + 8)))


def _body_context(doc: Document, s: int, e: int) -> bool:
    """The tests that need the document's layout and sentences, run last so that most
    segments never build them: body text, no title, not a sentence start."""
    if doc.view(Layout).title_styled_at(doc, s):
        return False
    if _capital_dense(doc, s, e) or _in_short_title(doc, s):
        return False
    sent = doc.sentence_at(s)
    return sent is None or sent[0] != s


# In plain text (letters all ASCII, see words.is_plain), every candidate and a few
# more words, by a plain `re` scan that costs a third of the `_candidates` one. It leaves
# out two kinds of word that `_plain_context` would reject, which keeps most segments
# away from the per-word tests: one right after a capitalized word of up to 13 letters
# ("Yangtze River": the word before is not lowercase; `re` wants fixed-width look-behinds,
# hence one per length), and one right before a capitalized word ("United States": a
# proper noun follows, and without "of" between no demonym can start).
_AFTER_CAPITALIZED = "".join(f"(?<![A-Z][a-z]{{{n}}} )" for n in range(1, 13))
_PLAIN_CANDIDATE = re.compile(
    r" (?=[A-Z][a-z])(?<=[a-z,] )" + _AFTER_CAPITALIZED
    + r"([A-Z][a-z]+)(?![A-Za-z0-9\-])(?!['’](?!s(?![A-Za-z]))[A-Za-z])(?! [A-Z][a-z.])")


def _candidate_words(doc: Document) -> list[str]:
    """The candidates of two letters or more, in plain text with some more words (any
    min_length selects by length: a candidate is a whole run of lowercase letters). A
    view of the document (`doc.view(_candidate_words)`): CAP001's trigger finds them and
    the check reads them next."""
    text = doc.text
    return _PLAIN_CANDIDATE.findall(text) if doc.plain else _candidates(2).findall(text)


def _has_candidates(doc: Document) -> bool:
    """CAP001's trigger: the document holds a candidate word."""
    return bool(doc.view(_candidate_words))


def _candidate_matches(doc: Document, min_len: int):
    """Matches whose group 1 may be a candidate (`min_len` is still to check): in plain
    text the cheaper superset, whose extra words follow a word `_previous_word` rejects."""
    text = doc.text
    if doc.plain:
        return _PLAIN_CANDIDATE.finditer(text)
    return _candidates(min_len).finditer(text)


_SETTINGS: dict[int, tuple] = {}  # id(options) -> (options, settings)
_NO_OPTIONS: dict = {}


def _settings(opts: dict) -> tuple[float, float, int]:
    """(rare_zipf, min_zipf, min_len) from a rule's options, parsed once per options dict
    (the dict is kept with them, so its id is not reused while the entry lives)."""
    entry = _SETTINGS.get(id(opts))
    if entry is None or entry[0] is not opts:
        if len(_SETTINGS) > 64:
            _SETTINGS.clear()
        min_zipf = float(opts.get("min_zipf", 3.0))
        rare_zipf = min(min_zipf, float(opts.get("min_zipf_used_lowercase", 2.0)))
        entry = _SETTINGS[id(opts)] = (opts, (rare_zipf, min_zipf, int(opts.get("min_length", 4))))
    return entry[1]


def _status_of(word: str, status: dict, rare_zipf: float, min_zipf: float) -> int:
    """A candidate's `word_status`, memoised in `status` (the per-settings table)."""
    st = status.get(word)
    if st is None:
        st = status[word] = word_status(word, rare_zipf, min_zipf)
    return st


def _any_viable(text: str, words, min_len: int, status: dict, rare_zipf: float,
                min_zipf: float) -> bool:
    """True if a candidate is a common word, or one that needs (and has) a lowercase use:
    in four segments out of five none is, and the candidates' spans are never needed."""
    looked: set[str] = set()  # one substring search per word, not per occurrence
    for word in words:
        if len(word) < min_len:
            continue
        st = _status_of(word, status, rare_zipf, min_zipf)
        if st == 1:
            return True
        if st == 2 and word not in looked:
            looked.add(word)
            if word.lower() in text:
                return True
    return False


def _chunk_scan(rule, context):
    """CAP001's scan of a batch chunk (mtclean/chunkgate.py): the texts `_any_viable`
    passes, found from one `_PLAIN_CANDIDATE` pass over the joined texts instead of a
    trigger and a check call per segment (nine in ten have no viable candidate). The
    pattern reads nothing past a text's own characters but a space's neighbour, which is
    a line break of the separator where the text alone has its edge: neither matches, so
    a plain text's candidates are the same joined. Other texts are added unscanned."""

    def scan(chunk, out: set) -> None:
        rare_zipf, min_zipf, min_len = _settings(rule.options or _NO_OPTIONS)
        status = status_table(rare_zipf, min_zipf)
        texts, starts = chunk.texts, chunk.starts
        out.update(i for i, t in enumerate(texts) if not is_plain(t))
        for m in _PLAIN_CANDIDATE.finditer(chunk.joined):
            word = m.group(1)
            if len(word) < min_len:
                continue
            i = bisect_right(starts, m.start()) - 1
            if i in out:
                continue
            st = _status_of(word, status, rare_zipf, min_zipf)
            if st == 1 or (st == 2 and word.lower() in texts[i]):
                out.add(i)
    return scan


@check("spurious-capital", trigger=_has_candidates, chunk_scan=_chunk_scan)
def spurious_capital(doc: Document, rule) -> list[Hit]:
    """Flag a common word capitalized after a lowercase word, outside any proper noun."""
    rare_zipf, min_zipf, min_len = _settings(rule.options or _NO_OPTIONS)
    text = doc.text
    status = status_table(rare_zipf, min_zipf)
    if not _any_viable(text, doc.view(_candidate_words), min_len, status, rare_zipf, min_zipf):
        return []
    in_lowercase: dict[str, bool] = {}  # one substring search per word in long documents
    found = []
    for m in _candidate_matches(doc, min_len):
        word = m.group(1)
        if len(word) < min_len:
            continue
        st = _status_of(word, status, rare_zipf, min_zipf)
        if st == 2:
            used = in_lowercase.get(word)
            if used is None:
                used = in_lowercase[word] = word.lower() in text
            if not used:
                continue  # never used in lowercase (the exact test comes below)
        elif not st:
            continue  # not a common word
        s, e = m.span(1)
        if _plain_context(text, word, s, e) and _body_context(doc, s, e):
            found.append((s, e, word))
    if not found:
        return []
    # Only a word written twice can be capitalized elsewhere too (evidence > 1).
    twice = {w for w in {f[2] for f in found} if text.count(w) > 1}
    evidence = capitalized_in_body(doc, doc.view(Layout), twice)
    need_lower = {w for _, _, w in found if needs_lowercase_use(w, min_zipf)}
    seen = word_occurrences(text, {w.lower() for w in need_lower})
    found = [f for f in found if f[2] not in need_lower or seen.get(f[2].lower())]
    hits = []
    for s, e, word in found:
        if evidence.get(word, 0) > 1:
            continue  # capitalized elsewhere in mid-sentence too: a name in this document
        low = word.lower()
        hits.append(Hit(s, e, replacement=low,
                        message=f"'{word}' is capitalized in mid-sentence; "
                                f"the common word is '{low}'"))
    return hits
