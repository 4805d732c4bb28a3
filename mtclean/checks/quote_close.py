"""Where a quotation left open most likely closes: the guess behind QUO001's unsafe fix.

`close_of` reads the mark's place first. A quotation that starts a sentence of speech
(after a verb of saying, a colon, a comma, at a paragraph's or a sentence's start, or a
clause MT lowercased) closes before its attribution or at its paragraph's end
(`_speech_close`); anything else is a term, a title or a clause, closed where the
document, a Title Case run or the sentence tells (`_guess_close`). Each guess is None
when nothing tells: a missed close costs less than a wrong one.
"""

from __future__ import annotations

import itertools

import regex


def close_of(doc, open_at: int, limit: int, end: int, para) -> tuple[int | None, int]:
    """(where the quotation opened at `open_at` closes, or None; the bound the close
    must stay under). `limit` is the next quotation mark or the paragraph's end, `end`
    the same or the sentence's end if sooner, `para` the paragraph's span or None."""
    text = doc.text
    para_start = para[0] if para else 0
    speech = (open_at + 1 < len(text) and text[open_at + 1].isupper()
              and (introduced(text, open_at, para_start) or _opens_sentence(text, open_at, para_start)))
    if speech or _lowercase_clause(text, open_at, end, para_start):
        # a quoted sentence may run past its first sentence end
        return _speech_close(doc, open_at, limit, para), limit + 1
    close = _guess_close(text, open_at, end, doc.view(quoted_terms), doc.view(_stops_inside))
    bound = end + 1 if close == end else end  # `inside`: after the sentence's final mark
    if close == end and (end == limit or text.startswith("\n", end)) and _title_words(text, open_at + 1, end):
        bound = end + 1  # a title left open at the end of a headline's line closes there
    return close, bound


# A word of a Title Case run (its lowercase function words included), and any word.
_CAP_WORD = regex.compile(r"\p{Lu}[\p{L}\p{N}'’-]*|of|and|the|for|from|in|on|to|a|an|with|at|by")
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
# Words a short quoted term stops before.
_FUNCTION = frozenset("""to that which who in on for and of with by from at as into than
    but or while when where after before because since against between over under
    is was were are be been has have had will would can could should may might must said
    says""".split())


def _guess_close(text: str, start: int, limit: int, quoted: dict[str, list[tuple[str, int]]],
                 inside: bool = False) -> int | None:
    """Guess where a quotation opened at `start` ends, for an (unsafe) fix.

    The document's own usage comes first: words it quotes elsewhere, closed, that the
    text after the mark starts with (`quoted_terms`). Otherwise MT quotes are mostly
    short terms: a Title Case run ("Red Star", with a number after it: "Made in China
    2025"), a short tail of the sentence or a quoted clause (close at its final mark,
    before it or, with `inside`, after it), or a few words up to a function word.
    """
    term = known_term(text, start, limit, quoted)
    if term is not None:
        return term
    words = list(_WORD.finditer(text, start + 1, limit))
    if not words or text[start + 1:words[0].start()].strip():
        return None
    # 1. A Title Case run, unless it is a sentence's first word alone ("The situation
    # is…", "We hope…"): such a quotation is a sentence or a clause, not a name.
    last, count = _title_run(text, start, words)
    if last is not None and not (count == 1 and words[0].group() in _SENTENCE_OPENERS):
        return last
    # 2. A short rest of the sentence (unless a preposition soon ends a term in it: rule
    # 3), or a clause quoted after "that" or starting with a capital: close at its final
    # punctuation.
    tail = text[start + 1:limit].rstrip()
    clause = _after_word(text, start, "that") or words[0].group()[0].isupper()
    if (regex.fullmatch(r"[^,;:()]+?[^\s.!?][.!?]", tail)
            and ((len(words) <= 6 and not any(w.group()[0].isupper() for w in words[1:])
                  and not any(w.group().lower() in _ENDS_TERM for w in words[1:3]))
                 or (clause and len(words) >= 4))):
        return start + len(tail) + (1 if inside else 0)
    # 3. One to four lowercase words (a kind noun after two or more left out:
    # `_HEAD_NOUNS`), then a function word or a capitalized name, or up to three, then a
    # comma or a semicolon (a listed term: “a, “b”, and “c”; a term, then a clause)
    # unless the first opens a clause ("if you lose, ..."). "than", and "of" after a
    # single word, join a term's parts ("more than ever", "rule of law") rather than end
    # it ("knowledge sharing" of the show ends there); no term ends with them or an
    # article.
    if words[0].group() in _SENTENCE_OPENERS:
        return None  # “The situation is…: a clause or a title, no term to close
    listed = words[0].group().lower() not in _OPENS_CLAUSE
    for n, m in enumerate(words):
        between = text[(words[n - 1].end() if n else start + 1):m.start()]
        if between.strip():
            if not (listed and 1 <= n <= 3 and _LISTED.fullmatch(between)):
                return None
            if n == 3 and words[2].group() in _HEAD_NOUNS:
                return words[1].end()  # “cloud graduation season, …: the kind stays out
            return words[n - 1].end()
        low = m.group().lower()
        if low == "than" and n or low == "of" and n == 1:
            continue
        if low in _FUNCTION or (n and m.group()[0].isupper()):  # a lowercase term does
            # not run on into a name
            if not 1 <= n <= 4 or words[n - 1].group().lower() in _DANGLING:
                return None
            if low in _FUNCTION and n >= 3 and words[n - 1].group() in _HEAD_NOUNS:
                return words[n - 2].end()  # “cool delivery campaign to…: the kind stays out
            return words[n - 1].end()
    if listed and len(words) <= 3 and _LISTED.fullmatch(text, words[-1].end(), limit):
        return words[-1].end()  # the next quotation follows the comma
    return None


