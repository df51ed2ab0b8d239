"""The entry contract, pure: findings, the rule table, loaders, schema check, rules, cross-checks,
configuration and validation."""
