from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """The service navigation, with the current section marked."""
    path = request.path
    items = [
        ("Home", "/", path == "/"),
        ("Districts", "/districts/", path.startswith("/districts/")),
        ("Contacts", "/contacts/", path.startswith("/contacts/")),
        ("Issues", "/issues/", path.startswith("/issues/")),
        ("Boards", "/boards/", path.startswith(("/boards/", "/good-practice/"))),
        ("Agreements", "/agreements/", path.startswith("/agreements/")),
        ("Monitoring", "/monitoring/", path.startswith("/monitoring/")),
    ]
    return {"service_navigation": items}
