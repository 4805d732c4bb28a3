"""`mtclean languagetool install` keeps Maven's repository in mtclean's cache, then removes it.

Runs the real Maven with a temporary HOME and cache. To avoid fetching 250 MB again, the
temporary Maven repository is seeded with hard links to an existing one
($MTCLEAN_TEST_MAVEN_SEED, else ~/.m2/repository) when there is one; without a seed the
test fetches from Maven Central once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtclean.grammar.install import LT_VERSION

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(os.environ.get("MTCLEAN_TEST_MAVEN_SEED") or Path.home() / ".m2" / "repository")


def seed(src: Path, dst: Path) -> None:
    """Jars as hard links (no 250 MB copy), other files as copies: Maven may rewrite those."""
    for d, _, files in os.walk(src):
        out = dst / Path(d).relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for f in files:
            (os.link if f.endswith(".jar") else shutil.copy2)(os.path.join(d, f), out / f)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("mvn") is None, reason="Maven (mvn) is not installed")
def test_install_leaves_one_copy_of_the_jars_and_nothing_in_home(tmp_path):
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    repo = cache / "languagetool" / "maven-repo"
    if (SEED / "org" / "languagetool").is_dir():
        seed(SEED, repo)
    env = {k: v for k, v in os.environ.items() if k not in ("MTCLEAN_LT_LIB", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), MTCLEAN_CACHE_DIR=str(cache))
    r = subprocess.run([sys.executable, "-m", "mtclean", "languagetool", "install"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=1800)
    assert r.returncode == 0, r.stderr
    lib = cache / "languagetool" / "lib"
    assert (lib / ".complete").read_text().strip() == LT_VERSION
    assert list(lib.glob(f"languagetool-server-{LT_VERSION}.jar"))
    assert f"ready: {lib}" in r.stdout
    assert not (home / ".m2").exists(), "Maven wrote to ~/.m2"
    assert not repo.exists(), "Maven's repository was left in the cache"
    assert sorted(p.name for p in (cache / "languagetool").iterdir()) == ["lib"]
    again = subprocess.run([sys.executable, "-m", "mtclean", "languagetool", "install"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "already installed" in again.stderr
