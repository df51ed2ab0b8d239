"""A stateful stand-in for the GitHub REST API, served over real HTTP for PyGithub-driven tests.

Typical use (``github_standin`` fixture in tests/conftest.py yields a started server)::

    srv.create_repo("org/lb", {"data/entries.json": "[]"})        # default branch "main", 9 default labels
    srv.set_role("org/lb", "alice", "maintain")                   # admin/maintain/write/triage/read/none
    bot = srv.client(srv.actions_token(), retry=GithubRetry(total=3, backoff_factor=0))
    srv.commit("org/lb", "sub", {"data/x.json": "{}"}, base="main", author="carol")
    number = srv.open_pr("org/lb", "sub", author="carol")         # or through PyGithub with a user token
    srv.faults.fail(502, "POST", r"/comments$", after_apply=True)  # stored, then answered 502
    assert srv.count("POST", r"/comments$") == 2

Modules: ``git``/``gitops`` (objects, history, diffs, merges), ``world``/``model`` (state and rules),
``routes_*`` (endpoints), ``render*`` (JSON shapes), ``faults`` (log + fault injection), ``httpd``/``server``
(HTTP), ``seed`` (in-process helpers) and ``payloads`` (webhook examples and schemas).
"""

from .errors import ApiError
from .faults import Fault, FaultPlan, LoggedRequest
from .model import ACTIONS_BOT, Event
from .seed import Executable, Submodule, Symlink
from .server import GitHubStandin

__all__ = [
    "ACTIONS_BOT",
    "ApiError",
    "Event",
    "Executable",
    "Fault",
    "FaultPlan",
    "GitHubStandin",
    "LoggedRequest",
    "Submodule",
    "Symlink",
]
