"""What a person still holds when their access ends, so that it can be handed over. The apps contribute.

`register_handover(order, label, source, name=...)`: `source(user)` returns the open things of one kind the user
holds (as `OpenItem`s). Call it from the app's `AppConfig.ready()`; the core never imports the apps. Read it
*before* ending a person's roles: what is "at their level" depends on the roles they hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

HANDOVER_ROWS = 50


@dataclass(frozen=True)
class OpenItem:
    text: str
    url: str = ""


HandoverSource = Callable[..., Iterable[OpenItem]]


@dataclass(frozen=True)
class _Entry:
    order: int
    label: str
    source: HandoverSource


_sources: dict[str, _Entry] = {}


def register_handover(order: int, label: str, source: HandoverSource, *, name: str) -> None:
    """Registering the same name again replaces it."""
    _sources[name] = _Entry(order=order, label=label, source=source)


def open_work(user) -> list[dict]:
    """Each kind of open work the user holds, as JSON-ready dicts: {"label", "items": [{"text", "url"}]}."""
    found = []
    for entry in sorted(_sources.values(), key=lambda e: (e.order, e.label)):
        items = [{"text": item.text, "url": item.url} for item in list(entry.source(user))[:HANDOVER_ROWS]]
        if items:
            found.append({"label": entry.label, "items": items})
    return found
