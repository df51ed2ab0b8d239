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

GitHub behaviours with their own modules (each as GitHub documents it): ``protection`` (branch protection
and rulesets refuse ref updates with 422 "Protected branch update failed…" / "Repository rule violations
found"; ``srv.protect(repo, branch, kind, bypass=(app_slug,))``), ``ghosts`` (deleted accounts render as
``"user": null``; ``srv.delete_user(login)``), ``diff_lines`` (a review comment must name a line inside
the file's ``patch`` hunks, else the whole review is refused with 422). ``GET /pulls/{n}/files`` lists at
most 3,000 files while ``changed_files`` counts all; ``faults.fail(429, ..., retry_after=N)`` and
``faults.rate_limit(secondary=True)`` answer rate limits with ``Retry-After``.
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