# Nouns naming the kind of thing a quoted term is: news copy sets them after the closing
# mark (the “zero waste” campaign, the “river chief” model), so a guessed close stops
# before one that ends the guessed words.
_HEAD_NOUNS = frozenset("""campaign campaigns model models program programs programme
    programmes project projects initiative initiatives plan plans policy policies mode
    strategy mechanism action actions activity activities platform concept brand season
    seasons element elements pace care spirit style era approach""".split())


# Words after which a short quoted tail's first word or two end ("a “win” for us"): not
# "and"/"or" ("arson and theft") nor a verb (“the tide will turn”: a clause).
_ENDS_TERM = _FUNCTION - frozenset("""and or is was were are be been has have had will would can
    could should may might must said says""".split())


_DANGLING = frozenset({"of", "than", "the", "a", "an"})  # no quoted term ends with these


# Capitalized words that start sentences, not names: a quotation whose only capital is
# one of them is no Title Case run.
_SENTENCE_OPENERS = frozenset("""The A An This That These Those It Its We Our I You He She
    They There Here What How Why When If""".split())


def _title_run(text: str, start: int, words) -> tuple[int | None, int]:
    """The end of the Title Case run right after the mark at `start` (function words
    inside it, a number after it: "Made in China 2025") and how many words it has;
    (None, 0) when the first word is not capitalized. `words` are _WORD matches from
    start + 1."""
    pos, last, count = start + 1, None, 0
    joined = None  # the run as it stood before its last "and", "of"…
    for n, m in enumerate(words):
        if text[pos:m.start()].strip():
            break
        w = m.group()
        if not _CAP_WORD.fullmatch(w):
            if last == pos and text[pos:m.start()] == " " and _NUMBER_WORD.fullmatch(w):
                last, count = m.end(), n + 1  # a title's number: "Running Out of Time 2"
            break
        if w[0].isupper():
            if joined is not None and w.endswith(("'s", "’s")):
                return joined  # “Salt Roads and Li Wen's…: a possessive starts a new phrase
            last, count = m.end(), n + 1
        elif last is not None:
            joined = (last, count)
        pos = m.end()
    return last, count


def _after_word(text: str, i: int, word: str) -> bool:
    """True when `word` (lowercase) stands right before the mark at `i`, one space between."""
    a = i - 1 - len(word)
    return (a >= 0 and text[i - 1] == " " and text.startswith(word, a)
            and (a == 0 or not text[a - 1].isalpha()))


