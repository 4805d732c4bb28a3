"""Ship the top-level rules/ directory inside the package (as mtclean._rules) so a
non-editable install (pip install ., pre-commit's hook venv) finds the built-in rules."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["mtclean", "mtclean.*"]) + ["mtclean._rules"],
    package_dir={"mtclean._rules": "rules"},
    package_data={"mtclean": ["languagetool/pom.xml"],
                  "mtclean._rules": ["*.yaml", "*.yml", "**/*"]},
)
