"""Shared pytest fixtures. Stand-in fixtures are namespaced ``github_standin*``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.standin import GitHubStandin


# Suites whose every exchange with the stand-in is checked against GitHub's REST API description.
# (Fault-injected answers are left out: tests/support/openapi_check.py's violations().)
CONFORMANCE_SUITES = (
    "tests.github.test_flow_",
    "tests.github.test_edit_base",
    "tests.github.test_pr_runs",
    "tests.github.test_concurrency",
    "tests.acceptance.test_hostile",
    "tests.github.test_faults",
)


@pytest.fixture
def github_standin(request: pytest.FixtureRequest) -> Iterator[GitHubStandin]:
    """A running GitHub REST stand-in on 127.0.0.1 (fresh state per test): tests/support/standin/.

    In the flow suites, every request and answer of the test must also conform to GitHub's OpenAPI
    description (tests/support/openapi_check.py); a departure fails the test at teardown."""
    from tests.support.standin import GitHubStandin  # imported here so other tests never depend on it

    with GitHubStandin() as server:
        yield server
        if request.module.__name__.startswith(CONFORMANCE_SUITES):
            from tests.support.openapi_check import violations

            problems = violations(server.requests)
            assert not problems, "exchanges departing from GitHub's description:\n" + "\n".join(problems)
