"""Errors that end a run with exit code 2 and one line on stderr, never a traceback."""


class MtcleanError(Exception):
    """A user-facing error; str(error) is the one line printed."""

    exit_code = 2


class InputError(MtcleanError):
    """Input that cannot be read as UTF-8 text (binary, undecodable, missing, unreadable)."""


class RuleFileError(MtcleanError):
    """A malformed rule file, naming the file, the rule id and what is wrong."""


class ConfigError(MtcleanError):
    """A malformed configuration file."""
