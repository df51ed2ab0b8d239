"""What GitHub's refusals mean, read from a response's status and JSON body: pure, no PyGithub here.

``bot.github.api`` hands each ``GithubException``'s status and data to these functions, so every way
of reading a refusal (the one-line error a run prints, the race a compare-and-swap lost, a rate limit)
is decided in one place and tested without a client.
"""

from __future__ import annotations

from typing import Literal

MSG_API = "GitHub answered {status}: {message}"
HINT_PERMISSIONS = "check the workflow's permissions and the token"
HINT_RERUN = "GitHub failed or was busy: re-run the workflow; a re-run finishes what this one started"
HINT_ACTIONS_PRS = (
    'enable "Allow GitHub Actions to create and approve pull requests" (Settings → Actions → General), '
    "or give the Action a GitHub App token"
)
# Any other 4xx: GitHub found the request itself invalid (a 422 "Validation Failed" names the field).
HINT_INVALID = (
    "GitHub refused the request the bot sent: if the message names a repository setting or rule, change "
    "it; otherwise report it, with this line, as a bug of leaderboard-bot {where}"
)
WHERE_TRACKER = "at {tracker}"
# A development build knows no release repository: the adopter knows where they took the Action from.
WHERE_UNKNOWN = "on the issue tracker of the repository its Action comes from"
ACTIONS_PRS_REFUSED = "not permitted to create or approve pull requests"
RACES = ("not a fast forward", "reference does not exist")  # 422s a retry (or a create) can resolve

RefRefusal = Literal["conflict", "refused"]


def describe(status: int, data: object, tracker: str | None = None) -> str:
    """A GitHub refusal in one line, with the fix when it is a known setting.

    ``tracker`` is where a bug of the bot is reported (a release's issues page), named by the hint of a
    request GitHub found invalid.
    """
    message = detailed_message(data, "")
    line = MSG_API.format(status=status, message=message)
    hint = _hint(status, message, tracker)
    return f"{line} (hint: {hint})" if hint else line


def _hint(status: int, message: str, tracker: str | None) -> str | None:
    """The fix for a refusal, most specific first; None for a status that is no refusal (a 3xx)."""
    if ACTIONS_PRS_REFUSED in message:
        return HINT_ACTIONS_PRS
    if status >= 500 or rate_limited(message):
        return HINT_RERUN
    if status in (401, 403, 404):
        return HINT_PERMISSIONS
    if not 400 <= status < 500:
        return None
    return HINT_INVALID.format(where=WHERE_TRACKER.format(tracker=tracker) if tracker else WHERE_UNKNOWN)


def detailed_message(data: object, fallback: str) -> str:
    """GitHub's message and the details it lists under ``errors`` (a ruleset's rules, a validation's
    fields), on one line; a body that is no JSON object as it came. Every refusal is read this way."""
    if isinstance(data, dict):
        parts = [str(data.get("message") or fallback), *error_details(data.get("errors"))]
        text = ": ".join(part for part in parts if part)
    else:
        text = str(data)
    return " ".join(text.split())


def error_details(errors: object) -> list[str]:
    """The entries of a response's ``errors`` that say something (see ``_detail``)."""
    if not isinstance(errors, list):
        return []
    return [detail for detail in map(_detail, errors) if detail.strip()]


def _detail(error: object) -> str:
    """One entry of ``errors``: its message, or else (a validation error that has no words) its
    resource, field and code, as GitHub documents them; a text as it is."""
    if not isinstance(error, dict):
        return str(error)
    if error.get("message") or not error.get("code"):
        return str(error.get("message") or "")
    where = ".".join(str(error[key]) for key in ("resource", "field") if error.get(key))
    return f"{where}: {error['code']}" if where else str(error["code"])


def rate_limited(message: str) -> bool:
    """Whether GitHub's message says a (primary or secondary) rate limit refused the request."""
    return "rate limit" in message.lower()


def ref_refusal(status: int, message: str) -> RefRefusal | None:
    """What a refused branch move means: another writer won the race ("conflict": read again and
    retry), a rule of the repository forbids it ("refused": protection, a ruleset, required
    signatures), or neither (None: a failure to raise as it is)."""
    lost = any(text in message.lower() for text in RACES)  # another writer moved or removed it
    if status == 409 or (status == 422 and lost):
        return "conflict"
    if status in (403, 422) and not rate_limited(message):
        return "refused"
    return None
