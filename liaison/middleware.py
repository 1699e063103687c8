"""Middleware of the core: refuse requests carrying NUL characters; answer health probes whatever their Host."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            body = render_to_string(
                "400.html", {"reason": "The address or the form contained a character we cannot read."}
            )
            return HttpResponse(body, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False


class HealthCheckMiddleware:
    """Answer /healthz before the host check and the HTTPS redirect.

    Orchestrators and load balancers probe the container by its IP address over plain HTTP, a Host that
    ALLOWED_HOSTS rightly refuses for every page; the probe only reads the service's own state, so it is safe to
    answer whatever Host it names.
    """

    def __init__(self, get_response):
        from liaison.views import healthz

        self.get_response = get_response
        self.healthz = healthz

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            return self.healthz(request)
        return self.get_response(request)


class RequireMFAMiddleware:
    """Those who must use an authenticator app (liaison/accounts.py) can do nothing else until they have set one up."""

    ALLOWED = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/invitations/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from liaison.accounts import must_use_mfa, uses_mfa

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
            and must_use_mfa(user)
            and not uses_mfa(user)
        ):
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.info(
                request,
                "Your role needs a second step at sign-in: set up an authenticator app before you go on.",
                fail_silently=True,
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
