"""The capitalization layout of a document, a view both capitals rules read: headline
paragraphs, sentences written in Title Case, and how often a word is capitalized in
mid-sentence body text (the evidence that it is a name)."""

from __future__ import annotations

import bisect

import regex

from ...document import Document
from ...lexicon.wordlists import word_occurrences
from ..boilerplate import inline_tags

WORD = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}'’]*(?:-[\p{L}\p{M}]+)*")
# Characters after which a capital is expected or allowed (sentence ends, colons, quotes).
# Full-width and CJK forms count as their ASCII twins: NUM/CJK fixes turn ＂ into ", and a
# capital must not become mid-sentence evidence only until that fix is made.
_OPENERS = frozenset(".!?:;\"“”‘’'()[]{}「」『』—–-•*#…|/>«»‹›＂＇（）［］｛｝【】《》〈〉〔〕。！？：；")
# Marks that continue a sentence: a capital after one is mid-sentence.
_MID = frozenset(",%&$")
# Quotation marks that close on the word before them, then a space: the sentence goes on
# (QUO001's fix closes an open quotation so, and the evidence must not change with it).
_CLOSE_AFTER_WORD = frozenset("”’\"'＂＇")
TERMINAL = regex.compile(r"[.!?…。！？][\"'”’»)\]]*$")


def mid_sentence(text: str, start: int) -> bool:
    """True when a word or a comma comes before `start` on its line: a capital there is
    evidence of a name. After a symbol (mojibake such as â€™, an emoji, a stray ~) nothing
    is known, and the evidence must not change when a fix turns that symbol into a quote."""
    p = start - 1
    while p >= 0 and text[p] in " \t\u00a0":
        p -= 1
    if p >= 1 and p < start - 1 and text[p] in _CLOSE_AFTER_WORD and text[p - 1].isalnum():
        return True  # a quotation closed on a word ("the “council” Reduce"), as QUO001 may close it
    return p >= 0 and (text[p].isalnum() or text[p] in _MID) and text[p] not in _OPENERS


def _headline(text: str, span: tuple[int, int]) -> bool:
    """A short paragraph without terminal punctuation: a headline, a caption or a credit."""
    a, b = span
    return b - a <= 400 and not TERMINAL.search(text, max(a, b - 12), b)


def _headline_lines(text: str, para: tuple[int, int]) -> list[tuple[int, int]]:
    """Lines of a paragraph of several (one segment a line, as MT output comes) that read
    as a headline paragraph would: the first line or one after a finished sentence,
    without terminal punctuation, in title style, and followed by a line that opens with
    a capital. A hard-wrapped sentence's line fails the style test."""
    a, b = para
    out, prev_done, pos = [], True, a
    while pos < b:
        end = text.find("\n", pos, b)
        if end == -1:
            break  # the last line: a paragraph end, not a line followed by another
        la, lb = pos, end
        while lb > la and text[lb - 1].isspace():
            lb -= 1
        nxt = end + 1
        while nxt < b and text[nxt].isspace():
            nxt += 1
        if (prev_done and la < lb and _headline(text, (la, lb)) and _title_styled(text, (la, lb))
                and nxt < b and _opens_capitalized(text, nxt, b)):
            out.append((la, lb))
        prev_done = la == lb or TERMINAL.search(text, max(la, lb - 12), lb) is not None
        pos = end + 1
    return out


def _opens_capitalized(text: str, i: int, end: int) -> bool:
    """A capital letter first on the line at `i`, after any quotation marks or brackets."""
    while i < end and text[i] in "\"'“‘([«":
        i += 1
    return i < end and text[i].isupper()


def _title_styled(text: str, span: tuple[int, int], skip: int = -1) -> bool:
    """Most longer words capitalized (acronyms and the word at `skip` not counted)."""
    words = [m.group() for m in WORD.finditer(text, *span)
             if len(m.group()) >= 4 and m.start() != skip and not m.group().isupper()]
    return not words or sum(w[0].isupper() for w in words) >= 0.5 * len(words)


