"""Exceptions raised by idpsync."""

__all__ = ["ConfigError", "ClaimError"]


class ConfigError(ValueError):
    """Raised when a Coder option has a value that Coder would reject at startup.

    The message names the option, the value and the fix, for example:
    ``CODER_OIDC_IGNORE_USERINFO="yes" is not a Go boolean; use true or false``.
    """

    def __init__(self, option: str, value: str, problem: str, fix: str):
        self.option = option
        self.value = value
        self.problem = problem
        self.fix = fix
        super().__init__(f"{option}={value!r}: {problem}. Fix: {fix}")


class ClaimError(ValueError):
    """Raised when a claim cannot be read as a list of strings, as Coder reads it."""
