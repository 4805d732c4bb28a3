"""Flag common words capitalized in mid-sentence ("refused Give in") and sentences MT
wrote in Title Case ("Grieve Said That Russia And The ...").

A capitalized word is flagged only when everything points to a common word: it follows a
lowercase word (so it starts no sentence and follows no colon or quote), it is a frequent
dictionary word (wordfreq + english-words), it is not a title, an institution word or a
proper adjective, it is not part of a run of capitalized words ("Supreme Court",
"Ministry of Commerce", "Belt and Road"), and the document never capitalizes it elsewhere
in mid-sentence (a name is capitalized every time). A word the dictionary also knows as a
name ("Will", "Jordan") must appear in lowercase somewhere in the document as well.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

import regex

from ..document import Document
from ..finding import Hit
from . import check
from ..lexicon.wordlists import (BRANDS_AND_TITLES, CHINESE_SURNAMES, COMPASS, CONNECTORS, FUNCTION_WORDS,
                        INSTITUTION_WORDS, LABEL_WORDS, MONTHS_AND_DAYS, NAME_PARTICLES,
                        PLACE_WORDS, PROPER_ADJECTIVES, TITLES, common_word,
                        known_place, known_word, proper_in_dictionary, word_occurrences, zipf)

# A Title-case word, not part of a hyphenated word, a contraction or an abbreviation.
_TITLE = regex.compile(r"(?<![\p{L}\p{M}\p{N}'’\-.])\p{Lu}[\p{Ll}\p{M}]+"
                       r"(?![\p{L}\p{M}\p{N}\-])(?!['’](?!s(?!\p{L}))\p{L})")
_WORD = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’]*(?:-[\p{L}\p{M}]+)*")
# What follows a candidate and makes it part of a longer proper noun or a label.
_NEXT_PROPER = regex.compile(
    r"(?:\s?['’]s?)?(?:\s+(?:(?:of|and|for|de|du|da|del|la|le|van|von|&)\s+(?:the\s+)?)?"
    r"\p{Lu}[\p{Ll}\p{M}.]|\s+\p{Lu}\.|\s+\p{Lu}(?![\p{L}\p{N}]))")
_NEXT_NUMBER = regex.compile(r"\s+(?:\d|[IVX]+\b)")
# A number and then a capital or a programme word: the name of a programme ("National
# 863 Program", "the National 973 project").
_NEXT_NUMBERED_NAME = regex.compile(
    r"\s+\d+\s+(?:\p{Lu}|(?:project|program|programme|plan|scheme|initiative|campaign)s?\b)")
# Characters after which a capital is expected or allowed (sentence ends, colons, quotes).
_OPENERS = frozenset(".!?:;\"“”‘’'()[]{}「」『』—–-•*#…|/>")
_TERMINAL = regex.compile(r"[.!?…。！？][\"'”’»)\]]*$")

_PLAIN_FUNCTION = FUNCTION_WORDS - {"will", "may", "can", "might", "must"}  # not names
# Titles that are also everyday adjectives or nouns ("a Major problem", "the Chief reason"):
# before a name they are skipped anyway (a capital follows), so only the others are exempt.
_TITLE_WORDS_IN_COMMON_USE = frozenset("""
Major Chief Private Principal General Executive Master Elder Officer Agent Nurse Chef Coach
Doctor Judge Justice Advocate Delegate Envoy Founder Crown Comrade Representative Deputy
""".split())
_NEVER = ((TITLES - _TITLE_WORDS_IN_COMMON_USE) | INSTITUTION_WORDS | COMPASS | PROPER_ADJECTIVES | MONTHS_AND_DAYS
          | PLACE_WORDS | CHINESE_SURNAMES | BRANDS_AND_TITLES)


@lru_cache(maxsize=65536)
def _common(word: str, min_zipf: float, strict: bool = True) -> bool:
    """True for a frequent dictionary word that is not a name, title or proper adjective.

    `strict` asks for a word both dictionaries know; otherwise one of them is enough.
    """
    if word in _NEVER or known_place(word):
        return False
    if word.endswith("s") and (word[:-1] in PROPER_ADJECTIVES or word[:-2] in PROPER_ADJECTIVES):
        return False  # "Poles", "Americans", "Swisses"
    low = word.lower()
    return zipf(low) >= min_zipf and (common_word(low) if strict else known_word(low))


def _needs_lowercase_use(word: str, min_zipf: float) -> bool:
    """A word the dictionary also lists as a name ("Will", "Urban", "Turkey") or a rarer
    word (below `min_zipf`, or in one dictionary only: "Plenum", "Marl") is flagged only
    when the document also uses it in lowercase."""
    return (proper_in_dictionary(word) and word.lower() not in _PLAIN_FUNCTION
            or not _common(word, min_zipf))


_STATUS_TABLES: dict[tuple[float, float], dict[str, int]] = {}


def _status_table(rare_zipf: float, min_zipf: float) -> dict[str, int]:
    """Memo of `_word_status` in a plain dict: it runs on every candidate of every
    segment, where a dict lookup costs a fraction of an lru_cache call. Cleared when it
    grows past the lru_cache's size."""
    table = _STATUS_TABLES.setdefault((rare_zipf, min_zipf), {})
    if len(table) > 65536:
        table.clear()
    return table


