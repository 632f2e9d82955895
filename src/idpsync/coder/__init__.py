"""What Coder does with OIDC claims: option parsing, claim merge, group and role sync."""
