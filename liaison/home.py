"""The home page's "Your work" sections, which the apps contribute: the core never imports them.

`register_home_panel(order, panel, name=...)`: `panel(request) -> str | None` returns the HTML of one section
(an `<h2 class="govuk-heading-m">` and what follows), or None when the user has nothing there. Register from the
app's `AppConfig.ready()`; sections show in `order`, lowest first. A section must make a fixed number of queries,
whatever the number of rows behind it (show counts and the first few, then link to the full list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

HomePanel = Callable[..., "str | None"]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    panel: HomePanel


_panels: dict[str, _Entry] = {}


def register_home_panel(order: int, panel: HomePanel, *, name: str) -> None:
    """Show `panel` on the home page; registering the same name again replaces it."""
    _panels[name] = _Entry(order=order, name=name, panel=panel)


def render_home_panels(request) -> list[SafeString]:
    html = []
    for entry in sorted(_panels.values(), key=lambda e: (e.order, e.name)):
        out = entry.panel(request)
        if out and out.strip():
            # Sections come from our own apps' templates, never from user input.
            html.append(mark_safe(out))
    return html
