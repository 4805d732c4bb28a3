"""`mtclean languagetool serve/status/stop`: a detached server that later runs find by its state file."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from .errors import ServerError
from .install import cache_dir
from .process import MAIN_CLASS, LocalServer, healthy


def state_file() -> Path:
    return cache_dir() / "server.json"


def _state() -> dict | None:
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def served() -> dict | None:
    """The state of a healthy server started by `serve` (url, threads, pid, log), if any."""
    state = _state()
    url = state and state.get("url")
    return state if url and healthy(url) else None


def serve(port: int | None, xmx: str, threads: int) -> dict:
    """Start a detached server and record it; ServerError if one runs or the port is taken."""
    running = served()
    if running:
        raise ServerError(f"a LanguageTool server is already running at {running['url']}; "
                          "`mtclean languagetool stop` ends it")
    server = LocalServer(xmx=xmx, threads=threads, port=port, detached=True)
    t0 = time.monotonic()
    try:
        server.start()
    except ServerError:
        server.stop()
        raise
    state = {"pid": server.proc.pid, "port": server.port, "url": server.url,
             "log": str(server.log_path), "threads": threads, "xmx": xmx,
             "startup_seconds": round(time.monotonic() - t0, 2)}
    state_file().write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return state


def status() -> dict | None:
    state = _state()
    if state is not None:
        state["healthy"] = healthy(state.get("url", ""))
    return state


def stop_served() -> dict | None:
    """Stop the server `serve` started (by the pid it recorded); None when there was none."""
    state = status()
    if state is None:
        return None
    pid = int(state.get("pid", 0))
    if pid > 0 and _is_our_jvm(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not _is_our_jvm(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
    state_file().unlink(missing_ok=True)
    return state


def _is_our_jvm(pid: int) -> bool:
    """True when `pid` is still a LanguageTool JVM (so a reused pid is never killed)."""
    try:
        import psutil
        p = psutil.Process(pid)
        return p.status() != psutil.STATUS_ZOMBIE and MAIN_CLASS in " ".join(p.cmdline())
    except Exception:
        return False
