"""The national bench's URLs: Liaison's own, plus bare Django views listing the same rows, the yardstick a page's
time is divided by (bench/national.py).

A bare view is the practical limit of a page: the same layout (base.html, with its navigation and context
processors) around a plain table of the same number of rows of the same table, with no scoping, filters or panels."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from boards.models import Board
from escalation.models import Issue
from liaison.models import Contact, Event
from monitoring.models import Sample

TABLE = engines["django"].from_string(
    "{% extends 'base.html' %}{% block title %}Bare list{% endblock %}{% block content %}"
    "<h1 class='govuk-heading-l'>Bare list</h1><table class='govuk-table'><tbody class='govuk-table__body'>"
    "{% for row in rows %}<tr class='govuk-table__row'>{% for cell in row %}<td class='govuk-table__cell'>{{ cell }}"
    "</td>{% endfor %}</tr>{% endfor %}</tbody></table>{% endblock %}"
)

LISTS = {
    "issues": lambda: Issue.objects.select_related("district", "local_authority", "category").order_by("-created_at"),
    "events": lambda: Event.objects.select_related("actor").order_by("-occurred_at"),
    "boards": lambda: Board.objects.select_related("jcp_chair", "la_chair").order_by("title"),
    "contacts": lambda: Contact.objects.select_related("role", "district", "local_authority").order_by("name"),
    "samples": lambda: Sample.objects.select_related("exercise").order_by("-pk"),
    "issue-detail": lambda: Issue.objects.order_by("-pk")[:1][0].steps.select_related("actor").order_by("at"),
    "board-detail": lambda: Board.objects.order_by("pk")[:1][0].meetings.order_by("-date"),
}


def bare(request: HttpRequest, kind: str) -> HttpResponse:
    n = int(request.GET.get("n", 50))
    rows = [[str(obj.pk), str(obj)] for obj in LISTS[kind]()[:n]]
    return HttpResponse(TABLE.render({"rows": rows}, request))


urlpatterns = [
    path("bench/bare/<str:kind>/", bare),
    path("", include("liaison.urls")),
]
