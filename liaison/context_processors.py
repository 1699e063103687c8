from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve

from liaison.access import GRANTING_ROLES
from liaison.scoping import scope_for


def grants_access(user) -> bool:
    scope = scope_for(user)
    return scope.admin or scope.has_role(*GRANTING_ROLES)


# Pages at the top of the service: every other page carries a way back up (a back link, or its own breadcrumbs).
TOP_LEVEL = {"/", "/accounts/login/", "/accessibility/"}


def navigation(request: HttpRequest) -> dict:
    """The service navigation, with the current section marked, and the way back up from this page."""
    # Kept on the request: the home and board pages render each of their panels with the request, and every such
    # render runs the context processors again (up to eight times a request) for the same answer.
    kept = getattr(request, "_liaison_navigation", None)
    if kept is None:
        kept = request._liaison_navigation = _navigation(request)
    return kept


def _navigation(request: HttpRequest) -> dict:
    path = request.path
    # An error page for a request refused before the middleware ran (a bad Host header) has no user.
    user = getattr(request, "user", None)
    items = [
        ("Home", "/", path == "/"),
        ("Districts", "/districts/", path.startswith("/districts/")),
        ("Contacts", "/contacts/", path.startswith("/contacts/")),
        ("Issues", "/issues/", path.startswith("/issues/")),
        ("Boards", "/boards/", path.startswith(("/boards/", "/good-practice/")) and "/mi/" not in path),
        ("Agreements", "/agreements/", path.startswith("/agreements/")),
        ("Monitoring", "/monitoring/", path.startswith("/monitoring/")),
        ("Performance", "/mi/", path.startswith("/mi/") or ("/mi/" in path and path.startswith("/boards/"))),
    ]
    if user is not None and grants_access(user):
        items.append(("People", "/people/", path.startswith(("/people/", "/invitations/"))))
    if user is not None and user.is_authenticated:
        items.append(("Your account", "/accounts/", path.startswith("/accounts/")))
    top = TOP_LEVEL | {href for _, href, _ in items}
    return {
        "service_navigation": items,
        "up_url": None if path in top else up_from(path),
        "feedback_url": settings.FEEDBACK_URL,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }


def up_from(path: str) -> str:
    """The nearest page above this one: the address with its last parts taken off until it names a page
    (/boards/5/meetings/7/held/ -> /boards/5/meetings/7/; /monitoring/exercises/3/ -> /monitoring/)."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{part}/" for part in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"