def _word_status(word: str, rare_zipf: float, min_zipf: float) -> int:
    """0: never a spurious capital; 1: a common word; 2: one that needs lowercase use."""
    if not _common(word, rare_zipf, strict=False):
        return 0
    return 2 if _needs_lowercase_use(word, min_zipf) else 1


def _mid_sentence(text: str, start: int) -> bool:
    """True when the text before `start` on its line does not end a sentence or clause."""
    p = start - 1
    while p >= 0 and text[p] in " \t\u00a0":
        p -= 1
    return p >= 0 and text[p] not in "\n\r" and text[p] not in _OPENERS


def _sentence_initial(text: str, start: int) -> bool:
    """True at the start of the text, a line or a sentence ("During the Match")."""
    p = start - 1
    while p >= 0 and text[p] in " \t\u00a0":
        p -= 1
    return p < 0 or text[p] in "\n\r.!?…。"


def _headline(text: str, span: tuple[int, int]) -> bool:
    """A short paragraph without terminal punctuation: a headline, a caption or a credit."""
    a, b = span
    return b - a <= 400 and not _TERMINAL.search(text, max(a, b - 12), b)


def _title_styled(text: str, span: tuple[int, int], skip: int = -1) -> bool:
    """Most longer words capitalized (acronyms and the word at `skip` not counted)."""
    words = [m.group() for m in _WORD.finditer(text, *span)
             if len(m.group()) >= 4 and m.start() != skip and not m.group().isupper()]
    return not words or sum(w[0].isupper() for w in words) >= 0.5 * len(words)


