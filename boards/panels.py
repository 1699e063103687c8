"""Extension points for the apps built on boards (escalation, monitoring, agreements), which boards never imports.

- `register_board_panel(order, panel, name=...)`: a section of the board page. `panel` is a template name
  (rendered with `board`, `user` and `request`) or a callable `(request, board) -> str | None` returning HTML
  (None or "" shows nothing). Register from the app's `AppConfig.ready()`; panels show in `order`, lowest first.
- `register_meeting_panel(order, panel, name=...)`: a section of a meeting's page and of its minutes PDF, for what the
  board decided there in another app (for example the local agreements agreed at it). `panel(request, meeting, pdf)`
  returns HTML (GOV.UK markup, or plain HTML when `pdf` is true) or None.
- `register_transition_link(code, label, url_for)`: on the "Moving on" checklist, links the row `code` (for
  example "jrb-issues" or "job-issues") to the app's page for a district; `url_for(district)` returns the address.

- `register_agenda_item_content(title, content, name=...)`: what another app supplies under a standing agenda item
  (for example the management information under "Performance management information"). `content(request, meeting,
  pdf)` returns HTML or None; with `pdf` true it is the agenda pack's version (plain HTML, charts and tables in full).

To put something on a meeting's agenda, call `boards.services.agenda_item_add(meeting=..., title=..., body=...,
source="<app label>")`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

PanelCallable = Callable[..., "str | None"]


@dataclass(frozen=True)
class BoardPanel:
    order: int
    name: str
    panel: str | PanelCallable


@dataclass(frozen=True)
class TransitionLink:
    code: str
    label: str
    url_for: Callable


_panels: dict[str, BoardPanel] = {}
_meeting_panels: dict[str, BoardPanel] = {}
_transition_links: dict[str, TransitionLink] = {}
_item_contents: dict[str, tuple[str, PanelCallable]] = {}


def register_board_panel(order: int, panel: str | PanelCallable, *, name: str | None = None) -> None:
    """Show `panel` on every board page; registering the same name again replaces it."""
    key = name or (panel if isinstance(panel, str) else f"{panel.__module__}.{panel.__qualname__}")
    _panels[key] = BoardPanel(order=order, name=key, panel=panel)


def register_transition_link(code: str, label: str, url_for: Callable) -> None:
    _transition_links[code] = TransitionLink(code=code, label=label, url_for=url_for)


def transition_link(code: str, district) -> tuple[str, str] | None:
    link = _transition_links.get(code)
    return (link.label, link.url_for(district)) if link else None


def render_board_panels(request, board) -> list[str]:
    html = []
    for entry in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if isinstance(entry.panel, str):
            out = render_to_string(entry.panel, {"board": board, "user": request.user}, request=request)
        else:
            out = entry.panel(request, board)
        if out and out.strip():
            # Panels come from our own apps' templates and code, never from user input.
            html.append(mark_safe(out))
    return html


def register_meeting_panel(order: int, panel: PanelCallable, *, name: str) -> None:
    _meeting_panels[name] = BoardPanel(order=order, name=name, panel=panel)


def render_meeting_panels(request, meeting, *, pdf: bool = False) -> list[str]:
    html = []
    for entry in sorted(_meeting_panels.values(), key=lambda p: (p.order, p.name)):
        out = entry.panel(request, meeting, pdf)
        if out and out.strip():
            # Panels come from our own apps' templates and code, never from user input.
            html.append(mark_safe(out))
    return html


def register_agenda_item_content(title: str, content: PanelCallable, *, name: str) -> None:
    _item_contents[name] = (title, content)


def attach_agenda_item_contents(request, meeting, items, *, pdf: bool = False) -> list:
    """The meeting's agenda items, each with `.contributed` set to the HTML other apps supply under it (or "")."""
    items = list(items)
    by_title: dict[str, list[str]] = {}
    titles = {item.title for item in items}
    for title, content in _item_contents.values():
        if title in titles:
            out = content(request, meeting, pdf)
            if out and out.strip():
                # Contents come from our own apps' templates and code, never from user input.
                by_title.setdefault(title, []).append(mark_safe(out))
    for item in items:
        item.contributed = mark_safe("".join(by_title.get(item.title, []))) if item.kind == "standing" else ""
    return items
