"""Pages of the agreements app. Thin: reads through selectors, writes through services, rules in `signing`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from agreements import selectors, services, signing
from agreements.forms import SignForm, VerifyForm
from agreements.models import Side, SigningDocument
from liaison.forms import add_service_errors


def _document(request: HttpRequest, pk: int) -> SigningDocument:
    return get_object_or_404(selectors.document_list(user=request.user), pk=pk)


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agreements/document_list.html", {"documents": selectors.document_list(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    sides = signing.sides_for(request.user, document)
    signatures = list(document.signatures.select_related("signer"))
    current = {s.side: s for s in signatures if s.invalidated_at is None}
    open_sides = [side for side in sides if side not in current]
    voided_mine = [s for s in signatures if s.invalidated_at is not None and s.signer_id == request.user.pk]
    form = None
    if open_sides and not document.is_sealed and document.status != "superseded":
        if request.method == "POST":
            form = SignForm(request.POST)
            if form.is_valid():
                try:
                    services.document_sign(
                        actor=request.user,
                        document=document,
                        side=open_sides[0],
                        password=form.cleaned_data["password"],
                        printed_name=form.cleaned_data["printed_name"],
                        declaration=form.cleaned_data["declaration"],
                        shown_sha256=form.cleaned_data["shown_sha256"],
                        ip_address=request.META.get("REMOTE_ADDR"),
                        user_agent=request.headers.get("User-Agent", ""),
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "You have signed this document.")
                    return redirect(document.get_absolute_url())
        else:
            services.document_viewed(actor=request.user, document=document)
            form = SignForm(initial={"shown_sha256": document.content_sha256})
    elif request.method == "POST":
        raise PermissionDenied("You cannot sign this document.")
    if form is not None and form.is_bound and form.errors:
        # Whatever went wrong, the page now shows the current text and its hash: sign that.
        form.data = form.data.copy()
        form.data["shown_sha256"] = document.content_sha256
        form.data["password"] = ""
    return render(
        request,
        "agreements/document_detail.html",
        {
            "document": document,
            "signatures": signatures,
            "current": current,
            "jcp": current.get(Side.JCP),
            "la": current.get(Side.LA),
            "form": form,
            "signing_side": Side(open_sides[0]).label if open_sides else "",
            "voided_mine": voided_mine,
            "events": selectors.document_events(document),
            "newer": SigningDocument.objects.filter(supersedes=document).first(),
        },
    )


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not document.sealed_pdf:
        raise Http404("This document has not been signed by both parties yet.")
    response = HttpResponse(bytes(document.sealed_pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="liaison-{document.kind}-{document.pk}-v{document.version}-signed.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = services.pdf_verify(actor=request.user, data=form.cleaned_data["pdf"].read())
    else:
        form = VerifyForm()
    return render(request, "agreements/verify.html", {"form": form, "result": result})
