"""Event routing: (event name, action) → small handlers, in the style of CPython's bedevere bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.github.context import Context


@dataclass(frozen=True)
class Event:
    """A webhook event as Actions delivers it: its name and its payload."""

    name: str
    payload: dict[str, Any]

    @property
    def action(self) -> str | None:
        """The payload's ``action`` (opened, submitted, ...), if any."""
        value = self.payload.get("action")
        return value if isinstance(value, str) else None


Handler = Callable[[Event, Context], None]
H = TypeVar("H", bound=Handler)


@dataclass
class Router:
    """Maps (event, action) to handlers; ``action=None`` registers for every action."""

    handlers: dict[tuple[str, str | None], list[Handler]] = field(default_factory=dict)

    def register(self, event: str, action: str | None = None) -> Callable[[H], H]:
        """Decorator: call the handler for this event (and action)."""

        def decorate(handler: H) -> H:
            self.handlers.setdefault((event, action), []).append(handler)
            return handler

        return decorate

    def dispatch(self, event: Event, context: Context) -> int:
        """Run every matching handler; returns how many ran."""
        matching = list(self.handlers.get((event.name, event.action), []))
        if event.action is not None:  # an event without an action (schedule) would match twice
            matching += self.handlers.get((event.name, None), [])
        for handler in matching:
            handler(event, context)
        return len(matching)

    @classmethod
    def compose(cls, *routers: Router) -> Router:
        """One router holding every handler of ``routers``, in their order (the entry point's table)."""
        combined = cls()
        for router in routers:
            for key, handlers in router.handlers.items():
                combined.handlers.setdefault(key, []).extend(handlers)
        return combined
