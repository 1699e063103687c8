"""Refuse requests carrying NUL characters: no page takes them, and PostgreSQL rejects them in queries."""

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
