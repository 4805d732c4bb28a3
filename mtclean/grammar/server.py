"""The local LanguageTool server: install the jars, start/stop the JVM, find a running one.

We start the JVM ourselves (heap limit, our own log, a generous health-check wait) instead
of relying on language-tool-python's 15-second start timeout, and we make sure it dies
with us: atexit, SIGTERM/SIGHUP handlers, and on Linux a parent-death signal.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ..config import cache_root

LT_VERSION = "6.8"
MAIN_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_XMX = os.environ.get("MTCLEAN_LT_XMX", "1g")
DEFAULT_THREADS = int(os.environ.get("MTCLEAN_LT_THREADS", "2") or 2)
START_TIMEOUT = float(os.environ.get("MTCLEAN_LT_START_TIMEOUT", "180") or 180)
POM = Path(__file__).resolve().parent.parent / "languagetool" / "pom.xml"


class ServerError(Exception):
    """LanguageTool cannot be installed, started or reached; str() is one line for users."""


def cache_dir() -> Path:
    """Where jars, logs and the server state live (MTCLEAN_CACHE_DIR, then XDG_CACHE_HOME)."""
    return cache_root() / "languagetool"


def lib_dir() -> Path:
    """The jar directory; MTCLEAN_LT_LIB points at jars installed elsewhere (shared)."""
    override = os.environ.get("MTCLEAN_LT_LIB")
    return Path(override) if override else cache_dir() / "lib"


def _state_file() -> Path:
    return cache_dir() / "server.json"


def _pip_download_classpath() -> str | None:
    """The classpath of a LanguageTool that language-tool-python downloaded, if any."""
    try:
        from language_tool_python.download_lt import LocalLanguageTool
        local = LocalLanguageTool.get_latest_installed_version()
        if local is None:
            return None
        d = local.get_directory_path()
    except Exception:  # its API is not ours; any failure just means "not there"
        return None
    jar = d / "languagetool-server.jar"
    return f"{jar}{os.pathsep}{d / 'libs' / '*'}" if jar.is_file() else None


def classpath() -> str | None:
    """The JVM classpath of an installed LanguageTool, or None when it is not installed."""
    lib = lib_dir()
    if any(lib.glob("languagetool-server-*.jar")) and (lib / ".complete").is_file():
        return str(lib / "*")
    return _pip_download_classpath()


def java_path() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def install(force: bool = False, log=print) -> str:
    """Fetch the LanguageTool jars (Maven, else language-tool-python's download); idempotent."""
    if not force:
        cp = classpath()
        if cp:
            log(f"LanguageTool {LT_VERSION} is already installed ({cp})")
            return cp
    mvn = shutil.which("mvn")
    if mvn:
        lib = lib_dir()
        tmp = lib.with_name("lib.partial")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True, exist_ok=True)
        log(f"fetching LanguageTool {LT_VERSION} from Maven Central into {lib} ...")
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
             f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0 or not any(tmp.glob("languagetool-server-*.jar")):
            tail = " | ".join(proc.stdout.strip().splitlines()[-3:])
            raise ServerError(f"Maven could not fetch LanguageTool (exit {proc.returncode}): {tail}")
        (tmp / ".complete").write_text(LT_VERSION + "\n", encoding="utf-8")
        shutil.rmtree(lib, ignore_errors=True)
        tmp.rename(lib)
        return str(lib / "*")
    log("Maven (mvn) not found; falling back to language-tool-python's download ...")
    try:
        from language_tool_python.download_lt import LocalLanguageTool
        LocalLanguageTool.from_version_name(LT_VERSION).download()
    except Exception as exc:
        raise ServerError(f"cannot download LanguageTool ({exc}); install Maven (mvn) and "
                          "run `mtclean languagetool install` again") from None
    cp = _pip_download_classpath()
    if not cp:
        raise ServerError("LanguageTool download finished but no server jar was found")
    return cp


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when a LanguageTool server answers its health check at `url`."""
    try:
        r = requests.get(url.rstrip("/") + "/v2/healthcheck", timeout=timeout)
        return r.status_code == 200
    except requests.RequestException:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM the JVM when its parent dies (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class LocalServer:
    """A LanguageTool JVM we started; `stop()` (also run at exit) ends it."""

    xmx: str = DEFAULT_XMX
    threads: int = DEFAULT_THREADS
    port: int | None = None
    detached: bool = False
    cache_size: int = 1000
    proc: subprocess.Popen | None = field(default=None, repr=False)
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
                raise ServerError(f"LanguageTool server exited at start (code {self.proc.returncode}): "
                                  f"{self.log_tail()} (log: {self.log_path})")
            if healthy(self.url, timeout=1.0):
                self._warm_up(max(5.0, deadline - time.monotonic()))
                return
            time.sleep(0.25)
        self.stop()
        raise ServerError(f"LanguageTool server did not answer within {timeout:.0f}s "
                          f"(log: {self.log_path}); set MTCLEAN_LT_START_TIMEOUT to wait longer")

    def _warm_up(self, timeout: float) -> None:
        """Send one small request: the first check loads the English pipeline (seconds)."""
        try:
            requests.post(f"{self.url}/v2/check", timeout=timeout,
                          data={"text": "This sentence warms the checker up.", "language": "en-US"})
        except requests.RequestException:
            pass

    def log_tail(self) -> str:
        try:
            lines = [l for l in self.log_path.read_text(errors="replace").splitlines() if l.strip()]
        except OSError:
            return ""
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


# --- servers owned by this process: stopped at exit and on SIGTERM/SIGHUP ---------------

_OWNED: list[LocalServer] = []
_LOCK = threading.Lock()
_SHARED: LocalServer | None = None


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


def served_url() -> str | None:
    """The URL of a healthy server started by `mtclean languagetool serve`, if any."""
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = state.get("url")
    return url if url and healthy(url) else None


def shared_url(url: str | None = None, xmx: str = DEFAULT_XMX, threads: int = DEFAULT_THREADS) -> str:
    """One server URL for a whole run or batch: `url`, else `serve`'s, else one we start.

    The server we start is shared by every caller in this process and stopped at exit.
    Raises ServerError with a one-line reason when none can be had.
    """
    global _SHARED
    if url:
        return url.rstrip("/")
    found = served_url()
    if found:
        return found
    with _LOCK:
        server = _SHARED
    if server is not None and server.alive():
        return server.url
    server = LocalServer(xmx=xmx, threads=threads).start()
    with _LOCK:
        _SHARED = server
    return server.url


def shared_threads() -> int:
    """How many requests the shared server handles at once (its maxCheckThreads)."""
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
        return int(state.get("threads", DEFAULT_THREADS))
    except (OSError, ValueError):
        return _SHARED.threads if _SHARED else DEFAULT_THREADS


# --- `mtclean languagetool serve/status/stop`: a detached server with a state file ------

def serve(port: int | None, xmx: str, threads: int) -> dict:
    url = served_url()
    if url:
        raise ServerError(f"a LanguageTool server is already running at {url}; "
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
    _state_file().write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return state


def status() -> dict | None:
    try:
        state = json.loads(_state_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
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
    _state_file().unlink(missing_ok=True)
    return state


def _is_our_jvm(pid: int) -> bool:
    """True when `pid` is still a LanguageTool JVM (so a reused pid is never killed)."""
    try:
        import psutil
        p = psutil.Process(pid)
        return p.status() != psutil.STATUS_ZOMBIE and MAIN_CLASS in " ".join(p.cmdline())
    except Exception:
        return False
