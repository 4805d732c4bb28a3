"""The bundled YAML data (rule files, gazetteer, lexicons): where it lives, how to read it.

A low module on purpose: `rules` and the checks both read YAML with line numbers from the
same directory, and neither may import the other for it.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def _builtin_rules_dir() -> Path:
    """The wheel's bundled copy (`mtclean/_rules`, see setup.py), else the checkout's rules/."""
    here = Path(__file__).resolve().parent
    bundled = here / "_rules"
    return bundled if bundled.is_dir() else here.parent / "rules"


BUILTIN_RULES_DIR = _builtin_rules_dir()

# libyaml's parser when PyYAML has it (several times faster: rule files, the gazetteer and
# the lexicons are read at every start, and in every batch worker).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_SafeLoader):
    """A SafeLoader that records the line where each mapping starts as `__line__`."""


def _construct_mapping(loader, node, deep=False):
    mapping = _SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_with_lines(text: str):
    """Parse YAML text; every mapping carries the 1-based line it starts on as `__line__`."""
    return yaml.load(text, Loader=LineLoader)
