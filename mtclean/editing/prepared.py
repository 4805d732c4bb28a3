"""One prepared engine per file's configuration, rebuilt only when a config or rule file changes.

An editing front-end (the review page, the language server) checks the same document many
times a second; loading rules and building screens each time would cost more than the check.
The engine is therefore kept, keyed by the modification time and size of every file that
shapes it: the configuration files that discovery could pick (including ones not yet
created), the extra rule files and the names lexicons.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import config as config_mod
from ..config import Overrides
from .. import rules as rules_mod
from .. import selectors, suppress
from ..blockcheck import is_document_level
from ..document import CheckContext, Document
from ..engine import Engine, select_rules
from ..finding import Finding
from ..rules import Rule

CONFIG_NAMES = (".mtclean.toml", "mtclean.toml", "pyproject.toml")


@dataclass
class Prepared:
    """The engine for one file, split into paragraph-local and document-level halves."""

    rules: list[Rule]
    local: Engine
    whole: Engine
    context: CheckContext
    per_file_ignores: list[str] = field(default_factory=list)

    def keep(self, doc: Document, findings: list[Finding]) -> list[Finding]:
        """Suppressions (inline comments, sidecar) and per-file ignores, as `mtclean check`."""
        kept = suppress.apply_all(doc, findings)
        if self.per_file_ignores:
            kept = [f for f in kept
                    if not selectors.any_match(self.per_file_ignores, f.rule, f.category)]
        return kept

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class EngineCache:
    """Hands out the prepared engine for a path; rebuilds it when its files change.

    `detectors_for(grammar, url)` makes the grammar detectors (kept across rebuilds by the
    caller, since a grammar server is slow to start); None means no grammar backend.
    """

    def __init__(self, settings: Overrides = Overrides(),
                 detectors_for: Callable[[str, str | None], list] | None = None):
        self.settings = settings
        self._detectors_for = detectors_for
        self._built: dict[str, tuple[tuple, Prepared]] = {}
        self._engines: dict[tuple, tuple[Engine, Engine, list[Rule]]] = {}

    def _watched(self, path: str, cfg: config_mod.Config) -> list[Path]:
        """Every file whose change must rebuild the engine for `path`."""
        files: list[Path] = []
        if self.settings.config:
            files.append(Path(self.settings.config))
        else:
            for d in [Path(path).resolve().parent, *Path(path).resolve().parent.parents]:
                files.extend(d / n for n in CONFIG_NAMES)
        extra = [*map(str, cfg.extend_rules), *self.settings.extend_rules]
        for p in extra:
            q = Path(p)
            files.extend(rules_mod.rule_files([q]) if q.is_dir() else [q])
            if q.is_dir():
                files.append(q)  # a rule file added to the directory
        files.extend(cfg.names)
        return files

    def get(self, path: str) -> Prepared:
        """The prepared engine for `path`, rebuilt if a file that shapes it changed."""
        cfg = config_mod.for_path(path, self.settings.config)
        built = self._built.get(path)
        stamp = tuple((str(f), _stat(f)) for f in self._watched(path, cfg))
        if built is not None and built[0] == stamp:
            return built[1]
        # New or changed: read the configuration afresh (discovery caches per directory).
        config_mod.discover.cache_clear()
        config_mod._explicit.cache_clear()
        cfg = config_mod.for_path(path, self.settings.config)
        stamp = tuple((str(f), _stat(f)) for f in self._watched(path, cfg))
        local, whole, chosen = self._engines_for(cfg, stamp)
        prepared = Prepared(rules=chosen, local=local, whole=whole,
                            context=CheckContext(names=cfg.names),
                            per_file_ignores=cfg.ignores_for(path))
        self._built[path] = (stamp, prepared)
        return prepared

    def _engines_for(self, cfg: config_mod.Config, stamp: tuple) -> tuple[Engine, Engine, list[Rule]]:
        """The engines for a configuration, shared by every file it governs."""
        s = self.settings
        select = s.select or tuple(cfg.select)
        ignore = tuple(cfg.ignore) + s.ignore
        extra = (*map(str, cfg.extend_rules), *s.extend_rules)
        choice = s.grammar or cfg.grammar
        url = s.languagetool_url or cfg.languagetool_url
        rule_files = set(extra) | {str(cfg.source)}
        key = (select, ignore, extra, choice, url,
               tuple(x for x in stamp if x[0] in rule_files or x[0].startswith(extra)))
        shared = self._engines.get(key)
        if shared is None:
            chosen = select_rules(rules_mod.load_rules(list(extra)), select, ignore)
            detectors = []
            if self._detectors_for and (choice != "none" or url):
                detectors = self._detectors_for(choice, url)
            shared = (Engine([r for r in chosen if not is_document_level(r)], list(detectors)),
                      Engine([r for r in chosen if is_document_level(r)]), chosen)
            if len(self._engines) >= 16:
                self._engines.clear()
            self._engines[key] = shared
        return shared


def grammar_detectors() -> Callable[[str, str | None], list]:
    """A `detectors_for` that starts each grammar backend once per process."""
    made: dict[tuple[str, str | None], list] = {}
    servers = []  # one grammar.provision.Servers for every backend of this process

    def detectors_for(choice: str, url: str | None) -> list:
        if (choice, url) not in made:
            from .. import grammar
            from ..grammar.provision import Servers

            if not servers:
                servers.append(Servers())
            made[(choice, url)] = grammar.make_detectors(choice, url, servers[0])
        return made[(choice, url)]
    return detectors_for