class Layout:
    """Per-document facts both checks need: headlines and Title Case sentences. A view of
    the document (`doc.view(Layout)`), so both checks build it once.

    Each part is computed on first use: most segments never need either. The document is
    passed to each method, not kept (a view holding its document would be a cycle).
    """

    def __init__(self, doc: Document):
        self._heads = self._title_case = self._tags = self._untagged = None

    def heads(self, doc: Document) -> tuple[list, list]:
        """Headline paragraphs and their start offsets."""
        if self._heads is None:
            text = doc.text
            heads = []
            for p in doc.paragraphs:
                if _headline(text, self._before_tag(doc, p)):
                    heads.append(p)
                elif text.find("\n", *p) != -1:
                    heads += _headline_lines(text, p)
            self._heads = (heads, [p[0] for p in heads])
        return self._heads

    def title_case(self, doc: Document) -> tuple[list, list]:
        """Title Case sentences and their start offsets."""
        if self._title_case is None:
            spans = [s for s in _suspect_sentences(doc) if _is_title_case(doc, s)]
            self._title_case = (spans, [s[0] for s in spans])
        return self._title_case

    def _tag_spans(self, doc: Document) -> tuple[list, list]:
        if self._tags is None:
            spans = inline_tags(doc.text)
            self._tags = (spans, [s[0] for s in spans])
        return self._tags

    def in_tag(self, doc: Document, offset: int) -> bool:
        """Inside an inline editor tag ("【Editor: Zhang Wei】") that BOIL001 removes."""
        return self._inside(*self._tag_spans(doc), offset)

    def _before_tag(self, doc: Document, span: tuple[int, int]) -> tuple[int, int]:
        """A paragraph without the editor tag that ends it (and the space before it)."""
        a, b = span
        end = b
        while b > a and self.in_tag(doc, b - 1):
            b = self._tags[0][bisect.bisect_right(self._tags[1], b - 1) - 1][0]
        if b < end and b > a and doc.text[b - 1] == " ":
            b -= 1
        return a, b

    def untagged(self, doc: Document) -> str:
        """The text with its inline editor tags blanked out (offsets kept): the words a
        verdict may weigh, since BOIL001 removes the tags and the verdict must not change."""
        if self._untagged is None:
            spans = self._tag_spans(doc)[0]
            text = doc.text
            if spans:
                parts, at = [], 0
                for a, b in spans:
                    parts += [text[at:a], " " * (b - a)]
                    at = b
                parts.append(text[at:])
                text = "".join(parts)
            self._untagged = text
        return self._untagged

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
        if head is None:
            return False
        # Judged on the word's own sentence of the headline: a fix in another sentence (an
        # entity renamed) must not turn this word's verdict round.
        sent = clause(doc, offset) or head
        span = (max(head[0], sent[0]), min(head[1], sent[1]))
        return _title_styled(self.untagged(doc), span, skip=offset)


TC_WORDS = ("The|And|Of|To|In|On|At|By|For|From|With|That|Is|Are|Was|Were|Has|Have|Had|"
            "Will|Would|Be|Been|It|Its|As|Than|This|Said|Says")
# A capitalized function word right after a capitalized word: the mark of Title Case.
TC_MARK = regex.compile(r"(?<=\p{Lu}[\p{Ll}\p{M}]*,? )(?:%s)(?= )" % TC_WORDS)


# A sentence end the segmenter keeps inside one sentence because a lowercase word follows
# ("exports. officials said"): SB003 capitalizes that word, and Title Case must be judged
# the same before and after, or `fix` would act on a verdict `check` never reached.
_LOWER_AFTER_END = regex.compile(r"(?<=\p{Ll}{2}[.!?][\"”’)]?)\s+(?=\p{Ll})")


def clause(doc: Document, offset: int) -> tuple[int, int] | None:
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
    for m in TC_MARK.finditer(doc.text):
        s = clause(doc, m.start())
        if s is not None:
            counts[s] = counts.get(s, 0) + 1
    return sorted(s for s, n in counts.items() if n >= 2)


def _is_title_case(doc: Document, span: tuple[int, int]) -> bool:
    """Six words or more, three quarters capitalized, in a paragraph that is no headline."""
    text = doc.text
    a, b = span
    words = WORD.findall(text, a, b)
    if len(words) < 6:
        return False
    caps = sum(w[0].isupper() for w in words)
    if caps < 0.75 * len(words):
        return False
    para = doc.paragraph_at(a)
    if para and not TERMINAL.search(text, max(para[0], para[1] - 12), para[1]):
        return False  # a headline: its paragraph has no closing punctuation
    return True


_CLAUSE_END = regex.compile(r"[.!?;:。！？]\s")


def capitalized_in_body(doc: Document, layout: Layout, words) -> dict[str, int]:
    """How often each of `words` appears capitalized in mid-sentence body text.

    Uses in the same words (three either side: a repeated sentence or phrase that
    REP101/REP001 delete) count once, uses inside an editor tag (BOIL001 deletes it) not at
    all: evidence must not change when `fix` removes a copy or a tag, or `fix` would act on
    a word `check` never reported.
    """
    text = doc.text
    counts: dict[str, int] = {}
    for w, starts in word_occurrences(text, words).items():
        seen = set()
        for s in starts:
            if mid_sentence(text, s) and not layout.skipped(doc, s) and not layout.in_tag(doc, s):
                lo, hi = doc.sentence_at(s) or (0, len(text))
                left = _CLAUSE_END.split(text[max(lo, s - 60):s])[-1]
                right = _CLAUSE_END.split(text[s:min(hi, s + len(w) + 60)])[0]
                before, after = WORD.findall(left)[-3:], WORD.findall(right)[:4]
                seen.add((tuple(x.lower() for x in before), tuple(x.lower() for x in after)))
        counts[w] = len(seen)
    return counts
