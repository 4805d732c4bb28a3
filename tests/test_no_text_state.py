"""No module keeps state about the text being checked: per-text work lives in the
document's views (mtclean/document.py), so interleaved documents give the same findings as
each checked alone, and no module global refers to a checked text or document."""

from __future__ import annotations

import ast
import sys
import weakref
from pathlib import Path

import mtclean
from mtclean.api import build_engine
from mtclean.document import Document
from mtclean.engine import hits_for

SRC = Path(mtclean.__file__).parent
ENGINE = build_engine(select=["ALL"])

# Texts that wake most checks: names in two spellings, capitals, quotes, repeats, loops,
# CJK residue, entity literals, Title Case, layout (a headline).
TEXT_A = ("Harbour Works Resume\n\nOfficials in Lanzhou said the the plan would Reduce costs, "
          "and Ms. Tarvoska said “it is ready\". Tarvosca said it twice. Tarvoska agreed.\n\n"
          "The Mayor Said That The Plan Was Ready And The City Was Happy With It Today. "
          "the board met on Monday.It approved the plan plan. the board met on Monday.")
TEXT_B = ("The city said prices rose by 3 hundred million yuan，and Russian Satellite Network "
          "reported it.\n\nLi Wei and Li Wie spoke; \"we will Close the gap,\" Li Wei said. "
          "Nothing more was said. Nothing more was said.\n\n地铁 lines open next year.")


def _per_rule(docs_in_order):
    """Hits of every rule on each document, the documents taken in turn rule by rule."""
    out = {id(d): [] for d in docs_in_order}
    for rule in ENGINE.rules:
        for d in docs_in_order:
            out[id(d)].append((rule.id, [(h.start, h.end, h.replacement, h.message)
                                         for h in hits_for(d, rule)]))
    return out


def test_interleaved_documents_match_each_alone():
    alone_a = _per_rule([Document(TEXT_A)])
    alone_b = _per_rule([Document(TEXT_B)])
    a, b = Document(TEXT_A), Document(TEXT_B)
    mixed = _per_rule([a, b, a])  # A, B, A again: a view read back must be A's own
    assert mixed[id(a)][::2] == list(alone_a.values())[0]
    assert mixed[id(a)][1::2] == list(alone_a.values())[0]
    assert mixed[id(b)] == list(alone_b.values())[0]
    assert any(h for _, h in list(alone_a.values())[0]) and any(h for _, h in list(alone_b.values())[0])


def _refers_to(value, targets: tuple, depth: int = 3) -> bool:
    """True when `value` is one of `targets` or holds one in containers `depth` deep."""
    if any(value is t for t in targets):
        return True
    if isinstance(value, weakref.ref):
        return _refers_to(value(), targets, depth)
    if depth == 0:
        return False
    if isinstance(value, dict):
        items = list(value.keys()) + list(value.values())
    elif isinstance(value, (tuple, list, set, frozenset)):
        items = list(value)
    else:
        return False
    return any(_refers_to(v, targets, depth - 1) for v in items[:10_000])


def test_no_module_global_refers_to_a_checked_text():
    text = TEXT_A + "\n\nA unique closing line for this test, 4711."
    doc = Document(text)
    ENGINE.check(doc)
    targets = (doc, text)
    held = [f"{name}.{attr}" for name, mod in list(sys.modules.items())
            if name == "mtclean" or name.startswith("mtclean.")
            for attr, value in list(vars(mod).items()) if _refers_to(value, targets)]
    assert not held, f"module globals keep the checked text: {held}"


# Module globals that a function may rebind: data loaded once, never per text.
_LOAD_ONCE = {"_loaded", "_CONFIG", "_SHARED", "_stdin"}
_REMOVED = ("_last", "_last_caps", "_last_runs", "_last_words", "_last_layout", "_last_plain",
            "listed_long_capitals")


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_globals_are_rebound_only_for_data_loaded_once():
    bad = [f"{p.relative_to(SRC)}:{node.lineno}: global {name}"
           for p, tree in _modules() for node in ast.walk(tree) if isinstance(node, ast.Global)
           for name in node.names if name not in _LOAD_ONCE]
    assert not bad, "per-text state belongs in a Document view: " + "; ".join(bad)


def _module_names(tree: ast.Module):
    """(line, name) of what a module defines at top level or declares `global`."""
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        yield node.lineno, n.id
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.lineno, node.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            yield from ((node.lineno, n) for n in node.names)


def test_the_one_entry_text_caches_are_gone():
    found = [f"{p.relative_to(SRC)}:{line}: {name}" for p, tree in _modules()
             for line, name in _module_names(tree) if name in _REMOVED]
    assert not found, found


def test_no_memo_is_keyed_by_a_text():
    """An lru_cache on a function of the text (or document) is per-text state."""
    bad = []
    for p, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            memo = any("cache" in ast.unparse(d) for d in node.decorator_list)
            params = {a.arg for a in node.args.args + node.args.kwonlyargs}
            if memo and params & {"text", "doc", "document"}:
                bad.append(f"{p.relative_to(SRC)}:{node.lineno}: {node.name}")
    assert not bad, bad
