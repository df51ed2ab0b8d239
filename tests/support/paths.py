"""Where the repository and its bundled test fixtures are: tests read nothing outside the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
WEBHOOKS = FIXTURES / "github" / "webhooks"
API_FIXTURES = FIXTURES / "github" / "api-fixtures"
UPSTREAM = FIXTURES / "upstream"
# The upstream JSON schema of 2026-03, used as an independent reference for what the importer writes.
UPSTREAM_SCHEMA = UPSTREAM / "upstream-schema-2026-03.json"
# A real ``<workload>_leaderboard.json`` written by sagellm-benchmark's exporter.
REAL_EXPORT = UPSTREAM / "sagellm-benchmark-export.short_input_leaderboard.json"
# Outputs written by the real sagellm-benchmark 0.5.4.14 (see its README.md).
SAGELLM_CORPUS = FIXTURES / "sagellm-benchmark-0.5.4.14"
