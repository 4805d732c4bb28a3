"""Ship the top-level rules/ directory inside the package (as mtclean._rules) so a
non-editable install (pip install ., pre-commit's hook venv) finds the built-in rules,
and build the name scan's C module where a compiler is at hand (optional: without one,
names.py runs the same algorithm in Python)."""

from setuptools import Extension, find_packages, setup

setup(
    # Data-only directories are listed as packages so setuptools ships them without warnings.
    packages=find_packages(include=["mtclean", "mtclean.*"])
    + ["mtclean.data", "mtclean.languagetool", "mtclean._rules", "mtclean._rules.entities", "mtclean._rules.names",
       "mtclean.review.static"],
    package_dir={"mtclean._rules": "rules"},
    package_data={"mtclean.data": ["*.txt"],
                  "mtclean.languagetool": ["pom.xml"],
                  "mtclean._rules": ["*.yaml", "*.yml"],
                  "mtclean._rules.entities": ["*.yaml", "*.yml"],
                  "mtclean._rules.names": ["*.yaml", "*.yml"],
                  "mtclean.review.static": ["*.html", "*.js", "*.css"]},
    ext_modules=[Extension("mtclean.source._speedups", ["mtclean/source/_speedups.c"], optional=True)],
)
