"""Exceptions of the Okta model: error responses Okta sends, and okta.yaml files it cannot use."""

__all__ = ["OktaError", "OktaSettingsError"]


class OktaError(Exception):
    """An OAuth 2.0 error response Okta sends instead of tokens.

    ``error`` and ``description`` are Okta's ``error`` and
    ``error_description`` values, for example ``invalid_scope`` and "One or
    more scopes are not configured for the authorization server resource.".
    ``cause`` names the setting or value that led to it and how to fix it.
    """

    def __init__(self, error: str, description: str, cause: str, status: int = 400):
        self.error = error
        self.description = description
        self.cause = cause
        self.status = status
        super().__init__(f"Okta answers HTTP {status} {error} ({description!r}): {cause}")


class OktaSettingsError(ValueError):
    """Raised when an okta.yaml file misses a key or has a value the model cannot use.

    The message names the file, the key and the fix, for example
    ``snippets/x/okta.yaml: app.groups_claim.filter is 'Begins with'; use one of Starts with, Equals, Contains, Matches regex``.
    """
