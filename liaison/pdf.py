"""PDF rendering with WeasyPrint for every app: agenda packs, minutes, returns, reports and signed forms."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

# A long document's layout takes WeasyPrint seconds; the same HTML always makes the same PDF, so a document asked
# for again unchanged (the national index, many times a day) is served from the cache under its HTML's hash.
PDF_CACHE_SECONDS = 24 * 60 * 60


def render_pdf(template: str, context: dict, *, reuse: bool = False) -> bytes:
    html = render_to_string(template, context)
    if not reuse:
        return _write_pdf(html)
    key = "pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = _write_pdf(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def _write_pdf(html: str) -> bytes:
    # WeasyPrint takes over a second to import; only the PDF views pay for it.
    from weasyprint import HTML

    with cycle_collection_paused():
        return HTML(string=html).write_pdf()


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector held off while WeasyPrint lays a document out.

    Layout allocates boxes by the hundred thousand, so the collector runs over and over, each time walking every
    object the worker holds (Django, its templates and querysets): at national scale a third of the index PDF's
    time (2.1 s → 1.5 s), with no less memory kept for it, since layout's garbage is freed by reference counting. The
    collector is switched back on only if it was on, so a render in another thread cannot leave it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pdf_response(template: str, context: dict, filename: str, *, reuse: bool = False) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, reuse=reuse), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Every PDF here names people (chairs, attendees, action owners): keep it out of shared and disk caches.
    response["Cache-Control"] = "private, no-store"
    return response