class _Layout:
    """Per-document facts both checks need: headlines and Title Case sentences. A view of
    the document (`doc.view(_Layout)`), so both checks build it once.

    Each part is computed on first use: most segments never need either. The document is
    passed to each method, not kept (a view holding its document would be a cycle).
    """

    def __init__(self, doc: Document):
        self._heads = self._title_case = None

    def heads(self, doc: Document) -> tuple[list, list]:
        """Headline paragraphs and their start offsets."""
        if self._heads is None:
            text = doc.text
            heads = [p for p in doc.paragraphs if _headline(text, p)]
            self._heads = (heads, [p[0] for p in heads])
        return self._heads

    def title_case(self, doc: Document) -> tuple[list, list]:
        """Title Case sentences and their start offsets."""
        if self._title_case is None:
            spans = [s for s in _suspect_sentences(doc) if _is_title_case(doc, s)]
            self._title_case = (spans, [s[0] for s in spans])
        return self._title_case

    @staticmethod
    def _inside(spans, starts, offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and spans[i][0] <= offset < spans[i][1]

    def skipped(self, doc: Document, offset: int) -> bool:
        """Inside a headline or a Title Case sentence: no evidence about common words."""
        return (self._inside(*self.heads(doc), offset)
                or self._inside(*self.title_case(doc), offset))

    def title_styled_at(self, doc: Document, offset: int) -> bool:
        """Inside a Title Case sentence, or a headline whose other words are capitalized."""
        if self._inside(*self.title_case(doc), offset):
            return True
        heads, starts = self.heads(doc)
        i = bisect.bisect_right(starts, offset) - 1
        head = heads[i] if i >= 0 and heads[i][0] <= offset < heads[i][1] else None
        return head is not None and _title_styled(doc.text, head, skip=offset)


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


_TC_WORDS = ("The|And|Of|To|In|On|At|By|For|From|With|That|Is|Are|Was|Were|Has|Have|Had|"
             "Will|Would|Be|Been|It|Its|As|Than|This|Said|Says")
# A capitalized function word right after a capitalized word: the mark of Title Case.
_TC_MARK = regex.compile(r"(?<=\p{Lu}[\p{Ll}\p{M}]*,? )(?:%s)(?= )" % _TC_WORDS)
# The same word after a space, anything before it: a plain `re` scan whose lookahead
# passes over most spaces at once (a third of the cost of the lookbehind above).
_TC_WORD = re.compile(r" (?=[%s])(?:%s)(?= )"
                      % ("".join(sorted({w[0] for w in _TC_WORDS.split("|")})), _TC_WORDS))


def _two_marks(doc: Document) -> bool:
    """CAP002's precondition: a Title Case sentence holds two `_TC_MARK`s, so the text holds
    two `_TC_WORD`s (they cannot overlap: each ends before the space the next one needs)."""
    text = doc.text
    m = _TC_WORD.search(text)
    return m is not None and _TC_WORD.search(text, m.end()) is not None


# A sentence end the segmenter keeps inside one sentence because a lowercase word follows
# ("exports. officials said"): SB003 capitalizes that word, and Title Case must be judged
# the same before and after, or `fix` would act on a verdict `check` never reached.
_LOWER_AFTER_END = regex.compile(r"(?<=\p{Ll}{2}[.!?][\"”’)]?)\s+(?=\p{Ll})")


def _clause(doc: Document, offset: int) -> tuple[int, int] | None:
    """The sentence around `offset`, cut at sentence ends a lowercase word follows."""
    s = doc.sentence_at(offset)
    if s is None:
        return None
    a, b = s
    for m in _LOWER_AFTER_END.finditer(doc.text, a, b):
        if m.end() <= offset:
            a = m.end()
        else:
            b = m.start()
            break
    return a, b


def _suspect_sentences(doc: Document) -> list[tuple[int, int]]:
    """Sentences holding at least two capitalized function words after capitals."""
    counts: dict[tuple[int, int], int] = {}
    for m in _TC_MARK.finditer(doc.text):
        s = _clause(doc, m.start())
        if s is not None:
            counts[s] = counts.get(s, 0) + 1
    return sorted(s for s, n in counts.items() if n >= 2)


def _is_title_case(doc: Document, span: tuple[int, int]) -> bool:
    """Six words or more, three quarters capitalized, in a paragraph that is no headline."""
    text = doc.text
    a, b = span
    words = _WORD.findall(text, a, b)
    if len(words) < 6:
        return False
    caps = sum(w[0].isupper() for w in words)
    if caps < 0.75 * len(words):
        return False
    para = doc.paragraph_at(a)
    if para and not _TERMINAL.search(text, max(para[0], para[1] - 12), para[1]):
        return False  # a headline: its paragraph has no closing punctuation
    return True


_CLAUSE_END = regex.compile(r"[.!?;:。！？]\s")


def _evidence(doc: Document, layout: _Layout, words) -> dict[str, int]:
    """How often each of `words` appears capitalized in mid-sentence body text.

    Uses in the same words (three either side: a repeated sentence or phrase that
    REP101/REP001 delete) count once: evidence must not change when `fix` removes a copy,
    or `fix` would act on a word `check` never reported.
    """
    text = doc.text
    counts: dict[str, int] = {}
    for w, starts in word_occurrences(text, words).items():
        seen = set()
        for s in starts:
            if _mid_sentence(text, s) and not layout.skipped(doc, s):
                lo, hi = doc.sentence_at(s) or (0, len(text))
                left = _CLAUSE_END.split(text[max(lo, s - 60):s])[-1]
                right = _CLAUSE_END.split(text[s:min(hi, s + len(w) + 60)])[0]
                before, after = _WORD.findall(left)[-3:], _WORD.findall(right)[:4]
                seen.add((tuple(x.lower() for x in before), tuple(x.lower() for x in after)))
        counts[w] = len(seen)
    return counts


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
    while start > 0 and text[start - 1] in "\"'“‘([«":
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
            return word[0].isupper() and _common(word, 3.0)
        return word[0].isupper()
    return False


_OF_WORD = regex.compile(r"\s+of\s+(\p{Lu}[\p{Ll}\p{M}]+)")


def _before_demonym(text: str, end: int) -> bool:
    """True for "Migration of Tibetan herds": 'of' + proper adjective starts a new phrase."""
    m = _OF_WORD.match(text, end, min(len(text), end + 60))
    return bool(m) and m.group(1) in PROPER_ADJECTIVES


_OPEN_CLOSE = (("“", "”"), ("«", "»"), ("(", ")"), ("《", "》"), ("「", "」"))
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
        # A title capitalizes its longer words; quoted speech does not ("We will Close it").
        others = [m.group() for m in _WORD.finditer(text, i + 1, j)
                  if len(m.group()) >= 4 and m.start() != start]
        if sum(w[0].isupper() for w in others) * 2 >= len(others):
            return True
    return False


def _capital_dense(doc: Document, start: int, end: int) -> bool:
    """True inside a capitalized title written into a sentence ("by State-owned
    Shareholders through Public Call"): capitals on both sides, three in six words."""
    text = doc.text
    para = doc.paragraph_at(start) or (0, len(text))
    sent = doc.sentence_at(start) or para
    left = _WORD.findall(text, max(sent[0], start - 50), start)
    if left and max(sent[0], start - 50) == sent[0]:
        left = left[1:]  # a sentence's first word is capitalized anyway
    left = left[-3:]
    right = _WORD.findall(text, end, min(para[1], end + 50))[:3]
    l_caps = sum(1 for w in left if w[:1].isupper() and not w.isupper())
    r_caps = sum(1 for w in right if w[:1].isupper() and not w.isupper())
    return l_caps >= 1 and r_caps >= 1 and l_caps + r_caps >= 3


def _plain_context(text: str, word: str, s: int, e: int) -> bool:
    """The cheap tests on the words around a candidate: a lowercase word before it, and
    no proper noun, name particle or label number it could belong to."""
    prev_word, comma = _previous_word(text, s)
    if not prev_word:
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
    if doc.view(_Layout).title_styled_at(doc, s):
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
    """A candidate's `_word_status`, memoised in `status` (the per-settings table)."""
    st = status.get(word)
    if st is None:
        st = status[word] = _word_status(word, rare_zipf, min_zipf)
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


@check("spurious-capital", trigger=_has_candidates)
def spurious_capital(doc: Document, rule) -> list[Hit]:
    """Flag a common word capitalized after a lowercase word, outside any proper noun."""
    rare_zipf, min_zipf, min_len = _settings(rule.options or _NO_OPTIONS)
    text = doc.text
    status = _status_table(rare_zipf, min_zipf)
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
    evidence = _evidence(doc, doc.view(_Layout), twice)
    need_lower = {w for _, _, w in found if _needs_lowercase_use(w, min_zipf)}
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


_NAME_HEADS = INSTITUTION_WORDS | TITLES


def _keep_capital(word: str, evidence: dict[str, int]) -> bool:
    """In a Title Case sentence, keep capitals on names, titles and proper adjectives."""
    low = word.lower()
    if word.isupper() or len(word) < 2:
        return True
    if low in FUNCTION_WORDS:
        return False
    return not _common(word, 3.0) or proper_in_dictionary(word) or evidence.get(word, 0) > 0


# A Title Case sentence holds at least two `_TC_MARK`s.
@check("title-case-sentence", trigger=_two_marks)
def title_case_sentence(doc: Document, rule) -> list[Hit]:
    """Flag a body sentence written in Title Case; the fix lowercases its common words."""
    text = doc.text
    layout = doc.view(_Layout)
    title_case = layout.title_case(doc)[0]
    if not title_case:
        return []
    evidence = _evidence(doc, layout, {w for a, b in title_case
                                       for w in _WORD.findall(text, a, b) if w[:1].isupper()})
    hits = []
    for a, b in title_case:
        words = list(_WORD.finditer(text, a, b))
        keep = [True] * len(words)
        for i in range(len(words) - 1, 0, -1):
            w = words[i].group()
            before = text[words[i - 1].end():words[i].start()]
            if not w[0].isupper() or any(c in before for c in ":\"“‘("):
                continue
            keep[i] = _keep_capital(w, evidence)
            if not keep[i] and w.lower() not in FUNCTION_WORDS and any(
                    0 <= k < len(words) and words[k].group() in _NAME_HEADS for k in (i - 1, i + 1)):
                keep[i] = True  # "City Health Commission": part of an institution's name
        changed = [i for i in range(1, len(words)) if not keep[i]]
        if not changed:
            continue
        lo, hi = words[changed[0]].start(), words[changed[-1]].end()
        pieces, pos = [], lo
        for i in changed:
            m = words[i]
            pieces.append(text[pos:m.start()])
            pieces.append(m.group().lower())
            pos = m.end()
        pieces.append(text[pos:hi])
        hits.append(Hit(lo, hi, replacement="".join(pieces),
                        message="Sentence written in Title Case; common words should be lowercase"))
    return hits
