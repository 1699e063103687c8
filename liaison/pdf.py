"""PDF rendering with WeasyPrint for every app: agenda packs, minutes, returns, reports and signed forms."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    # WeasyPrint takes over a second to import; only the PDF views pay for it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Every PDF here names people (chairs, attendees, action owners): keep it out of shared and disk caches.
    response["Cache-Control"] = "private, no-store"
    return response
