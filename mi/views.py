"""The management information pages: a board's performance pack and the national picture."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def national(request: HttpRequest) -> HttpResponse:
    return render(request, "mi/national.html", {})
