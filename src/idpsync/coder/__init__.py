"""Coder's handling of OIDC claims: option parsing, claim merge, group and role sync."""
