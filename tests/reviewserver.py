"""Start a real `mtclean review` server (a subprocess on loopback) and a real browser."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("MTCLEAN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MTCLEAN_CHROMEDRIVER", "/usr/bin/chromedriver")


@dataclass
class Server:
    proc: subprocess.Popen
    url: str  # the page's address with its token, as printed
    stderr: list[str]
    reader: threading.Thread | None = None

    @property
    def base(self) -> str:
        u = urlsplit(self.url)
        return f"{u.scheme}://{u.netloc}"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def request(self, path: str, body=None, token: str | None = "default", host: str | None = None,
                raw: bytes | None = None, content_type: str = "application/json"):
        """(status, parsed JSON or text) of one request; headers as a browser would send."""
        headers = {}
        if token == "default":
            token = self.token
        if token is not None:
            headers["X-Mtclean-Token"] = token
        if host is not None:
            headers["Host"] = host
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, headers=headers,
                                     method="POST" if data is not None else "GET")
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, payload, ctype = res.status, res.read(), res.headers.get("content-type", "")
        except urllib.error.HTTPError as err:
            status, payload, ctype = err.code, err.read(), err.headers.get("content-type", "")
        text = payload.decode("utf-8")
        return status, (json.loads(text) if ctype.startswith("application/json") else text)

    def stop(self) -> int:
        """Ctrl-C, as a user would; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.reader is not None:
            self.reader.join(timeout=10)  # all of stderr is in self.stderr now
        return self.proc.returncode


def start(*paths: str, args: tuple[str, ...] = (), cwd: str | None = None) -> Server:
    cmd = [sys.executable, "-m", "mtclean", "review", "--no-browser", "--port", "0", *args, *paths]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)
    reader.start()
    line = proc.stdout.readline().strip()
    if not line.startswith("http://"):
        proc.wait(timeout=10)
        raise AssertionError(f"review did not start: {line!r} {''.join(stderr)}")
    return Server(proc, line, stderr, reader)


def browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            return f"{path} not found (run scripts/install-browser)"
    try:
        import selenium  # noqa: F401
    except ModuleNotFoundError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def need_browser() -> None:
    """Skip without a browser, except in CI, where a missing browser fails the run."""
    why = browser_missing()
    if why:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but the browser tests cannot run: {why}")
        pytest.skip(why)


def chromium(width: int = 1400, height: int = 900):
    """Headless Debian chromium through chromedriver, with a fresh profile, offline."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="mtclean-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    opts.unhandled_prompt_behavior = "accept"  # "leave with unsaved changes?" between tests
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver._mtclean_profile = profile
    return driver


def quit_browser(driver) -> None:
    driver.quit()
    shutil.rmtree(driver._mtclean_profile, ignore_errors=True)
