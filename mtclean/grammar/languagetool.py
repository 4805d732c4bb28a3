"""LanguageTool client: paragraph-group chunks, concurrent /v2/check requests, exact offsets.

We speak plain HTTP to /v2/check rather than going through language-tool-python's
`remote_server=` client: its offset correction for characters outside the BMP keeps the
last text in a class attribute, which is wrong as soon as two requests run in parallel,
and it folds messages to NFKC. The request is one form POST, so owning it costs little
and keeps every offset exact.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import requests

from ..document import Document
from ..finding import Finding, Fix

CHUNK_CHARS = int(os.environ.get("MTCLEAN_LT_CHUNK", "6000") or 6000)
REPLIES_KEPT = 256  # pieces whose replies a client keeps (about 1.5 MB of text at most)
REQUEST_TIMEOUT = float(os.environ.get("MTCLEAN_LT_TIMEOUT", "120") or 120)
LANGUAGE = os.environ.get("MTCLEAN_LT_LANGUAGE", "en-US")

# Rules that repeat one of mtclean's own families (spacing, quotes, repetition, sentence
# boundaries): mtclean's rules are more specific and LanguageTool's misfire on wire-copy
# conventions ("Co.,Ltd", reduplicated names such as "Ni Ni", quotes spanning paragraphs).
DUPLICATE_RULES = ("WHITESPACE_RULE", "COMMA_PARENTHESIS_WHITESPACE", "SENTENCE_WHITESPACE",
                   "UPPERCASE_SENTENCE_START", "ENGLISH_WORD_REPEAT_RULE", "EN_UNPAIRED_QUOTES",
                   "EN_UNPAIRED_BRACKETS", "EN_QUOTES", "DOUBLE_PUNCTUATION",
                   "PUNCTUATION_PARAGRAPH_END", "EN_DIACRITICS_REPLACE")
# House-style opinions that are noise for news copy (styles differ between outlets).
STYLE_OPINIONS = ("COVID_19", "CYBER_COMPOUNDS", "ENGLISH_WORD_REPEAT_BEGINNING_RULE", "GENERAL_XX",
                  "EN_PLAIN_ENGLISH_REPLACE", "PASSIVE_VOICE", "TOO_LONG_SENTENCE", "SO_AS_TO",
                  "APOSTROPHE_IN_DATES", "MISSING_COMMA_AFTER_YEAR", "RIO_GRANDE",
                  # organisation names with "and" take a singular verb ("Law and Justice says")
                  "COMPOUND_NNP_AGREEMENT")
DISABLED_RULES = DUPLICATE_RULES + STYLE_OPINIONS
# "block chain"/"stained glass": dictionary opinions; a comma before "and" in short
# clauses is house style (news style usually leaves it out).
_DISABLED_PREFIXES = ("EN_COMPOUNDS_", "COMMA_COMPOUND_SENTENCE")
_STYLE_CATEGORIES = {"STYLE", "REDUNDANCY", "PLAIN_ENGLISH", "REPETITIONS_STYLE", "TYPOGRAPHY",
                     "WIKIPEDIA", "CREATIVE_WRITING", "TEXT_ANALYSIS", "GENDER_NEUTRALITY",
                     "AMERICAN_ENGLISH_STYLE", "BRITISH_ENGLISH", "MISUSED_TERMS_EU_PUBLICATIONS"}
_STYLE_ISSUES = {"style", "register", "typographical", "locale-violation"}


class Unavailable(Exception):
    """The server could not answer; str() is one line for users."""


def category_for(match: dict) -> str:
    """Map a LanguageTool match to an mtclean category."""
    rule = match.get("rule", {})
    rid = rule.get("id", "")
    cat = rule.get("category", {}).get("id", "")
    issue = rule.get("issueType", "")
    if cat == "TYPOS" or rid.startswith("MORFOLOGIK_RULE") or "MULTITOKEN_SPELLING" in rid:
        return "spelling"
    if cat == "CASING":
        return "capitalization"
    if cat in _STYLE_CATEGORIES or issue in _STYLE_ISSUES:
        return "style"
    return "grammar"


class OffsetMap:
    """Converts UTF-16 code-unit offsets (LanguageTool's, from Java) to code points."""

    def __init__(self, text: str):
        self.wide: list[int] = []
        if len(text.encode("utf-16-le")) != 2 * len(text):
            u16 = 0
            for ch in text:
                if ord(ch) > 0xFFFF:
                    self.wide.append(u16)
                    u16 += 2
                else:
                    u16 += 1

    def __call__(self, u16: int) -> int:
        return u16 - bisect.bisect_left(self.wide, u16) if self.wide else u16


def chunks(doc: Document, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Group consecutive paragraphs into spans of at most `limit` characters.

    A news file is usually one span: whole-text rules (`EN_WORD_COHERENCY`) see the whole
    document, as they would from any other client. A longer paragraph is cut between
    sentences; each chunk is an exact slice of the text, so an offset inside it plus the
    chunk's start is a document offset.
    """
    units: list[tuple[int, int]] = []
    for a, b in doc.paragraphs:
        if b - a <= limit:
            units.append((a, b))
        else:
            inside = [s for s in doc.sentences if s[0] >= a and s[1] <= b]
            units.extend(inside or [(a, b)])
    out: list[tuple[int, int]] = []
    for a, b in units:
        if out and b - out[-1][0] <= limit:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


@dataclass
class Match:
    """One LanguageTool match in document code points."""

    start: int
    end: int
    raw: dict


class Client:
    """Checks documents against one server, `concurrency` requests at a time."""

    def __init__(self, url: str, concurrency: int = 2, language: str = LANGUAGE,
                 disabled_rules: tuple[str, ...] = DISABLED_RULES, timeout: float = REQUEST_TIMEOUT,
                 chunk_chars: int = CHUNK_CHARS):
        self.chunk_chars = chunk_chars
        self.url = url.rstrip("/")
        self.concurrency = max(1, concurrency)
        self.language = language
        self.disabled_rules = disabled_rules
        self.timeout = timeout
        self._local = threading.local()
        # replies (futures) by piece text: `fix` re-checks a document after each round of
        # edits and `check --diff` checks the unfixed text again, so unchanged pieces are
        # not re-sent; `prefetch` puts a document's pieces here before it is checked
        self._replies: OrderedDict[str, Future] = OrderedDict()
        self._replies_lock = threading.Lock()
        # one request more than the server checks at once waits in its queue, so a server
        # thread that finishes never waits for this process to send the next text
        self._pool = ThreadPoolExecutor(max_workers=self.concurrency + 1,
                                        thread_name_prefix="mtclean-lt")

    def _session(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
        return s

    def submit(self, text: str) -> Future:
        """The reply to one text, as a future: sent now, unless it was sent lately."""
        with self._replies_lock:
            fut = self._replies.get(text)
            if fut is not None:
                self._replies.move_to_end(text)
                return fut
            fut = self._replies[text] = self._pool.submit(self._post, text)
            while len(self._replies) > REPLIES_KEPT:
                oldest = next(iter(self._replies))
                if not self._replies[oldest].done():
                    break  # never drop a reply still on its way
                del self._replies[oldest]
        return fut

    def _reply(self, text: str, fut: Future) -> list[dict]:
        try:
            return fut.result()
        except Unavailable:
            with self._replies_lock:  # a failed reply is not kept: it may be asked again
                if self._replies.get(text) is fut:
                    del self._replies[text]
            raise

    def check_text(self, text: str) -> list[dict]:
        """The raw matches of one text (UTF-16 offsets); a text seen lately is not re-sent."""
        return self._reply(text, self.submit(text))

    def _post(self, text: str) -> list[dict]:
        """POST one text to /v2/check; return its raw matches (UTF-16 offsets)."""
        data = {"text": text, "language": self.language}
        if self.disabled_rules:
            data["disabledRules"] = ",".join(self.disabled_rules)
        try:
            r = self._session().post(f"{self.url}/v2/check", data=data, timeout=self.timeout)
        except requests.Timeout:
            raise Unavailable(f"LanguageTool at {self.url} took longer than {self.timeout:.0f}s "
                              "(set MTCLEAN_LT_TIMEOUT to wait longer)") from None
        except requests.RequestException as exc:
            raise Unavailable(f"LanguageTool at {self.url} is not answering "
                              f"({type(exc).__name__})") from None
        if r.status_code != 200:
            raise Unavailable(f"LanguageTool at {self.url} answered HTTP {r.status_code}: "
                              f"{r.text.strip().splitlines()[0][:160] if r.text.strip() else ''}")
        try:
            return r.json().get("matches", [])
        except ValueError:
            raise Unavailable(f"LanguageTool at {self.url} sent a reply that is not JSON") from None

    def check(self, doc: Document) -> list[Match]:
        """All matches of a document, chunks checked concurrently, offsets in code points."""
        spans = chunks(doc, self.chunk_chars)
        texts = [doc.text[a:b] for a, b in spans]
        futures = [self.submit(t) for t in texts]  # all pieces go out before we wait
        results = [self._reply(t, f) for t, f in zip(texts, futures)]
        out: list[Match] = []
        for (a, b), text, matches in zip(spans, texts, results):
            to_cp = OffsetMap(text)
            for m in matches:
                s = to_cp(m["offset"])
                e = to_cp(m["offset"] + m["length"])
                if m.get("rule", {}).get("id", "").startswith(_DISABLED_PREFIXES):
                    continue
                if 0 <= s <= e <= len(text):
                    out.append(Match(a + s, a + e, m))
        return out

    def prefetch(self, doc: Document) -> None:
        """Send a document's pieces now; a later `check(doc)` collects the replies.

        A caller that knows the next document (a run over many files) calls this before
        checking the current one: the server then checks two documents at once and never
        waits between them, as a client sending files in parallel would have it.
        """
        for a, b in chunks(doc, self.chunk_chars):
            self.submit(doc.text[a:b])

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def to_finding(doc: Document, m: Match) -> Finding:
    """Turn a match into a Finding with source 'languagetool' and rule id LT/<ID>."""
    rule = m.raw.get("rule", {})
    category = category_for(m.raw)
    reps = [r.get("value", "") for r in m.raw.get("replacements", [])]
    message = m.raw.get("message", "").strip() or rule.get("description", "")
    if len(reps) > 1:
        message += f" (suggestions: {', '.join(reps[:4])})"
    fix = None
    if reps:
        fix = Fix(reps[0], "unsafe" if len(reps) == 1 else "display")
    severity = "info" if category == "style" else "warning"
    return Finding(rule=f"LT/{rule.get('id', 'UNKNOWN')}", category=category, severity=severity,
                   message=message, start=m.start, end=m.end, text=doc.text[m.start:m.end],
                   fix=fix, source="languagetool", path=doc.path, extra={"candidates": reps})
