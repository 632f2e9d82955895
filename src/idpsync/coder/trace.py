"""Records that explain, value by value, what group and role sync did with a claim."""

from dataclasses import dataclass

__all__ = ["TraceEntry", "LoginError"]


@dataclass(frozen=True)
class TraceEntry:
    """The fate of one claim value in group or role sync.

    Example: ``TraceEntry(value="okta-devs", outcome="joined", target="developers",
    detail="renamed to 'developers' by CODER_OIDC_GROUP_MAPPING; joined Coder group 'developers'")``.
    """

    value: str  # the claim value as the IdP sent it
    outcome: str  # short code, e.g. "joined", "filtered-out", "no-such-group", "mapped", "dropped"
    target: str | None  # the Coder group or role it became, if any
    detail: str  # one sentence a reader can act on


@dataclass(frozen=True)
class LoginError:
    """The error page or response Coder shows when it rejects a sign-in.

    Example: ``LoginError(403, "Not a member of an allowed group",
    "Ask an administrator to add one of your groups to the allow list.")``.
    """

    status: int  # HTTP status of Coder's response
    title: str
    detail: str

    def __str__(self) -> str:
        return f"HTTP {self.status}: {self.title}" + (f" ({self.detail})" if self.detail else "")
