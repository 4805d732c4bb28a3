"""Installing LanguageTool: where the jars live and how `mtclean languagetool install` gets them.

Maven resolves the jars from Maven Central into a local repository that we keep inside
mtclean's cache (never `~/.m2`) and delete once the jars are copied to `lib/`, so one
installation takes one copy of the jars on disk.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..config import cache_root
from .errors import ServerError

LT_VERSION = "6.8"
POM = Path(__file__).resolve().parent.parent / "languagetool" / "pom.xml"


def cache_dir() -> Path:
    """Where jars, logs and the server state live (MTCLEAN_CACHE_DIR, then XDG_CACHE_HOME)."""
    return cache_root() / "languagetool"


def lib_dir() -> Path:
    """The jar directory; MTCLEAN_LT_LIB points at jars installed elsewhere (shared)."""
    override = os.environ.get("MTCLEAN_LT_LIB")
    return Path(override) if override else cache_dir() / "lib"


def maven_repo() -> Path:
    """Maven's local repository during an install (removed when the install ends)."""
    return cache_dir() / "maven-repo"


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


def _maven_install(mvn: str, log) -> str:
    """Resolve the jars with Maven into lib/ (through a partial directory, renamed at the end)."""
    lib = lib_dir()
    tmp = lib.with_name("lib.partial")
    repo = maven_repo()
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True, exist_ok=True)
    log(f"fetching LanguageTool {LT_VERSION} from Maven Central into {lib} ...")
    try:
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(POM), f"-Dmaven.repo.local={repo}",
             "dependency:copy-dependencies", f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    finally:
        # the jars are copied to lib/: a second copy in Maven's repository is 270 MB of waste
        shutil.rmtree(repo, ignore_errors=True)
    if proc.returncode != 0 or not any(tmp.glob("languagetool-server-*.jar")):
        shutil.rmtree(tmp, ignore_errors=True)
        tail = " | ".join(proc.stdout.strip().splitlines()[-3:])
        raise ServerError(f"Maven could not fetch LanguageTool (exit {proc.returncode}): {tail}")
    (tmp / ".complete").write_text(LT_VERSION + "\n", encoding="utf-8")
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    return str(lib / "*")


def install(force: bool = False, log=print) -> str:
    """Fetch the LanguageTool jars (Maven, else language-tool-python's download); idempotent."""
    if not force:
        cp = classpath()
        if cp:
            log(f"LanguageTool {LT_VERSION} is already installed ({cp})")
            return cp
    mvn = shutil.which("mvn")
    if mvn:
        return _maven_install(mvn, log)
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
