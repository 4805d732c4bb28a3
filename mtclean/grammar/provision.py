"""Which LanguageTool server a run talks to: a given URL, `serve`'s, or one started for the run.

The caller owns a `Servers` (one per CLI run or batch) and passes it where a server is
needed, so two configurations in one run share one JVM and nothing is read from a
module-level singleton. `close()` stops the JVM it started (so does process exit).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ServerError
from .install import classpath, java_path
from .process import DEFAULT_THREADS, DEFAULT_XMX, LocalServer, healthy
from .served import served


@dataclass(frozen=True)
class Endpoint:
    """A server to send checks to, how many requests it takes at once, and who started it."""

    url: str
    threads: int
    started: LocalServer | None = None


def can_start() -> bool:
    """Whether a server could be started here: jars installed and Java found."""
    return bool(classpath() and java_path())


class Servers:
    """Finds or starts the LanguageTool server for a run; started at most once."""

    def __init__(self, xmx: str = DEFAULT_XMX, threads: int = DEFAULT_THREADS):
        self.xmx = xmx
        self.threads = threads
        self.started: LocalServer | None = None

    def available(self, url: str | None = None) -> bool:
        """Whether `auto` should try LanguageTool: a URL, a served server, or jars plus Java."""
        return bool(url or self.started or served() or can_start())

    def endpoint(self, url: str | None = None, on_start=None) -> Endpoint:
        """`url` (checked), else `serve`'s server, else one we start; ServerError if none.

        `on_start(message)` is called before a server is started (it takes seconds).
        """
        if url:
            url = url.rstrip("/")
            if not healthy(url, timeout=10):
                raise ServerError(f"no LanguageTool server answers at {url}; check the URL, "
                                  "or start one with `mtclean languagetool serve`")
            return Endpoint(url, DEFAULT_THREADS)
        if self.started is not None and self.started.alive():
            return Endpoint(self.started.url, self.started.threads, self.started)
        state = served()
        if state:
            return Endpoint(state["url"], int(state.get("threads") or DEFAULT_THREADS))
        if on_start is not None and can_start():
            on_start("starting a LanguageTool server for this run "
                     "(`mtclean languagetool serve` keeps one running between runs)")
        self.started = LocalServer(xmx=self.xmx, threads=self.threads).start()
        return Endpoint(self.started.url, self.threads, self.started)

    def close(self) -> None:
        if self.started is not None:
            self.started.stop()
            self.started = None
