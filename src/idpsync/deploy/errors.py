"""The error every deployment form raises for a value it cannot carry."""

__all__ = ["DeployError"]


class DeployError(ValueError):
    """Raised when a setting cannot be written in a deployment form, or a section cannot be read.

    The message names the setting or file, the value and the fix, for example:
    ``CODER_OIDC_GROUP_MAPPING='{"a\\\\":"b"}\\\\': the value ends with a backslash, ... Fix: ...``.
    """

    def __init__(self, subject: str, problem: str, fix: str, value: str | None = None):
        self.subject = subject
        self.problem = problem
        self.fix = fix
        self.value = value
        shown = subject if value is None else f"{subject}={value!r}"
        super().__init__(f"{shown}: {problem}. Fix: {fix}")
