"""Flag broken sentence boundaries: glued sentences, stray line breaks, lowercase sentence
starts, unterminated paragraphs and fragments glued to a closing quotation mark.

MT pipelines translate segment by segment and re-join them; when the joining slips, the
text shows these seams. Every check works on exact offsets of the original text and stays
linear in its size.
"""

from __future__ import annotations

import itertools
import re

import regex

from . import check
from ..chunkgate import match_owners
from .. import shape as _shape
from ..finding import Hit

# Words that end with a full stop without ending the sentence (lowercased, inner dots kept).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep rev hon st mt ft messrs
    mme mlle maj brig cpl pvt supt insp pres vs approx cf viz e.g i.e no nos vol vols fig
    figs art pp op jan feb mar apr jun jul aug sep sept oct nov dec inc corp ltd co jr sr
    etc al est dept ave blvd ed eds min max sec hr hrs yr yrs ca incl esp sq govt univ
    a.m p.m u.s u.k u.n e.u ph.d""".split()
)
# Sentence openers whose capital is beyond doubt; after "said." they make the fix safe.
COMMON_OPENERS = frozenset(
    """the this that these those it its in on at as after before according since but and
    however he she they we i you his her their our there for with when while meanwhile
    also a an some many most other another during last now then if so to from by what
    why how who where one two three both each all such yet still under despite although
    though because earlier later next this""".split()
)
_URLISH = regex.compile(r"://|www\.|@|/|\\|=")
_DOTTED = regex.compile(r"(?:\p{L}{1,2}\.)+\p{L}{1,2}")  # "U.S", "e.g", "a.m"
_OPENERS = regex.compile(r"^[\"'“‘(\[]+")
_DOT_LETTER = regex.compile(r"\.\p{L}")
_OPEN_LINE_END = regex.compile(r"[\p{L}\p{N},;]")
_TWO_LOWER_END = regex.compile(r"[\p{Ll}\p{N}]{2}$")
_BEFORE_CLOSER = regex.compile(r"[\p{L}.!?,;]")
_AFTER_CLOSER = regex.compile(r"[,.;:!?)]|\s(?!\p{Lu})|\s*$")

# ------------------------------------------------------------------ helpers


def _token_before(text: str, i: int, floor: int = 0) -> str:
    """The run of non-space characters that ends at index `i` (exclusive)."""
    j = i
    lo = max(floor, i - 80)
    while j > lo and not text[j - 1].isspace():
        j -= 1
    return text[j:i]


def _token_after(text: str, i: int) -> str:
    j = i
    hi = min(len(text), i + 80)
    while j < hi and not text[j].isspace():
        j += 1
    return text[i:j]


def _is_abbreviation(token: str) -> bool:
    """Say whether `token` (the text before a full stop) is an abbreviation or initial."""
    core = token.lstrip("\"'“‘([«")
    if not core:
        return False
    low = core.lower()
    if low in ABBREVIATIONS:
        return True
    if len(core) == 1 and core.isalpha():
        return True  # an initial: "J. Smith", or "a. the first item"
    return bool(_DOTTED.fullmatch(core))


# ------------------------------------------------------------------ missing space

# A capitalized word, or the one-letter words "A" and "I" after a word of two lowercase
# letters ("stove.A thin", "you?I looked"; not "U.S.A is").
# A function word after the letter says it is a label ("report.A to report.B"), not a word.
_GLUED = regex.compile(r"(?<=[\p{Ll}\p{N}])[.!?](?=\p{Lu}\p{Ll})|(?<=\p{Ll}{2})[.!?]"
                       r"(?=[AI] (?!(?:to|and|or|of|in|on|at|by|for|is|was|are|were|the|an?)\b)\p{L})")


# `_GLUED` and `_GLUED_QUOTE` both need a stop, maybe a quotation mark, then a capitalized
# word (or "A " / "I ").
@check("missing-space-after-stop", trigger=r"[.!?][\"“”]?\p{Lu}\p{Ll}|[.!?][AI] ",
       ascii_trigger=r"[.!?]\"?[A-Z][a-z]|[.!?][AI] ", shape=(".Aa", '."Aa', ".A "))
def missing_space_after_stop(doc, rule):
    """Flag "said.Officials": a sentence end glued to the next sentence (or paragraph)."""
    text = doc.text
    for m in _GLUED.finditer(text):
        dot = m.start()
        before = _token_before(text, dot)
        after = _token_after(text, dot + 1)
        word = _OPENERS.sub("", before)
        if _URLISH.search(before) or _URLISH.search(after):
            continue  # URLs, e-mail addresses, paths
        if "." in word or _DOT_LETTER.search(after):
            continue  # domain names and dotted identifiers: "Xinhua.net", "System.IO.File"
        if not word or (m.group() == "." and _is_abbreviation(word)):
            continue
        if not (word[-1].isdigit() or sum(c.isalpha() for c in word) >= 2):
            continue
        yield Hit(dot + 1, dot + 1, replacement=" ",
                  message=f"No space after “{text[dot]}”: “{text[max(0, dot - 12):dot + 3].split()[-1]}”")
    yield from _glued_at_quote(doc)


_GLUED_QUOTE = regex.compile(r"(?<=[\p{Ll}\p{N}]{2})[.!?](?P<q>[\"“”])(?=\p{Lu}\p{Ll})")


def _glued_at_quote(doc):
    """Flag `Friday."We` / `said.”The`: a quotation mark between two glued sentences.

    A curly mark says which way it faces; a straight one opens when the paragraph holds an
    even number of straight marks before it. The space goes on the outer side of the mark.
    """
    text = doc.text
    para_start, counted_to, marks = -1, 0, 0  # running count of straight marks (linear)
    for m in _GLUED_QUOTE.finditer(text):
        dot, q = m.start(), m.group("q")
        if _URLISH.search(_token_before(text, dot)):
            continue
        if q == '"':
            para = doc.paragraph_at(dot) or (0, len(text))
            if para[0] != para_start:
                para_start, counted_to, marks = para[0], para[0], 0
            marks += text.count('"', counted_to, dot)
            counted_to = dot
            opening = marks % 2 == 0
        else:
            opening = q == "“"
        at = dot + 1 if opening else dot + 2
        yield Hit(at, at, replacement=" ", message="No space between two sentences at a quotation mark")


# ------------------------------------------------------------------ stray line break

_LIST_LINE = regex.compile(r"^[ \t]*(?:[-*+•·>#|]|\d+[.)]\s|\p{L}[.)]\s)")


# Words that cannot end a line of verse, a list item or an address: the sentence goes on.
_OPEN_ENDINGS = frozenset("the a an of to in on at for and or with by from that into".split())


def _ends_open(line: str) -> bool:
    words = line.rsplit(None, 1)
    return bool(words) and words[-1] in _OPEN_ENDINGS


def _mostly_wrapped(doc, width: int) -> bool:
    """True when most paragraphs longer than a line are broken into lines (hard wrapping)."""
    text = doc.text
    long_paras = [(a, b) for a, b in doc.paragraphs if b - a > width]
    if not long_paras:
        return True
    broken = sum(1 for a, b in long_paras if text.find("\n", a, b) != -1)
    return broken * 2 >= len(long_paras)


# A hit is a line break after a letter, digit, comma or semicolon, before a letter.
_STRAY_BREAK = regex.compile(r"[\p{L}\p{N},;]\r?\n\S")


@check("stray-line-break", trigger=lambda doc: _STRAY_BREAK.search(doc.text), requires=("\n",))
def stray_line_break(doc, rule):
    """Flag a single line break inside a sentence in a document of unwrapped paragraphs."""
    text = doc.text
    max_breaks = int(rule.options.get("max_breaks", 2))
    wrap_width = int(rule.options.get("wrap_width", 100))
    breaks = []
    for a, b in doc.paragraphs:
        i = text.find("\n", a, b)
        while i != -1:
            breaks.append(i)
            i = text.find("\n", i + 1, b)
    if not breaks:
        return
    hard_wrapped = len(breaks) > max_breaks and _mostly_wrapped(doc, wrap_width)
    for i in breaks:
        j = i - 1 if i > 0 and text[i - 1] == "\r" else i
        line_start = text.rfind("\n", 0, j) + 1
        prev_line = text[line_start:j]
        if hard_wrapped and len(prev_line) <= wrap_width:
            continue  # a hard-wrapped document: its line breaks are deliberate
        if not prev_line or not _OPEN_LINE_END.match(prev_line[-1]):
            continue  # ends with punctuation, a space or a hyphen: a deliberate break
        nxt = text[i + 1:i + 3]
        if not nxt or not (nxt[0].islower() or (nxt[0].isupper() and _ends_open(prev_line))):
            continue  # a capital may start a new line of a list, an address or a poem
        if _LIST_LINE.match(prev_line) or _LIST_LINE.match(text[i + 1:i + 40]):
            continue
        yield Hit(j, i + 1, replacement=" ", message="Line break inside a sentence")


# ------------------------------------------------------------------ lowercase start

_INNER_START = regex.compile(
    r"(?<=\S)(?P<p>[.!?])(?P<sp>[ \t]+)(?P<w>\p{Ll}[\p{Ll}'’-]*)(?![\p{L}\p{N}])")
_PARA_FINISHED = regex.compile(r"[\p{Ll}\p{N}][.!?。！？][\"”’)]?$")  # CJK stops too (CJK001's)
_PARA_START = regex.compile(r"(?P<w>\p{Ll}[\p{Ll}'’-]*)(?![\p{L}\p{N}.])")


def _capitalized(word: str) -> str:
    return word[0].upper() + word[1:]


# The first word of a text (a document, a batch record): lowercase, a whole word (not
# iPhone, x86, a URL or a handle), and not a particle before a name (de Gaulle).
_FIRST_WORD = regex.compile(r"[\"“‘(]?(?P<w>\p{Ll}[\p{Ll}'’-]*)(?![\p{L}\p{N}.@/:_])"
                            r"(?!\s+\p{Lu})(?=[\s,;!?]+\S+\s+\S)")


def _heading(text: str, a: int, b: int) -> bool:
    """A one-line paragraph that is a headline or a byline (Title Case, or a short line
    naming a role or an outlet, or without a verb): the text after it starts afresh."""
    if b - a > 300 or "\n" in text[a:b] or _TERMINATED.search(text, max(a, b - 4), b):
        return False
    words = _WORDS.findall(text, a, b)
    return bool(words) and (_title_like(words) or _layout_line(text, a, b, words))


def _first_start(text: str, a: int, b: int):
    """Flag a text whose first paragraph starts in lowercase ("the ministry announced...").

    Only a paragraph of three words or more: a lone lowercase word is a label or a tag.
    The fix is unsafe: a corpus segment may continue a sentence cut in the previous one.
    """
    m = _FIRST_WORD.match(text, a, b)
    if not m:
        return
    w = m.group("w")
    yield Hit(m.start("w"), m.end("w"), replacement=_capitalized(w), safety="unsafe",
              message=f"Text starts in lowercase: “{w}” (unless it continues a segment before it)")


_STARTS_LOWER = regex.compile(r"\s*[\"“‘(]?\p{Ll}").match
# Both inner cases need a stop, maybe a closer, whitespace (what str.isspace trims between
# paragraphs: \s plus \x1c-\x1f), then a lowercase letter (on ASCII text, first a shape).
_LOWER_AFTER_STOP = regex.compile(r"[.!?][\"”’)]?[\s\x1c-\x1f]+\p{Ll}").search
_STOP_SPACE, _STOP_QUOTE_SPACE, _STOP_CLOSE_SPACE = _shape.parse_needles([". ", '." ', ".) "])


# A paragraph (after a heading) that starts in lowercase.
_PARA_LOWER = regex.compile(r"\n[ \t\r]*\n\s*[\"“‘(]?\p{Ll}").search


def _after_stop_shape(text: str) -> bool:
    """False only for ASCII text whose shape holds no stop (and closer) before a space."""
    sh = _shape.shape(text)
    return sh is None or _STOP_SPACE in sh or _STOP_QUOTE_SPACE in sh or _STOP_CLOSE_SPACE in sh


def _may_start_lower(text: str) -> bool:
    """SB003's trigger: the text or a paragraph starts in lowercase, or a stop is
    followed by lowercase."""
    return (_STARTS_LOWER(text) is not None
            or (_after_stop_shape(text) and _LOWER_AFTER_STOP(text) is not None)
            or ("\n" in text and _PARA_LOWER(text) is not None))


# `_LOWER_AFTER_STOP` as it reads on an ASCII text's shape (mtclean/shape.py): a stop,
# maybe a closer (" or ) there), whitespace, a lowercase letter. On ASCII text the two
# match at the same places.
_LOWER_AFTER_STOP_SHAPE = re.compile(rb'\.["\)]? +a').search


def _lower_scan(rule, context):
    """SB003's scan of a batch chunk: the texts `_may_start_lower` passes. Its inner test
    (a stop, then lowercase) is one search over the chunk's shape for the ASCII texts
    (`match_owners`: the pattern has no anchor or look-around, and a match running into
    the separator adds no text; the shape test it stands behind is then passed) and the
    whole test for the others; the paragraph test only where a text holds a line break."""

    def scan(chunk, out: set) -> None:
        texts = chunk.texts
        out.update(i for i, t in enumerate(texts) if _STARTS_LOWER(t) is not None)
        shape, non_ascii = chunk.shape()
        after: set = set()
        match_owners(_LOWER_AFTER_STOP_SHAPE, shape, chunk, after)
        out.update(after - non_ascii)  # a non-ASCII text's shape is not exact: tested below
        out.update(i for i in non_ascii if _LOWER_AFTER_STOP(texts[i]) is not None)
        if not chunk.one_line():
            out.update(i for i, t in enumerate(texts) if "\n" in t and _PARA_LOWER(t) is not None)
    return scan


@check("lowercase-sentence-start", trigger=lambda doc: _may_start_lower(doc.text),
       chunk_scan=_lower_scan)
def lowercase_sentence_start(doc, rule):
    """Flag a sentence that starts in lowercase after a finished sentence or paragraph."""
    text = doc.text
    paras = doc.paragraphs
    for k, (a, b) in enumerate(paras):
        for m in _INNER_START.finditer(text, a, b):
            p = m.start("p")
            if text[p - 1] in ".…":
                continue  # an ellipsis trails off mid-sentence
            tok = _token_before(text, p, a)
            word = tok.lstrip("\"'“‘([«")
            if p and m.group("p") == "." and (_is_abbreviation(word) or "." in word):
                continue
            if _URLISH.search(tok):
                continue
            tok_start = p - len(tok)
            if word.isdigit() and (tok_start == 0 or text[tok_start - 1] == "\n"):
                continue  # a list enumerator at the start of a line: "1. the first"
            w = m.group("w")
            safe = (m.group("p") == "." and w in COMMON_OPENERS
                    and _TWO_LOWER_END.search(word) is not None)
            yield Hit(m.start("w"), m.end("w"), replacement=_capitalized(w),
                      safety="safe" if safe else "unsafe",
                      message=f"Sentence starts in lowercase: “{w}”")
        if k == 0:
            yield from _first_start(text, a, b)
            continue
        pa, pb = paras[k - 1]
        finished = _PARA_FINISHED.search(text, max(pa, pb - 6), pb) is not None
        if not finished and not (_heading(text, pa, pb)
                                 and _TERMINATED.search(text, max(a, b - 4), b)):
            continue  # after a heading, only a prose paragraph (it ends with a stop)
        m = _PARA_START.match(text, a, b)
        if not m:
            continue
        w = m.group("w")
        yield Hit(m.start(), m.end(), replacement=_capitalized(w),
                  safety="safe" if finished and w in COMMON_OPENERS else "unsafe",
                  message=f"Paragraph starts in lowercase after a "
                          f"{'finished sentence' if finished else 'heading or byline'}: “{w}”")


# ------------------------------------------------------------------ missing final stop

_LAST_WORD = regex.compile(r"(?<![\p{L}\p{N}'’.-])[\p{L}\p{N}][\p{L}\p{N}'’-]*$")
_TERMINATED = regex.compile(r"[.!?…:;。！？][\s\"'”’)\]]*$")
_BYLINE = regex.compile(
    r"^(?:[(\[（【]|by\s|(?:reporter|journalist|correspondent|editor|source|photo|author|"
    r"translator|written|edited|translated|responsible)[^:：]{0,25}[:：])", regex.IGNORECASE)
_CREDIT_INSIDE = regex.compile(
    r"\b(?:by|from)\s+(?:our\s+|staff\s+)*(?:journalist|reporter|correspondent|writer|"
    r"photographer)s?\b|\b(?:journalist|reporter|correspondent|photographer)s?\s+\p{Lu}",
    regex.IGNORECASE)
_CAPTION = regex.compile(
    r"^(?:(?:a|an|the|this|file)\s+)?(?:photo|picture|pic|figure|fig|image|diagram|schematic|"
    r"chart|graph|table|map|poster|video|screenshot|illustration|caption|file photo|"
    r"pictured|aerial view|close-up)s?\b", regex.IGNORECASE)
# Roles and outlets of a byline or credit line ("Commentator of Xinhua News Agency").
_CREDIT_WORDS = regex.compile(
    r"\b(?:commentators?|columnists?|contributors?|interns?|staff writers?|special "
    r"correspondents?|news agency|xinhua|reuters|afp|associated press|china daily|"
    r"global times|people's daily|people’s daily|cctv|cgtn|chinanews)\b", regex.IGNORECASE)
# Evidence of a finite verb: a real sentence that lost its stop has one; a headline,
# caption, byline or dateline often has none. A short line without any is left alone.
_VERBISH = frozenset("""is are was were be been being am has have had do does did will would
    can could shall should may might must said says say told tells added adds noted notes
    rose rises fell falls grew grows made makes took takes gave gives came comes went goes
    saw sees met meets won wins lost loses built builds began begins became becomes held
    holds kept keeps left leaves led leads paid pays sent sends set sets spent spends stood
    stands thought thinks brought brings bought buys found finds got gets knew knows ran
    runs sold sells spoke speaks wrote writes hit hits cut cuts put puts let lets showed
    shows announced announces""".split())


def _has_verb(words: list[str]) -> bool:
    """Some evidence of a finite verb or an infinitive among the words."""
    low = [w.lower() for w in words]
    return any(w in _VERBISH or (len(w) > 4 and w.endswith("ed")) for w in low) or any(
        a == "to" and b.isalpha() and b not in _TITLE_LOWER for a, b in zip(low, low[1:]))


def _layout_line(text: str, a: int, b: int, words: list[str]) -> bool:
    """A headline, byline, caption or dateline, told from a sentence by its length, its
    words (a role or an outlet) and the lack of any verb."""
    if len(words) > 20:
        return False
    return bool(_CREDIT_WORDS.search(text, a, b)) or (len(words) <= 16 and not _has_verb(words))
_WORDS = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’.-]*")


# Words a title-case headline leaves in lowercase.
_TITLE_LOWER = frozenset(
    """a an the and but or nor for so yet as at by in of off on per to up via vs from into
    onto over with than""".split()
)


def _title_like(words: list[str]) -> bool:
    """True for headline-style lines: Title Case (every lowercase word a function word),
    capitals, or mostly capitalized words."""
    lettered = [w for w in words if w[0].isalpha()]
    if not lettered:
        return True
    if all(w.isupper() for w in lettered):
        return True
    caps = sum(1 for w in lettered if w[0].isupper())
    if caps >= 0.6 * len(lettered):
        return True  # mostly names: a byline, a dateline, a source line
    return all(w[0].isupper() or w.lower() in _TITLE_LOWER for w in lettered)


_HEADLINE_MARKS = regex.compile(r"[:|]|\s[-–—]+|[-–—]+\s|\s-\S|[-–—]{2}")


def _headline(text: str, a: int, b: int, min_words: int) -> bool:
    """Say whether a document's first paragraph reads as a headline (the usual case).

    It counts as body text only when it is long (`min_words`; headlines of MT news run
    to about 25 words), not in title case, and free of headline punctuation (a colon, a
    dash before a source name).
    """
    head = text[a:min(b, a + 2000)]
    words = _WORDS.findall(head)
    return len(words) < min_words or _title_like(words) or bool(_HEADLINE_MARKS.search(head))


# Only a document of two paragraphs or more is checked: it holds a blank line.
_BLANK_LINE = regex.compile(r"\n[ \t\u3000\r]*\n")


@check("missing-final-stop", trigger=lambda doc: _BLANK_LINE.search(doc.text), requires=("\n",))
def missing_final_stop(doc, rule):
    """Flag a body paragraph whose last sentence ends without terminal punctuation."""
    text = doc.text
    min_words = int(rule.options.get("min_words", 10))
    paras = doc.paragraphs
    if len(paras) < 2:
        return
    # Prose or notes? Judge by the body paragraphs of more than a few words.
    prose = terminated = 0  # counted, not listed: a large file has 100,000s of paragraphs
    for a, b in itertools.islice(paras, 1, None):
        if b - a >= 3000 or len(_WORDS.findall(text, a, b)) >= 4:
            prose += 1
            terminated += bool(_TERMINATED.search(text, max(a, b - 4), b))
    if terminated * 3 < prose or terminated == 0:
        return  # mostly unterminated lines: a list, a table or notes, not prose
    first_min = int(rule.options.get("first_paragraph_min_words", 30))
    for k, (a, b) in enumerate(paras):
        if k == 0 and _headline(text, a, b, first_min):
            continue
        if text.count("\n", a, b) > 1:
            continue  # three lines or more: a list, an address or a poem
        m = _LAST_WORD.search(text, max(a, b - 60), b)
        if not m:
            continue
        if b - a < 3000:  # longer paragraphs are neither titles nor short lines
            words = _WORDS.findall(text, a, b)
            if len(words) < min_words or _title_like(words) or _layout_line(text, a, b, words):
                continue
        head = text[a:a + 60]
        if (_BYLINE.match(head) or _LIST_LINE.match(head) or _CAPTION.match(head)
                or _URLISH.search(m.group())):
            continue
        if b - a < 200 and _CREDIT_INSIDE.search(text, a, b):
            continue  # "..., by journalist Jiang Rui and correspondent Xiao Yan"
        line_start = text.rfind("\n", a, b) + 1 or a
        if line_start > a and (_LIST_LINE.match(text, line_start) or b - line_start < 20):
            continue  # a two-line paragraph whose last line is a list item or a label
        yield Hit(m.start(), m.end(), replacement=m.group() + ".",
                  message=f"Paragraph ends without a full stop after “{m.group()}”")


# ------------------------------------------------------------------ fragment before a quote

_QUOTE = regex.compile(r"[\"“”]")


# A hit is the first quotation mark of its paragraph, so of its line (no mark before it
# back to a line break), after a letter or punctuation, then what `_AFTER_CLOSER` allows.
_MAY_CLOSE_FRAGMENT = regex.compile(r"[\"”](?<=[\p{L}.!?,;].)(?<![\"“”][^\"“”\n]*..)"
                                    r"(?:[,.;:!?)]|\s(?!\p{Lu})|$)")


# Most segments hold no closing mark at all: two `in` tests spare them the scan.
@check("fragment-before-closing-quote",
       trigger=lambda doc: ('"' in doc.text or "”" in doc.text) and _MAY_CLOSE_FRAGMENT.search(doc.text))
def fragment_before_closing_quote(doc, rule):
    """Flag text glued to a closing quotation mark whose opening mark is missing."""
    text = doc.text
    prev_open = False
    for a, b in doc.paragraphs:
        m = _QUOTE.search(text, a, b)
        carried = prev_open
        opens = text.count("“", a, b) - text.count("”", a, b) + text.count('"', a, b) % 2
        prev_open = opens > 0
        if not m or carried or m.group() == "“":
            continue
        q = m.start()
        if q == a or not _BEFORE_CLOSER.match(text[q - 1]) or text[q - 1].isdigit():
            continue
        nxt = text[q + 1:q + 3]
        if not (nxt == "" or _AFTER_CLOSER.match(nxt)):
            continue  # followed by a letter or a capital: more likely an opening mark
        sent = doc.sentence_at(q) or (a, b)
        start = max(sent[0], a)
        if q - start < 3:
            continue
        yield Hit(start, q + 1, message=(
            "Fragment glued to a closing quotation mark: the opening mark is missing "
            "or the quotation is cut off"))
