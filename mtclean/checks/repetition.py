"""Flag a word repeated back to back ("the the"), the commonest MT and editing slip."""

from __future__ import annotations

import operator

import regex

from . import check
from ..finding import Hit

# Whole words only: not the tail of a hyphenated compound before its last part ("opt-in
# in", "foo-foo foo") nor a word before a compound it starts ("in in-house").
_REPEAT = regex.compile(r"(?<![\p{L}\p{N}'’-])(\p{L}[\p{L}'’-]*)([ \t]+)(?i:(\1))(?![\p{L}\p{N}'’-])")
# Grammatical doublings: "had had", "that that", "bye bye". "so so" and "very very" are
# left out: in news copy they are loops, not style.
DEFAULT_ALLOWED = {"had", "that", "bye", "ha", "blah", "knock", "tut", "yada", "chop",
                   "pooh", "dum", "tsk"}
# "is is" is grammatical only after a clause that is its subject ("what it is is",
# "all it needs is is"): a wh-word or "all" earlier in the sentence. Elsewhere ("if a
# herd is is found") it is a slip like any other.
_SUBJECT_CLAUSE = regex.compile(r"(?i)(?<![\p{L}\p{N}])(?:what|whatever|all|where|why|how|who)(?![\p{L}\p{N}])[^.!?;:\n]{0,80}$")


# A verb's particle, then a preposition of the same spelling: "were taken in in the
# church", "carried on on Monday", "signed up up north". Only after a verb that forms a
# phrasal verb with that particle and needs no object after it; "rose in in June" and
# "embarked on on the plan" (embark on *something*) stay slips.
_PHRASAL = {
    "in": """take give come move check log sign fill join drop break step settle call cave stay
        lock pitch tuck send bring turn hand let put set get go plug factor dig chip sink kick
        phase rope box hem wall fence fit cash tune breathe usher smuggle pour flood crowd""",
    "on": """carry go move hold log sign turn switch catch hang live walk look press push keep
        take put""",
    "up": """set give take make show end pick break build sign step turn open speed back line
        follow shore pile clean sum wrap bring come look hold keep catch stock gear ramp beef
        pay shut grow blow dry fill hang tie mix""",
    "out": """carry find point work rule set turn hand pass sort sell stand reach spell check
        leave back pull drop break go come give run wipe phase roll map lay""",
    "off": """take set kick call lay pay cut sign log turn switch write tip fend ward head ship
        lift show shake seal cordon finish""",
    "down": """shut step slow crack break turn cut hand back play water tone calm track bring
        come go settle sit stand write""",
    "over": """take hand turn pass look go think win get blow hold""",
}
_IRREGULAR = {
    "take": "took taken", "give": "gave given", "come": "came", "break": "broke broken",
    "send": "sent", "bring": "brought", "let": "let", "put": "put", "set": "set",
    "get": "got gotten", "go": "went gone", "dig": "dug", "sink": "sank sunk",
    "sit": "sat", "stand": "stood", "keep": "kept", "hold": "held",
    "catch": "caught", "hang": "hung", "build": "built", "make": "made", "show": "shown", "lay": "laid",
    "pay": "paid", "shut": "shut", "grow": "grew grown", "blow": "blew blown", "find": "found",
    "sell": "sold", "leave": "left", "run": "ran", "cut": "cut", "write": "wrote written",
    "shake": "shook shaken", "think": "thought", "win": "won",
}


def _forms(base: str) -> set[str]:
    """A verb's forms: base, -s, -ed, -ing (a final e dropped, a final consonant of a
    short stem doubled) and the irregular ones."""
    out = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        out.add(base[:-1] + "ing")
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) <= 4 and base[-1] not in "aeiouwxy" and base[-2:-1] in tuple("aeiou"):
        out |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    out.update(_IRREGULAR.get(base, "").split())
    return out


_PARTICLE_VERBS = {particle: frozenset().union(*map(_forms, verbs.split()))
                   for particle, verbs in _PHRASAL.items()}
_WORD_BEFORE = regex.compile(r"(\p{L}+)[ \t]+$")


def _particle_then_preposition(text: str, at: int, word: str) -> bool:
    """True when the doubled `word` at `at` is a particle after its phrasal verb."""
    verbs = _PARTICLE_VERBS.get(word.lower())
    if verbs is None:
        return False
    m = _WORD_BEFORE.search(text, max(0, at - 30), at)
    return m is not None and m.group(1).lower() in verbs


def _grammatical_is(text: str, at: int) -> bool:
    """True when the doubled "is" starting at `at` follows a subject clause."""
    return _SUBJECT_CLAUSE.search(text, max(0, at - 100), at) is not None


def _sentence_start(text: str, at: int) -> bool:
    """True when the word at `at` opens the text, a line or a sentence (quotes and
    brackets before it aside)."""
    i = at - 1
    while i >= 0 and text[i] in " \t\"“‘'([":
        i -= 1
    return i < 0 or text[i] in ".!?…\n:"


def _may_repeat(doc) -> bool:
    """Cheap test that is False only when _REPEAT cannot match (most clean text).

    In plain text (letters all ASCII) a doubled word is a whole word run followed by the
    same run, case aside: the first copy has no word character, ' ’ or - before it and
    only spaces or tabs after it, the second none after it, so each is a maximal run of
    [A-Za-z0-9'’-] (what `Document.word_runs` lists, lowered, ’ as '). So adjacent equal
    runs are needed, with or without ' ’ - in the text.
    """
    if not doc.plain:
        return True
    runs = doc.word_runs
    return any(map(operator.eq, runs, runs[1:]))


def _chunk_scan(rule, context):
    """REP001's scan of a batch chunk (mtclean/chunkgate.py): `_may_repeat` on the word
    runs of all plain texts, split from one translation of the joined chunk; other texts
    are always kept."""

    def scan(chunk, out: set) -> None:
        eq = operator.eq
        out |= chunk.not_plain()
        out.update(i for i, runs in enumerate(chunk.word_runs()) if any(map(eq, runs, runs[1:])))
    return scan


# The prefilter as the trigger: a clean segment costs no generator.
@check("repeated-word", trigger=_may_repeat, chunk_scan=_chunk_scan)
def repeated_word(doc, rule):
    """Flag the second copy of a doubled word; the fix deletes it with its space."""
    if not _may_repeat(doc):
        return
    allowed = {w.lower() for w in rule.options.get("allow", [])} | DEFAULT_ALLOWED
    for m in _REPEAT.finditer(doc.text):
        first, second = m.group(1), m.group(3)
        if (first.lower() in allowed or (first.lower() == "is" and _grammatical_is(doc.text, m.start()))
                or _particle_then_preposition(doc.text, m.start(), first)):
            continue
        if first != second and not (first[0].isupper() and first.lower() == second.lower()
                                    and _sentence_start(doc.text, m.start())):
            continue  # "Will will" (a name and a verb), mid-sentence "Ni ni" (a name whose
            # second syllable lost its capital): only "The the" opening a sentence is a slip
        if second[0].isupper():
            continue  # reduplicated names ("Li Li", "Ni Ni") and acronyms in tables
        yield Hit(m.start(2), m.end(3), replacement="",
                  message=f"Repeated word “{second}”")