# A quotation that pairs cleanly: curly marks, or straight ones in their natural roles
# (opening after a space, a bracket or a dash; closing after a non-space, before no
# letter or digit), on one line, not starting or ending with a space.
_CLEAN_PAIR = regex.compile(
    r'“(?=\S)([^“”"\n]{1,200})(?<=\S)”'
    r'|(?:^|(?<=[\s(\[—–-]))"(?=\S)([^“”"\n]{1,200})(?<=\S)"(?![\p{L}\p{N}])', regex.MULTILINE)


_NUMBER_WORD = regex.compile(r"\p{N}{1,4}")


_ALNUM_RUN = regex.compile(r"[\p{L}\p{N}]+")  # `_lead`'s words: a hyphen or an apostrophe splits


_LISTED = regex.compile(r"[,;][ \t]+")  # the comma or semicolon after a quoted term


# Words that open a clause, not a term: a quotation starting so runs past its first comma.
_OPENS_CLAUSE = _FUNCTION | frozenset("""if unless whether although though because once until
    we you they he she it i there""".split())


# Verbs that introduce a quoted sentence: a capital after `said "` starts speech, whose
# end no guess can tell (a Title Case guess would cut it after its first words).
_SAYS = frozenset("""said say says saying asked asks told tells wrote writes read reads added
    adds stated states declared declares replied replies shouted chanted noted notes stressed
    stresses emphasized emphasizes emphasised emphasises explained explains insisted insists
    warned warns argued argues announced announces concluded concludes continued reminded
    reminds urged urges""".split())


def quoted_terms(doc) -> dict[str, list[tuple[str, int]]]:
    """The words the document quotes with marks that pair cleanly, with where each such
    quotation opens, filed under their first two words (`_lead`): a long document may
    quote thousands of terms, and an unclosed mark looks up only those its text can
    start with. A document quotes its terms the same way each time, so an unclosed
    quotation of the same words closes where they end."""
    text = doc.text
    if '"' not in text and "“" not in text:
        return {}
    found: dict[str, list[tuple[str, int]]] = {}
    for m in _CLEAN_PAIR.finditer(text):
        term = m.group(1) or m.group(2)
        if len(term) >= 3:
            found.setdefault(_lead(term, 0, len(term)), []).append((term, m.start()))
    return found


# A quotation closed at its sentence's end, the final mark inside the quotes (“…term.”)
# or outside them (“…term”.); the same for short lowercase quotations, terms not speech.
_ENDS_INSIDE = regex.compile(r'[\p{L}\p{N}][.!?]["”](?=\s|$)')


_ENDS_OUTSIDE = regex.compile(r'[\p{L}\p{N}]["”][.!?](?=\s|$)')


_TERM_INSIDE = regex.compile(r'(?<=[\s(—])[“"]\p{Ll}[^“”"\n.!?]{0,60}[\p{L}\p{N}][.!?]["”](?=\s|$)')


_TERM_OUTSIDE = regex.compile(r'(?<=[\s(—])[“"]\p{Ll}[^“”"\n.!?]{0,60}[\p{L}\p{N}]["”][.!?](?=\s|$)')


