"""Sections the apps add to an LA's and a district's page, which the core never imports.

`register_network_panel(order, panel, name=...)`: `panel(request, *, authority=None, district=None) -> str | None`
returns the HTML of one section (an `<h2 class="govuk-heading-m">` and what follows) for the LA or the district the
page shows, or None when there is nothing to show. Register from the app's `AppConfig.ready()`; a section makes a fixed
number of queries and reads only what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

NetworkPanel = Callable[..., "str | None"]


@dataclass(frozen=True)
class _Entry:
    order: int
    name: str
    panel: NetworkPanel


_panels: dict[str, _Entry] = {}


def register_network_panel(order: int, panel: NetworkPanel, *, name: str) -> None:
    _panels[name] = _Entry(order=order, name=name, panel=panel)


def render_network_panels(request, *, authority=None, district=None) -> list[SafeString]:
    html = []
    for entry in sorted(_panels.values(), key=lambda e: (e.order, e.name)):
        out = entry.panel(request, authority=authority, district=district)
        if out and out.strip():
            # Sections come from our own apps' templates, never from user input.
            html.append(mark_safe(out))
    return html
