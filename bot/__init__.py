"""leaderboard-bot: validate, merge and publish sageLLM leaderboard submissions."""

__version__ = "0.1.0"
SCHEMA_VERSION = "v1"