def _count(pattern, text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def _stops_inside(doc) -> bool:
    """True when the document closes its quotations after a sentence's final mark more
    often than before it: a guessed close follows the house style. Its quoted terms
    decide first (a document may quote speech with the mark inside and terms with it
    outside), then all its quotations; without evidence, before it. (On the dev data
    this matches the mark of a quoted term three times in four; so does "always before".)"""
    text = doc.text
    if '"' not in text and "”" not in text:
        return False
    inside, outside = _count(_TERM_INSIDE, text), _count(_TERM_OUTSIDE, text)
    if inside == outside:
        inside, outside = _count(_ENDS_INSIDE, text), _count(_ENDS_OUTSIDE, text)
    return inside > outside


def _lead(text: str, start: int, end: int) -> str:
    """The first two runs of letters and digits of text[start:end] (one, if it has one),
    space-joined: a term and the text it starts share them whatever follows the term."""
    return " ".join(m.group() for m in itertools.islice(_ALNUM_RUN.finditer(text, start, end), 2))


def known_term(text: str, start: int, limit: int, quoted: dict[str, list[tuple[str, int]]]) -> int | None:
    """The end of the longest term quoted elsewhere in the document (not by the mark at
    `start` itself) that the text after that mark begins with, as whole words and before
    `limit`; or None."""
    if not quoted:
        return None
    best = None
    after = start + 1
    two = _lead(text, after, limit)
    one = two.partition(" ")[0]
    for key in {one, two}:
        for term, at in quoted.get(key, ()):
            end = after + len(term)
            if (at != start and end < limit and (best is None or end > best)
                    and text.startswith(term, after) and not text[end].isalnum()):
                best = end
    return best


def _title_words(text: str, a: int, b: int) -> bool:
    """True when text[a:b] is exactly a run of Title Case words (function words in
    lowercase) one space apart, starting with a capital."""
    words = list(_WORD.finditer(text, a, b))
    if not words or words[0].start() != a or words[-1].end() != b or not text[a].isupper():
        return False
    return (all(text[x.end():y.start()] == " " for x, y in zip(words, words[1:]))
            and all(_CAP_WORD.fullmatch(w.group()) for w in words))


# Attribution after a quotation: a comma, then a short clause naming who spoke with a
# verb of saying ("..., he said at a news conference.", "..., the statement stressed.").
_SAY_VERB = regex.compile(r"(?<!\p{L})(?:%s)(?!\p{L})" % "|".join(sorted(_SAYS, key=len, reverse=True)))


_SUBJECT_START = regex.compile(r"(?:he|she|they|we|I|it|the|this)(?!\p{L})|\p{Lu}")


_SENTENCE_END = regex.compile(r"[.!?](?=\s|$)")


# A speaker named or described, not a pronoun: "Li Wei, an engineer, said".
_NAMED = regex.compile(r"(?!(?:he|she|they|we|I|it|this)(?!\p{L}))(?:the\s|\p{Lu})")


# A speaker's own words: a paragraph that opens with a quotation mark is speech, not a
# quoted title or slogan ("“Clear Water” is based on…"), when it says I, we or you.
_FIRST_PERSON = regex.compile(r"(?<![\p{L}'’])(?:I|[Ww]e|us|[Oo]ur|[Mm]y|me|[Yy]ou|[Yy]our)(?![\p{L}])")


_ATTRIBUTION_MAX = 120  # characters of an attribution clause, its final mark included


def _speech_close(doc, open_at: int, limit: int, para) -> int | None:
    """Where a quoted sentence opened at `open_at` (before `limit`, the next mark or the
    paragraph's end) most likely closes, or None.

    1. Before the attribution that follows it: after the comma of "…," he said, or of
       "…," said Li.
    2. After a Title Case run ending in a number, or (after a mere comma, not at the
       paragraph's start, where speech may open with a name) of three words or more, when
       no verb of saying or colon introduces the mark ("This time, “Harbor Lights 2
       opens"): a title, not speech.
    3. When the quotation runs to its paragraph's end and follows a verb of saying (right
       before it or earlier in its sentence, then a comma) or a colon, or opens the
       paragraph or a sentence, or is a clause MT lowercased (`_lowercase_clause`), and
       says I, we or you (`_FIRST_PERSON`): after the paragraph's final mark. After a mere comma no guess: what follows is as often a title or a name
       ("Last year, “Clear Water, shot in…") as speech."""
    text = doc.text
    # The last comma before "he said…", "said Li…" or "Li, an organizer, said…" (a
    # quotation may hold commas; the comma before a described speaker's verb is not one).
    best, described = None, set()
    i = text.find(", ", open_at + 1, limit)
    while i != -1:
        window = min(limit, i + 2 + _ATTRIBUTION_MAX)  # a longer clause is no attribution
        stop = _SENTENCE_END.search(text, i, window)
        clause = text[i + 2:stop.end() if stop else window]
        verb = _SAY_VERB.search(clause) if stop or window == limit else None
        if verb is None or i in described:
            pass
        elif verb.start() == 0:
            best = i + 1  # "…, said Li"
        elif _SUBJECT_START.match(clause):
            comma = clause.find(", ")
            if comma == -1 or verb.start() < comma:
                best = i + 1  # "…, the mayor said"
            elif clause.startswith(", ", verb.start() - 2) and _NAMED.match(clause):
                best = i + 1  # "…, Li, an organizer, said": skip the comma before "said"
                described.add(i + verb.start())
        i = text.find(", ", i + 1, limit)
    if best is not None:
        return best
    para_start = para[0] if para else 0
    opens = not text[para_start:open_at].strip() or _opens_sentence(text, open_at, para_start)
    said = _after_saying(text, open_at, punctuated=True) or _after_saying(text, open_at)
    colon = text[max(para_start, open_at - 2):open_at].strip().endswith(":")
    if not (said or colon):
        words = list(itertools.islice(_WORD.finditer(text, open_at + 1, limit), 12))
        last, count = _title_run(text, open_at, words)
        if (last is not None and regex.match(r" \p{Ll}", text[last:last + 2])
                and (text[last - 1].isdigit() or (count >= 3 and not opens))):
            return last
    if para is None or limit != para[1]:
        return None
    tail = text[open_at + 1:limit].rstrip()
    if tail[-1:] not in (".", "!", "?") or tail[-2:-1].isspace():
        return None
    # (A lowercase start here is a clause MT lowercased: `_lowercase_clause`.)
    first_person = (opens or text[open_at + 1].islower()) and _FIRST_PERSON.search(tail)
    if said or colon or first_person or _says_before(doc, open_at, para_start):
        return open_at + 1 + len(tail)
    return None


def _says_before(doc, open_at: int, para_start: int) -> bool:
    """True when the mark follows a comma and a verb of saying stands earlier in its
    sentence ("…told reporters on Monday, “It…"): the quotation is what was said."""
    text = doc.text
    if text[max(para_start, open_at - 2):open_at].strip() != ",":
        return False
    sent = doc.sentence_at(max(para_start, open_at - 2))
    start = max(para_start, sent[0] if sent else para_start, open_at - _ATTRIBUTION_MAX)
    return _SAY_VERB.search(text, start, open_at) is not None


# Verbs that, a word or few into a quotation, make it a clause: "we have tried…",
# "trade issues have lost…".
_CLAUSE_VERBS = frozenset("""is was were are has have had will would can could should may
    might must""".split())


def _lowercase_clause(text: str, open_at: int, end: int, para_start: int) -> bool:
    """True for a quotation that starts in lowercase after a comma, a colon or a verb of
    saying, and whose first words are a subject and a verb ("…the United
    States, “we have tried…"): speech MT wrote in lowercase, not a term to close after
    its first words."""
    if not (open_at + 1 < len(text) and text[open_at + 1].islower()):
        return False
    if not introduced(text, open_at, para_start):
        return False  # (after "that", `_guess_close` closes a clause at its final mark)
    words = itertools.islice(_WORD.finditer(text, open_at + 1, end), 5)
    return any(n and m.group() in _CLAUSE_VERBS for n, m in enumerate(words))


def _opens_sentence(text: str, open_at: int, para_start: int) -> bool:
    """True when the mark at `open_at` follows a sentence's end and a space ("…, Li said.
    “Our work…"): a quotation that opens a sentence, as one opening a paragraph does."""
    return (open_at - 2 >= para_start and text[open_at - 1] == " "
            and text[open_at - 2] in ".!?")


def introduced(text: str, open_at: int, para_start: int) -> bool:
    """True when the mark at `open_at` opens its paragraph or follows a colon, a comma or
    a verb of saying: where a quoted sentence, not a term, begins."""
    before = text[max(para_start, open_at - 2):open_at].strip()
    return not before or before[-1] in ",:" or _after_saying(text, open_at)


def _after_saying(text: str, i: int, punctuated: bool = False) -> bool:
    """True when the word before the mark at `i` is a verb of saying (`_SAYS`), one space
    between (`said "`), or with `punctuated` a comma or a colon and a space (`said: "`)."""
    if i < 3 or text[i - 1] != " ":
        return False
    j = i - 1
    if punctuated:
        if text[j - 1] not in ",:":
            return False
        j -= 1
    k = j
    while k > 0 and text[k - 1].isalpha():
        k -= 1
    return text[k:j].lower() in _SAYS
