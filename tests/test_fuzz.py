"""Fuzz the whole rule set with generated MT-like news text (seeded, reproducible).

Each case is built from sentence pieces an MT system leaves behind: names (pinyin and
western, some misspelled), numbers and Chinese units, CJK punctuation and runs of it,
straight/curly/mixed quotes, brackets and editor tags, astral characters and combining
marks, doubled words and spaces, BOM and CRLF line ends. For every case:

- checking raises nothing, every finding's `text == decoded[start:end]` and its
  line/column agree with its offsets;
- no fix replaces a text with itself;
- fixing (safe, and safe + unsafe) is idempotent, leaves no safe-fixable finding behind,
  and keeps a BOM and CRLF line ends through `textio`.

CI runs a bounded number of cases (`MTCLEAN_FUZZ_CASES`, default 1500, stopping early
after `MTCLEAN_FUZZ_SECONDS`, default 50). The long run:

    MTCLEAN_FUZZ_CASES=200000 MTCLEAN_FUZZ_SECONDS=0 MTCLEAN_FUZZ_WORKERS=2 \
        python -m pytest tests/test_fuzz.py -q -s
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
from collections import Counter

from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.textio import decode, encode

CASES = int(os.environ.get("MTCLEAN_FUZZ_CASES", "1500"))
SECONDS = float(os.environ.get("MTCLEAN_FUZZ_SECONDS", "50"))  # 0: no time bound
WORKERS = int(os.environ.get("MTCLEAN_FUZZ_WORKERS", "1"))
SEED = int(os.environ.get("MTCLEAN_FUZZ_SEED", "20261204"))

NAMES = ["Zhang Wei", "Li Na", "Wang Xiaoming", "Chen Lu", "Ana Lind", "Pieter de Vries",
         "Kostelnik", "Kostelnick", "Pilipson", "Pillipson", "O'Neill", "José Núñez",
         "Zoë Brontë", "Müller", "Nguyễn Văn An"]
WORDS = ["the", "the the", "said", "officials", "on Monday", "council", "budget", "plan",
         "Reduce", "Ignored", "would", "open", "bridge", "metro line", "exports", "rose",
         "and", "a", "of", "in", "Beijing", "Shenzhen", "NATO", "U.S.", "Mr.", "Dr.", "e.g.",
         "Russian Satellite Network", "Xinhua News Agency", "subway", "地铁", "会议", "经济"]
NUMBERS = ["3", "37.5%", "2021", "10,000", "3 hundred million", "1.5 ten thousand", "８.５",
           "２０２１", "1.2 billion", "No. 7", "½", "3–4", "１２"]
MARKS = ["，", "。", "：", "；", "！", "？", "（", "）", "【", "】", "、", "《", "》", "「", "」",
         "～", "％"]
QUOTES = ["“", "”", "\"", "'", "‘", "’", "«", "»", "＂"]
ODD = ["😀", "𠀀", "𝐀", "e\u0301", "a\u0308", "\u200b", "\u00a0", "\u3000", "\ufeff", "ᴩ", "ß",
       "ǅ", "İ", "ﬁ", "\u0301", "\t", "â€™", "Ã©", "\u2028"]
TAGS = ["(End)", "【Editor: Li Na】", "【Source: Xinhua】", "(Reporter: Chen Lu)", "（完）"]
SPACES = [" ", " ", " ", "  ", " , ", ",", ", ", ". ", "! ", "? ", ": ", "; ", " .", "\n"]


def _sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.45:
            parts.append(rng.choice(WORDS))
        elif r < 0.55:
            parts.append(rng.choice(NAMES))
        elif r < 0.63:
            parts.append(rng.choice(NUMBERS))
        elif r < 0.73:
            parts.append(rng.choice(MARKS) * (1 if rng.random() < 0.8 else rng.randint(2, 30)))
        elif r < 0.83:
            q = rng.choice(QUOTES)
            parts.append(q + rng.choice(WORDS) + (rng.choice(QUOTES) if rng.random() < 0.7 else ""))
        elif r < 0.92:
            parts.append(rng.choice(ODD))
        else:
            parts.append(rng.choice(TAGS))
        parts.append(rng.choice(SPACES))
    s = "".join(parts).strip(" ")
    if rng.random() < 0.7:
        s = s[:1].upper() + s[1:]
    return s + rng.choice([".", ".", ".", "。", "", "!", "?\u201d", ".\u201d"])


def make_case(rng: random.Random) -> bytes:
    """One generated document as bytes on disk (maybe with a BOM, maybe CRLF)."""
    paras = []
    for _ in range(rng.randint(1, 3)):
        paras.append(" ".join(_sentence(rng) for _ in range(rng.randint(1, 2))))
    text = rng.choice(["\n\n", "\n", "\n\n\n"]).join(paras) + rng.choice(["\n", "", "\n\n"])
    if rng.random() < 0.1:
        text = rng.choice(["\u3000\u3000", "   ", "\t"]) + text
    crlf = rng.random() < 0.25
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if rng.random() < 0.2:
        data = b"\xef\xbb\xbf" + data
    return data


def _problems(engine, data: bytes) -> list[str]:
    """Every broken invariant for one case (empty when all hold)."""
    out = []
    source = decode(data, "fuzz.txt")
    text = source.text
    doc = Document(text, "fuzz.txt")
    try:
        found = engine.check(doc)
    except Exception as exc:  # noqa: BLE001 - the fuzz reports any exception as a failure
        return [f"check raised {type(exc).__name__}: {exc}"]
    for f in found:
        if not (0 <= f.start <= f.end <= len(text)) or f.text != text[f.start:f.end]:
            out.append(f"{f.rule}: text {f.text!r} is not decoded[{f.start}:{f.end}]")
        if (f.line, f.column) != doc.position(f.start) or (f.end_line, f.end_column) != doc.position(f.end):
            out.append(f"{f.rule}: line/column disagree with offsets at {f.start}")
        if f.fix is not None and f.fix.replacement == f.text:
            out.append(f"{f.rule}: identity fix on {f.text!r}")
    for unsafe in (False, True):
        try:
            fixed, _, remaining = engine.fix(doc, unsafe=unsafe)
            again, edits, _ = engine.fix(Document(fixed, "fuzz.txt"), unsafe=unsafe)
        except Exception as exc:  # noqa: BLE001
            out.append(f"fix(unsafe={unsafe}) raised {type(exc).__name__}: {exc}")
            continue
        if again != fixed:
            out.append(f"fix(unsafe={unsafe}) is not idempotent ({len(edits)} more edits: "
                       f"{[(e.rule, e.start, e.replacement) for e in edits[:3]]})")
        left = [f.rule for f in remaining if f.fix is not None and f.fix.safety == "safe"]
        if left:
            out.append(f"fix(unsafe={unsafe}) left safe-fixable findings {left[:5]}")
        written = encode(source, fixed)
        if source.bom and not written.startswith(b"\xef\xbb\xbf"):
            out.append("BOM lost")
        # A fixed text that now starts with U+FEFF (its indent was removed) reads back
        # with that character as a BOM, which is not part of the text: the same bytes.
        expect = fixed[1:] if fixed.startswith("\ufeff") and not source.bom else fixed
        if decode(written, "fuzz.txt").text != expect:
            out.append("encode/decode round trip changed the text")
        if "\r\n" in text and "\n" not in text.replace("\r\n", "") and \
                "\n" in fixed.replace("\r\n", ""):
            out.append(f"fix(unsafe={unsafe}) added a bare LF to CRLF text")
    return out


def _run(args: tuple[int, int, float]) -> tuple[int, list[tuple[int, bytes, list[str]]]]:
    """Run cases [first, last) of the seeded stream; (cases run, failures)."""
    first, last, deadline = args
    engine = build_engine()
    failures = []
    ran = 0
    for i in range(first, last):
        if deadline and time.time() > deadline:
            break
        data = make_case(random.Random(SEED * 1_000_003 + i))
        problems = _problems(engine, data)
        ran += 1
        if problems:
            failures.append((i, data, problems))
            if len(failures) >= 20:
                break
    return ran, failures


def test_fuzz_generated_mt_text():
    deadline = time.time() + SECONDS if SECONDS > 0 else 0.0
    if WORKERS > 1:
        step = -(-CASES // WORKERS)
        jobs = [(a, min(CASES, a + step), deadline) for a in range(0, CASES, step)]
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            results = pool.map(_run, jobs)
    else:
        results = [_run((0, CASES, deadline))]
    ran = sum(r for r, _ in results)
    failures = [f for _, fs in results for f in fs]
    kinds = Counter(p.split(" (")[0] for _, _, ps in failures for p in ps)
    print(f"\nfuzz: {ran:,} cases (seed {SEED}), {len(failures)} failing {dict(kinds)}")
    detail = "\n".join(f"case {i}: {data!r}\n  " + "\n  ".join(p) for i, data, p in failures[:5])
    assert not failures, detail
    assert ran >= min(CASES, 200), "too few cases ran to mean anything"


def test_generator_covers_the_hostile_shapes():
    """The generated stream holds what the fuzz promises to cover (a test of the test)."""
    rng = random.Random(SEED)
    blob = b"".join(make_case(rng) for _ in range(400)).decode("utf-8", "replace")
    for needle in ["\r\n", "\ufeff", "😀", "\u0301", "。。", "“", "\"", "3 hundred million", "【"]:
        assert needle in blob, needle


# Shapes the long fuzz runs found, reduced by hand, so CI holds them whatever the seed.
FOUND = [
    "\u3000\u0130. Exports rose 37.5%\u3002",  # "İ" folds to "i̇": a list marker read it as roman
    "Rates\n\n\u201dexports and .2021. Reduce.",  # unclosed ” closed with an inch mark, forever
    "\uff02Reduce\u201c the plan. The metro line Reduce: officials said.",  # ＂ before a capital
    "\u201dbudget? \u300b\u300b\u300b.",  # a guessed close after a run of marks grew the run
    # CAP001's evidence changed by a fix elsewhere, so a second fix lowered the capital:
    "(Reporter: Chen Lu)\nin Ignored. 1.2 billion. \u3010Editor: Li Na\u3011: council in.\n",  # the next sentence's tag
    "\u201crose, Ignored!!\n\nofficials: \u00e2\u20ac\u2122 Ignored. the plan.\n",  # mojibake before a capital
    "37.5% the subway Ignored? Russian Satellite Network?. \u2019plan\u2018\n",  # a headline's other sentence
    "Xinhua News Agency, subway Ignored. on Monday!\n",  # SB003's capital split the sentence
    "\u3010Editor: Li Na\u3011\nDr.; plan, Reduce: Kostelnick, (Reporter: Chen Lu), rose.\n",  # a tag's line
    '\uff05 .Mr.! Beijing; \u4f1a\u8bae? \xabU.S." .metro line,\uff08;.\u201d And\n\'budget\u201c Kostelnick,subway! in.\u3002\nexports! \u3010Source: Xinhua\u3011? \uff01 M\xfcller .Wang Xiaoming: Mr. , subway Reduce ,?\u201d 2021\n(End): Kostelnick \uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05\uff05? council.\n\uff12\uff10\uff12\uff11 1.5 ten thousand\n\uff02the the\u201c? No. 7 \'metro line\uff02? officials?\u3002',  # quotes paired across lines
    "a Ld a Ignore. \uff02Ig,Sh!",  # no sentence end before ＂ until CJK001 made it "
    "f Ignored!\n\n\u3010i Ignored\u3011?",  # capitals inside an editor tag BOIL001 removes
    "?\u3010EiNa\u3011 1 lion Reduce",  # a headline's Title Case judged with a tag's words
    "lion Ignore\n\n\u00c2\u20ac",  # the next line's capital (mojibake) read as a name's initial
    "plan Reduce?\u201d Subway. \u201dcouncil Reduce  \u00abthe\u00bb \u4f1a\u8bae.",  # QUO001 closed a quotation before a capital
    "Rose! Dr. \u2018a\" \u01c5.. Li Na\u000a\"would\u2019 exports, \u300a \uff02Beijing' \uff11\uff12  Wang Xiaoming \uff08\u5b8c\uff09.\u000aO'Neill .\u4f1a\u8bae! Nguy\u1ec5n V\u0103n An .\xbbRussian Satellite Network\u201c? (Reporter: Chen Lu) (Reporter: Chen Lu) ,. The the; 3; \u201dwould! rose would? (End).\u3002",  # a guess closed right before a run of marks (the fix never settled)
    "Wang Xiaoming .metro line Reduce. open in  the\u000aWang Xiaoming?. Li Na. exports .Beijing.\u201d\u000a\u000a\u000aBridge:\u000a\u000a\u000aBeijing; \"Russian Satellite Network\u00bb; subway.\u000a",  # a line join un-made a headline line: CAP001 there only on a second fix
    "\ufeff\u0009council \u5730\u94c1,\u01c5? in;\u3002 Zo\u00eb Bront\u00eb. \uff18.\uff15! \ufeff , NATO. plan ,.\u201d\u000a\u000aRussian Satellite Network. \u201cin\uff02\u000a\u3010Editor: Li Na\u3011\u000aplan Reduce\u000a\u000a",  # BOIL001 emptied a line: the next line opened a paragraph, CAP001 there
]


def test_fuzz_found_shapes():
    engine = build_engine()
    problems = {text: _problems(engine, text.encode("utf-8")) for text in FOUND}
    assert not any(problems.values()), problems
