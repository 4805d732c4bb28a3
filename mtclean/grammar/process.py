"""One LanguageTool JVM we start: its command line, health check, warm-up and stop.

We start the JVM ourselves (heap limit, our own log, a generous health-check wait) instead
of relying on language-tool-python's 15-second start timeout, and we make sure it dies
with us: atexit, SIGTERM/SIGHUP handlers, and on Linux a parent-death signal. The list of
JVMs to stop at exit is this module's only state, and only this module reads it.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ServerError
from .install import cache_dir, classpath, java_path

MAIN_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_XMX = os.environ.get("MTCLEAN_LT_XMX", "1g")
DEFAULT_THREADS = int(os.environ.get("MTCLEAN_LT_THREADS", "2") or 2)
START_TIMEOUT = float(os.environ.get("MTCLEAN_LT_START_TIMEOUT", "180") or 180)
HOST = "127.0.0.1"


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when a LanguageTool server answers its health check at `url`."""
    import requests  # lazily: `mtclean languagetool status` and the CLI start without it

    try:
        r = requests.get(url.rstrip("/") + "/v2/healthcheck", timeout=timeout)
        return r.status_code == 200
    except requests.RequestException:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_taken(port: int) -> bool:
    """Whether something already listens on (or holds) `port` on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def _taken_message(port: int) -> str:
    return (f"port {port} is already in use on {HOST}; choose another with --port, "
            "or leave --port out to take a free one")


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM the JVM when its parent dies (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class LocalServer:
    """A LanguageTool JVM we started; `stop()` (also run at exit unless detached) ends it."""

    xmx: str = DEFAULT_XMX
    threads: int = DEFAULT_THREADS
    port: int | None = None
    detached: bool = False
    cache_size: int = 1000
    proc: subprocess.Popen | None = field(default=None, repr=False)
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _write_config(self) -> Path:
        d = cache_dir() / "run"
        d.mkdir(parents=True, exist_ok=True)
        cfg = d / f"server-{self.port}.properties"
        cfg.write_text(
            f"maxCheckThreads={self.threads}\n"
            f"maxWorkQueueSize={max(8, self.threads * 8)}\n"
            "maxTextLength=200000\n"
            "maxCheckTimeMillis=120000\n"
            "maxSpellingSuggestions=3\n"
            f"cacheSize={self.cache_size}\n",
            encoding="utf-8")
        return cfg

    def start(self, timeout: float = START_TIMEOUT) -> "LocalServer":
        java = java_path()
        if not java:
            raise ServerError("Java not found (LanguageTool needs Java 17+); install it "
                              "or use --grammar harper")
        cp = classpath()
        if not cp:
            raise ServerError("LanguageTool is not installed; run `mtclean languagetool install`")
        if self.port and port_taken(self.port):
            raise ServerError(_taken_message(self.port))
        self.port = self.port or _free_port()
        cfg = self._write_config()
        logs = cache_dir() / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.log_path = logs / f"server-{self.port}.log"
        cmd = [java, f"-Xmx{self.xmx}", "-XX:+UseSerialGC", "-cp", cp, MAIN_CLASS,
               "--port", str(self.port), "--config", str(cfg)]
        own_thread = threading.current_thread() is threading.main_thread()
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=self.detached,
                preexec_fn=_die_with_parent if (own_thread and not self.detached
                                                and sys.platform.startswith("linux")) else None)
        if not self.detached:
            _register(self)
        self._wait(timeout)
        return self

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(self._exit_reason())
            if healthy(self.url, timeout=1.0):
                self._warm_up(max(5.0, deadline - time.monotonic()))
                return
            time.sleep(0.25)
        self.stop()
        raise ServerError(f"LanguageTool server did not answer within {timeout:.0f}s "
                          f"(log: {self.log_path}); set MTCLEAN_LT_START_TIMEOUT to wait longer")

    def _exit_reason(self) -> str:
        """One line for a JVM that exited at start: the cause in the log, not a stack frame."""
        log = self._log_text()
        if "BindException" in log or "Address already in use" in log:
            return _taken_message(self.port)
        causes = [l.strip() for l in log.splitlines()
                  if l.strip() and not l.startswith(("\t", " ")) and "Exception" in l]
        lines = [l.strip() for l in log.splitlines() if l.strip()]
        cause = (causes or lines or [""])[-1][:200]
        return (f"LanguageTool server exited at start (code {self.proc.returncode}): "
                f"{cause} (log: {self.log_path})")

    def _warm_up(self, timeout: float) -> None:
        """Send one small request: the first check loads the English pipeline (seconds)."""
        import requests

        try:
            requests.post(f"{self.url}/v2/check", timeout=timeout,
                          data={"text": "This sentence warms the checker up.", "language": "en-US"})
        except requests.RequestException:
            pass

    def _log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return ""

    def log_tail(self) -> str:
        lines = [l for l in self._log_text().splitlines() if l.strip()]
        return lines[-1][:200] if lines else ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        """Terminate the JVM (SIGTERM, then SIGKILL after 10 s) and wait for it."""
        p = self.proc
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


# --- JVMs started by this process: stopped at exit and on SIGTERM/SIGHUP ----------------

_OWNED: list[LocalServer] = []
_LOCK = threading.Lock()


def _stop_all() -> None:
    for s in list(_OWNED):
        s.stop()


def _on_signal(signum, frame):
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _register(server: LocalServer) -> None:
    with _LOCK:
        if not _OWNED:
            atexit.register(_stop_all)
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGTERM, signal.SIGHUP):
                    if signal.getsignal(sig) in (signal.SIG_DFL, None):
                        signal.signal(sig, _on_signal)
        _OWNED.append(server)
