"""The shape of an ASCII text: each character replaced by its class, for cheap preconditions.

Many rules can only fire around a particular sequence of character classes: a comma
glued to a letter (",a"), a stop before a capitalized word (".Aa"). On the shape those
are plain substring tests, and one `bytes.translate` makes the shape of a whole segment,
so the test costs a fraction of the regex scan it spares. Only ASCII text has a shape
(most English copy); other text is always scanned.

Classes (one byte each):

    A  A-Z            a  a-z            0  0-9
    space  whitespace: space, \\t \\n \\v \\f \\r and \\x1c-\\x1f (what str.isspace counts)
    .  . ! ?          ,  , ; :          "  "        '  '
    (  ( [ {          )  ) ] }          _  anything else (- % / & …)
"""

from __future__ import annotations

CLASSES = "Aa0 .,\"'()_"


def _table() -> bytes:
    out = bytearray(b"_" * 256)
    for c in range(256):
        ch = chr(c)
        if "A" <= ch <= "Z":
            out[c] = ord("A")
        elif "a" <= ch <= "z":
            out[c] = ord("a")
        elif "0" <= ch <= "9":
            out[c] = ord("0")
        elif c < 128 and ch.isspace():
            out[c] = ord(" ")
        elif ch in ".!?":
            out[c] = ord(".")
        elif ch in ",;:":
            out[c] = ord(",")
        elif ch in "\"'":
            out[c] = c
        elif ch in "([{":
            out[c] = ord("(")
        elif ch in ")]}":
            out[c] = ord(")")
    return bytes(out)


_TABLE = _table()


def shape(text: str) -> bytes | None:
    """The shape of `text`, or None when it is not ASCII (a document keeps its own:
    `Document.shape`, which the rules of one segment ask for in turn)."""
    return text.encode("ascii").translate(_TABLE) if text.isascii() else None


def gate(needles: tuple[bytes, ...]):
    """A test `document -> bool` that is False only for ASCII text whose shape holds none
    of `needles` (non-ASCII text always passes). `Document.shape` is the shape as a
    string, so the needles are tested as strings."""
    needles = tuple(n.decode("ascii") for n in needles)
    if len(needles) == 1:
        (needle,) = needles

        def one(doc) -> bool:
            sh = doc.shape
            return sh is None or needle in sh
        return one

    def any_of(doc) -> bool:  # a loop of `in` tests: no bound method, map or any per call
        sh = doc.shape
        if sh is None:
            return True
        for needle in needles:
            if needle in sh:
                return True
        return False
    return any_of


def parse_needles(raw) -> tuple[bytes, ...]:
    """Validate shape needles (strings over CLASSES); ValueError says what is wrong."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not raw or not all(isinstance(x, str) and x for x in raw):
        raise ValueError("must be a list of non-empty strings")
    for x in raw:
        bad = sorted(set(x) - set(CLASSES))
        if bad:
            raise ValueError(f"{x!r} holds {''.join(bad)!r}, which is no shape class "
                             f"(classes: {CLASSES!r}, see mtclean/shape.py)")
    return tuple(x.encode("ascii") for x in raw)
