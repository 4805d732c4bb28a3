"""sentencepiece support: tokenization statistics under a user's model, and its normalizer.

`SpmStats` measures, per record, the pieces, `<unk>` pieces and words before and after
cleaning (MT artifacts show up as `<unk>` and fragmented words). `normalizer_detector`
runs sentencepiece's own normalization rules (nmt_nfkc, ...) and reports each change as a
safe fix at its exact span in the original text, using the offsets the normalizer returns.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from ..document import Document
from ..errors import MtcleanError
from ..finding import Finding, Fix

NORMALIZATIONS = ("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf")
NORM_RULE = "NORM001"


class SpmError(MtcleanError):
    """A sentencepiece model that cannot be loaded."""


def load_processor(path: str):
    import sentencepiece as spm

    try:
        with open(path, "rb") as fh:
            proto = fh.read()
    except OSError as exc:
        raise SpmError(f"{path}: cannot read the sentencepiece model ({exc.strerror})") from None
    try:
        return spm.SentencePieceProcessor(model_proto=proto)
    except (RuntimeError, OSError):
        raise SpmError(f"{path}: not a sentencepiece model (expected the .model file written by spm_train)") from None


@dataclass
class SpmCounts:
    """Pieces / <unk> / words for one text."""

    pieces: int = 0
    unk: int = 0
    words: int = 0


def measure(sp, text: str) -> SpmCounts:
    ids = sp.encode(text)
    unk = sp.unk_id()
    return SpmCounts(len(ids), sum(1 for i in ids if i == unk), len(text.split()))


@dataclass
class SpmStats:
    """Totals before/after cleaning plus the K records with the highest <unk> rate."""

    worst_k: int = 10
    before: SpmCounts = field(default_factory=SpmCounts)
    after: SpmCounts = field(default_factory=SpmCounts)
    worst: list = field(default_factory=list)  # heap of (key, seq, entry)
    _seq: int = 0

    def add(self, where: str, text: str, b: SpmCounts, a: SpmCounts) -> None:
        for tot, c in ((self.before, b), (self.after, a)):
            tot.pieces += c.pieces
            tot.unk += c.unk
            tot.words += c.words
        if not b.pieces:
            return
        key = (b.unk / b.pieces, b.pieces / max(b.words, 1))
        entry = {"record": where, "text": text[:120],
                 "before": {"unk_rate": _rate(b.unk, b.pieces), "pieces_per_word": _rate(b.pieces, b.words)},
                 "after": {"unk_rate": _rate(a.unk, a.pieces), "pieces_per_word": _rate(a.pieces, a.words)}}
        self._push(key, entry)

    def _push(self, key, entry) -> None:
        self._seq += 1
        item = (key, -self._seq, entry)
        if len(self.worst) < self.worst_k:
            heapq.heappush(self.worst, item)
        elif item[:2] > self.worst[0][:2]:
            heapq.heapreplace(self.worst, item)

    def merge(self, other: "SpmStats") -> None:
        for mine, theirs in ((self.before, other.before), (self.after, other.after)):
            mine.pieces += theirs.pieces
            mine.unk += theirs.unk
            mine.words += theirs.words
        for key, _, entry in other.worst:
            self._push(key, entry)

    def report(self) -> dict:
        worst = [e for _, _, e in sorted(self.worst, key=lambda t: t[:2], reverse=True)]
        return {
            "before": {"unk_rate": _rate(self.before.unk, self.before.pieces),
                       "pieces_per_word": _rate(self.before.pieces, self.before.words),
                       "pieces": self.before.pieces, "unk": self.before.unk},
            "after": {"unk_rate": _rate(self.after.unk, self.after.pieces),
                      "pieces_per_word": _rate(self.after.pieces, self.after.words),
                      "pieces": self.after.pieces, "unk": self.after.unk},
            "worst": worst,
        }


def _rate(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


def make_normalizer(name: str):
    import sentencepiece as spm

    if name not in NORMALIZATIONS:
        raise SpmError(f"unknown normalization {name!r}; choose one of {', '.join(NORMALIZATIONS)}")
    # Whitespace is left to the spacing rules: no dummy prefix, no '▁', no collapsing.
    return spm.SentencePieceNormalizer(rule_name=name, add_dummy_prefix=False,
                                       escape_whitespaces=False, remove_extra_whitespaces=False)


def changes(norm, line: str) -> list[tuple[int, int, str]]:
    """Return (start, end, replacement) spans of `line` that the normalizer rewrites.

    The normalizer gives, for each output character, the input offset it came from (plus a
    final entry = len(line)); runs of output characters sharing a source offset form a
    group that replaces the source span up to the next group's offset.
    """
    out, offs = norm.normalize(line, with_offsets=True)
    if out == line:
        return []
    if len(offs) != len(out) + 1 or any(offs[i] > offs[i + 1] for i in range(len(offs) - 1)):
        return [(0, len(line), out)]
    spans: list[tuple[int, int, str]] = []
    if offs[0] > 0:
        spans.append((0, offs[0], ""))
    i = 0
    while i < len(out):
        k = i + 1
        while k < len(out) and offs[k] == offs[i]:
            k += 1
        a, b, rep = offs[i], offs[k], out[i:k]
        if line[a:b] != rep:
            if spans and spans[-1][1] == a:
                pa, _, prep = spans.pop()
                spans.append((pa, b, prep + rep))
            else:
                spans.append((a, b, rep))
        i = k
    return spans


def normalizer_detector(name: str):
    """A detector (engine plug-in) proposing sentencepiece's normalization as safe fixes.

    It works line by line, so line breaks (which the normalizer would turn into spaces)
    are never touched.
    """
    norm = make_normalizer(name)

    def detect(doc: Document, findings: list[Finding]) -> list[Finding]:
        text = doc.text
        if text.isascii() and text.isprintable():
            return []
        out: list[Finding] = []
        pos = 0
        for line in text.split("\n"):
            body = line[:-1] if line.endswith("\r") else line
            for a, b, rep in changes(norm, body):
                out.append(Finding(
                    rule=NORM_RULE, category="encoding", severity="info",
                    message=f"sentencepiece {name} normalizes {text[pos + a:pos + b]!r} to {rep!r}",
                    start=pos + a, end=pos + b, text=text[pos + a:pos + b],
                    fix=Fix(rep, "safe"), source="sentencepiece", path=doc.path))
            pos += len(line) + 1
        return out

    return detect
