"""Flag named entities translated word for word from Chinese ("Russian Satellite Network"
for 俄罗斯卫星通讯社, i.e. Sputnik); the gazetteer itself is data (mtclean/lexicon/gazetteer.py,
`rules/entities/`), and each entry carries its own fix safety.
"""

from __future__ import annotations

from pathlib import Path

import regex

from . import check
from ..finding import Hit
from ..lexicon.gazetteer import SCREEN_CHARS, Gazetteer, gazetteer_for

_ARTICLE = regex.compile(r"(?<![\p{L}\p{N}])([Tt]he)[ \t]+$")


def _paths(context, rule) -> list[Path]:
    base = Path(rule.source_file).parent if rule.source_file else Path(".")
    listed = rule.options.get("gazetteers", ["entities"])
    if isinstance(listed, str):
        listed = [listed]
    paths = [p if Path(p).is_absolute() else base / p for p in map(Path, listed)]
    paths += map(Path, context.entities)
    return paths


_BY_SETTINGS: dict[tuple, Gazetteer] = {}
_DEFAULT = ["entities"]  # the gazetteers a rule without the option reads


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _gazetteer(doc, rule) -> Gazetteer:
    """The gazetteer for a rule's and a document's settings, by one dict lookup (building
    and parsing the paths per segment would cost more than the scan)."""
    return _gazetteer_for(doc.context, rule)


def _gazetteer_for(context, rule) -> Gazetteer:
    try:
        key = (rule.source_file, _hashable(rule.options.get("gazetteers", _DEFAULT)),
               context.entities)
        gaz = _BY_SETTINGS.get(key)
    except TypeError:  # unhashable settings: let `_paths` report them as before
        return gazetteer_for(_paths(context, rule))
    if gaz is None:
        if len(_BY_SETTINGS) >= 256:  # settings that vary per document: keep the memo small
            _BY_SETTINGS.clear()
        gaz = _BY_SETTINGS[key] = gazetteer_for(_paths(context, rule))
    return gaz


def _chunk_scan(rule, context):
    """ENT001's scan of a batch chunk (mtclean/chunkgate.py): `may_occur` on the texts it
    may pass. Its screen words are tested against the chunk's long capitals at once; a
    text without one of them among its own passes only when the screen does not apply
    (a long text, non-ASCII capitals, a form without such a word: `may_occur` decides)."""

    def scan(chunk, out: set) -> None:
        gaz = _gazetteer_for(context, rule)
        texts, may = chunk.texts, gaz.may_occur
        capitals = chunk.long_capitals()
        screen = gaz.screen_words()
        words = screen & set().union(*capitals) if screen is not None else None
        out.update(i for i, caps in enumerate(capitals)
                   if (words is None or not words.isdisjoint(caps) or len(texts[i]) > SCREEN_CHARS
                       or not texts[i].isascii()) and may(texts[i], caps))
    return scan


@check("entity-gazetteer", chunk_scan=_chunk_scan)
def entity_gazetteer(doc, rule):
    """Flag literal translations of entity names; the fix writes the established name."""
    gaz = _gazetteer(doc, rule)
    text = doc.text
    return list(_hits(gaz, text)) if gaz.may_occur(text, doc.long_capitals) else ()


def _hits(gaz: Gazetteer, text: str):
    """The hits for each found form (`the` included when the name takes no article)."""
    for start, end, entry in gaz.find(text):
        if entry.drop_article:
            m = _ARTICLE.search(text, max(0, start - 8), start)
            if m:
                start = m.start(1)
        zh = f" ({entry.zh})" if entry.zh else ""
        note = f"; {entry.note}" if entry.note else ""
        yield Hit(start, end, replacement=entry.canonical, safety=entry.safety,
                  message=f"Literal translation of an entity name{zh}: "
                          f"English news calls it “{entry.canonical}”{note}")
