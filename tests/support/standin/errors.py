"""GitHub-shaped error responses: ``{"message", "documentation_url"}`` plus ``errors`` for 422."""

from __future__ import annotations

from typing import Any

DOCS = "https://docs.github.com/rest"


class ApiError(Exception):
    """Raised by handlers; the app turns it into a GitHub error response."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: list[Any] | None = None,
        doc: str = DOCS,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.errors = errors
        self.doc = doc
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body GitHub would send."""
        out: dict[str, Any] = {"message": self.message}
        if self.errors is not None:
            out["errors"] = self.errors
        out["documentation_url"] = self.doc
        return out


def not_found() -> ApiError:
    """404 as GitHub answers for anything missing or hidden."""
    return ApiError(404, "Not Found")


def validation(resource: str, field: str, code: str = "custom", message: str | None = None) -> ApiError:
    """422 "Validation Failed" with one error item like api-fixtures/errors.json."""
    item: dict[str, Any] = {"resource": resource, "code": code, "field": field}
    if message is not None:
        item["message"] = message
    return ApiError(422, "Validation Failed", [item])


def too_long(resource: str, field: str, limit: int) -> ApiError:
    """422 for a string field over GitHub's limit."""
    return validation(resource, field, "custom", f"{field} is too long (maximum is {limit} characters)")


def missing_field(resource: str, field: str) -> ApiError:
    """422 for a required field that was not sent."""
    return validation(resource, field, "missing_field")


def integration_forbidden() -> ApiError:
    """403 an installation token gets for things it may not do."""
    return ApiError(403, "Resource not accessible by integration")
