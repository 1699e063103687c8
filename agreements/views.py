"""Pages of the agreements app. Thin: reads through selectors, writes through services, rules in `signing`."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agreements import pa_text, selectors, services, signing
from agreements.forms import (
    AgreeForm,
    AgreementVersionForm,
    EvaluationForm,
    InvokeForm,
    LocalAgreementForm,
    NewVersionForm,
    PrepareForm,
    ProcedureForm,
    PublishForm,
    SectionForm,
    SignForm,
    StandDownForm,
    StatementForm,
    SteerForm,
    VerifyForm,
    WithdrawForm,
)
from agreements.models import (
    Agreement,
    DocumentKind,
    DocumentStatus,
    LocalAgreement,
    LocalAgreementStatus,
    NationalSteer,
    Side,
    SigningDocument,
    evaluation_due,
)
from boards.models import Board, MeetingStatus
from liaison.accounts import uses_mfa
from liaison.forms import add_service_errors
from liaison.pdf import pdf_response

KIND_SLUGS = {"statement-of-intent": DocumentKind.STATEMENT_OF_INTENT, "end-of-year": DocumentKind.END_OF_YEAR}


def _document(request: HttpRequest, pk: int) -> SigningDocument:
    return get_object_or_404(selectors.document_list(user=request.user), pk=pk)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "agreements/document_list.html",
        {
            "documents": selectors.document_list(user=request.user),
            "agreements": selectors.visible_agreements(user=request.user),
            "boards": selectors.boards_to_prepare_for(user=request.user),
        },
    )


# The statement form posts this step, so one page carries both forms: choose the statement, then sign.
CHOOSE_STEP = "choose-statement"


def _show_current_text(form, document: SigningDocument) -> None:
    """Whatever went wrong, the page now shows the current text and its hash: the next submission is about that."""
    form.data = form.data.copy()
    form.data["shown_sha256"] = document.content_sha256
    form.data.pop("password", None)
    form.data.pop("code", None)


def _submit(form, document: SigningDocument, write) -> bool:
    """Pass a valid form's data to `write` (a service); True once it is done, else the errors are on the form."""
    if form.is_valid():
        try:
            write(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return True
    _show_current_text(form, document)
    return False


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    signatures = list(document.signatures.select_related("signer"))
    current = {s.side: s for s in signatures if s.invalidated_at is None}
    side = signing.side_to_sign(request.user, document, {k: s.signer_id for k, s in current.items()})
    voided_mine = [s for s in signatures if s.invalidated_at is not None and s.signer_id == request.user.pk]
    choosing = request.method == "POST" and request.POST.get("step") == CHOOSE_STEP
    statement_form = None
    if signing.can_choose(request.user, document):
        statement_form = StatementForm(request.POST if choosing else None, document=document)
    needs_statement = bool(side and signing.statement_missing(document))
    form = None
    if side and not needs_statement:
        form = SignForm(
            None if choosing else _posted(request),
            initial={"shown_sha256": document.content_sha256},
            ask_code=uses_mfa(request.user),
        )
    if request.method == "POST":
        if choosing and statement_form is not None:
            choose = partial(services.document_statement_choose, actor=request.user, document=document)
            if _submit(statement_form, document, choose):
                messages.success(request, "The statement is now part of the text: read it, then sign it.")
                return redirect(document.get_absolute_url())
        elif not choosing and form is not None:
            sign = partial(
                services.document_sign,
                actor=request.user,
                document=document,
                side=side,
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
            if _submit(form, document, sign):
                messages.success(request, "You have signed this document.")
                return redirect(document.get_absolute_url())
        else:
            raise PermissionDenied("You cannot sign this document or choose its statement.")
    elif form is not None or statement_form is not None:
        services.document_viewed(actor=request.user, document=document)
    events = list(selectors.document_events(document))
    return render(
        request,
        "agreements/document_detail.html",
        {
            "document": document,
            "signatures": signatures,
            "jcp": current.get(Side.JCP),
            "la": current.get(Side.LA),
            "form": form,
            "statement_form": statement_form,
            "choose_step": CHOOSE_STEP,
            "needs_statement": needs_statement,
            "has_errors": bool((form and form.errors) or (statement_form and statement_form.errors)),
            "signing_side": Side(side).label if side else "",
            "voided_mine": voided_mine,
            "audit": [(event, selectors.event_hashes(event)) for event in events],
            "newer": SigningDocument.objects.filter(supersedes=document).first(),
            "can_prepare": signing.can_prepare(request.user, document.board),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_prepare(request: HttpRequest, board_pk: int, kind: str) -> HttpResponse:
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_pk)
    kind = KIND_SLUGS.get(kind)
    if kind is None:
        raise Http404("No such kind of document.")
    if not signing.can_prepare(request.user, board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    # Only a published agreement is signed under: a draft's text may still change.
    agreements = selectors.agreement_list().filter(published_on__isnull=False)
    form = PrepareForm(
        _posted(request),
        board=board,
        agreements=agreements,
        kind=kind,
        initial={
            "agreement": agreements.first(),
            "delivery_centre": " and ".join(board.districts.order_by("name").values_list("name", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_prepare(actor=request.user, kind=kind, board=board, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The document is ready: the two signers can now read and sign it.")
            return redirect(document)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": f"Prepare {'a' if kind == DocumentKind.STATEMENT_OF_INTENT else 'an'} {DocumentKind(kind).label}",
            "board": board,
            "cancel": board.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not signing.can_prepare(request.user, document.board):
        raise PermissionDenied("Only the board's ERM (or the Regional ERM) prepares documents for signing.")
    if document.status == DocumentStatus.SUPERSEDED:
        raise Http404("This document already has a newer version.")
    form = NewVersionForm(_posted(request), initial={"delivery_centre": document.delivery_centre})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.document_new_version(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {new.version} is ready: both signers sign it again.")
            return redirect(new)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": f"Make version {document.version + 1}",
            "board": document.board,
            "document": document,
            "cancel": document.get_absolute_url(),
        },
    )


@login_required
@require_POST
def document_review_open(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    try:
        services.document_review_open(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The review action has been opened for the Joint Board.")
    return redirect(document)


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
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "evaluations": agreement.evaluations.select_related("recorded_by"),
            "next_due": evaluation_due(agreement, agreement.last_evaluated),
            "documents": selectors.document_list(user=request.user).filter(agreement=agreement),
            "can_evaluate": signing.can_evaluate(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_new(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk)
    if not signing.can_evaluate(request.user):
        raise PermissionDenied("The evaluation is led nationally (PA 5.4).")
    form = EvaluationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The evaluation has been recorded.")
            return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": "Record an evaluation",
            "caption": str(agreement),
            "cancel": agreement.get_absolute_url(),
        },
    )


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


# The Partnership Agreement's own text (PA 1.3).


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(selectors.visible_agreements(user=request.user), pk=pk)


def _text_context(request: HttpRequest, agreement: Agreement) -> dict:
    sections = list(agreement.sections.all())
    acknowledgement = agreement.acknowledgements.filter(user=request.user).first() if agreement.is_published else None
    return {
        "agreement": agreement,
        "sections": sections,
        "contents": [section for section in sections if section.is_heading],
        "acknowledgement": acknowledgement,
        "can_edit": signing.can_evaluate(request.user) and not agreement.is_published,
    }


@login_required
def agreement_text(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    context = _text_context(request, agreement)
    if context["can_edit"]:
        context["publish_form"] = PublishForm()
    return render(request, "agreements/agreement_text.html", context)


@login_required
def agreement_text_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return pdf_response(
        "agreements/agreement_text_pdf.html",
        _text_context(request, agreement),
        f"partnership-agreement-{agreement.pk}.pdf",
    )


@login_required
def agreement_differences(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if agreement.based_on_id is None:
        raise Http404("This agreement was not prepared from an earlier one.")
    previous = agreement.based_on
    return render(
        request,
        "agreements/agreement_differences.html",
        {
            "agreement": agreement,
            "previous": previous,
            "differences": pa_text.differences(previous.sections.all(), agreement.sections.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_version_prepare(request: HttpRequest, pk: int) -> HttpResponse:
    previous = _agreement(request, pk)
    if not signing.can_evaluate(request.user):
        raise PermissionDenied("The Governmental Partnerships Team prepares a new Partnership Agreement.")
    form = AgreementVersionForm(_posted(request), initial={"title": previous.title})
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.agreement_version_prepare(actor=request.user, previous=previous, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The new version is ready to change, section by section, then publish.")
            return redirect("agreements:agreement-text", draft.pk)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": "Prepare a new Partnership Agreement",
            "caption": f"From {previous}",
            "cancel": previous.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    section = get_object_or_404(agreement.sections, pk=section_pk)
    if not signing.can_evaluate(request.user):
        raise PermissionDenied("The Governmental Partnerships Team changes the agreement's text.")
    text_url = reverse("agreements:agreement-text", args=[agreement.pk])
    if agreement.is_published:
        messages.error(request, "A published agreement's text never changes: prepare a new version instead.")
        return redirect(text_url)
    form = SectionForm(
        _posted(request), heading=section.is_heading, initial={"title": section.title, "text": section.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_section_change(
                actor=request.user,
                section=section,
                title=form.cleaned_data.get("title", ""),
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Section {section.number} has been changed.")
            return redirect(f"{text_url}#{section.anchor}")
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": f"Change section {section.number}" + (f": {section.title}" if section.title else ""),
            "caption": str(agreement),
            "cancel": f"{text_url}#{section.anchor}",
        },
    )


@login_required
@require_POST
def agreement_publish(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not signing.can_evaluate(request.user):
        raise PermissionDenied("The Governmental Partnerships Team publishes the agreement.")
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_publish(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{agreement} is published. Its text no longer changes.")
            return redirect("agreements:agreement-text", agreement.pk)
    context = _text_context(request, agreement)
    context["publish_form"] = form
    return render(request, "agreements/agreement_text.html", context, status=400)


@login_required
@require_POST
def agreement_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    try:
        services.agreement_acknowledge(actor=request.user, agreement=agreement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have recorded that you have read {agreement}.")
    return redirect("agreements:agreement-text", agreement.pk)


# Local agreements, request procedures and contingency arrangements (PA 3.1.2, 3.1.6, 3.1.7, 3.2.5).


def _local(request: HttpRequest, pk: int) -> LocalAgreement:
    return get_object_or_404(
        selectors.local_agreements(user=request.user).select_related("board", "agreed_at", "previous"), pk=pk
    )


def _keep(request: HttpRequest, board: Board) -> None:
    signing.check_can_keep_register(request.user, board)


@login_required
def local_register(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_pk)
    return render(
        request,
        "agreements/local/register.html",
        {
            "board": board,
            "agreements": selectors.board_register(board=board),
            "can_keep": signing.can_keep_register(request.user, board),
        },
    )


def _local_form_page(request, *, board, title, previous=None):
    _keep(request, board)
    initial = {}
    if previous is not None:
        initial = {
            "title": previous.title,
            "text": previous.text,
            "local_authorities": previous.local_authorities.all(),
            "districts": previous.districts.all(),
            **{name: getattr(previous, name) for name in services.CONTINGENCY_FIELDS},
        }
    form = LocalAgreementForm(_posted(request), board=board, revising=previous is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind", previous.kind if previous else "")
        try:
            agreement = services.local_agreement_propose(
                actor=request.user, board=board, kind=kind, previous=previous, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{agreement} is proposed. It takes effect when the board agrees it at a meeting."
            )
            return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": title,
            "board": board,
            "cancel": previous.get_absolute_url()
            if previous
            else reverse("agreements:local-register", args=[board.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def local_new(request: HttpRequest, board_pk: int) -> HttpResponse:
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_pk)
    return _local_form_page(request, board=board, title="Propose a local agreement")


@login_required
@require_http_methods(["GET", "POST"])
def local_revise(request: HttpRequest, pk: int) -> HttpResponse:
    previous = _local(request, pk)
    return _local_form_page(
        request,
        board=previous.board,
        title=f"Change {previous.title}: version {previous.version + 1}",
        previous=previous,
    )


def _local_detail(request: HttpRequest, agreement: LocalAgreement, status: int = 200, **forms) -> HttpResponse:
    board = agreement.board
    can_keep = signing.can_keep_register(request.user, board)
    held = board.meetings.filter(status=MeetingStatus.HELD).order_by("-date")
    context = {
        "agreement": agreement,
        "board": board,
        "can_keep": can_keep,
        "versions": LocalAgreement.objects.filter(board=board, kind=agreement.kind, title=agreement.title)
        .select_related("agreed_at")
        .order_by("-version"),
        "chain": _version_chain(agreement),
        "procedures": agreement.procedures.all(),
        "invocations": agreement.invocations.select_related("invoked_by", "stood_down_by").prefetch_related(
            "local_authorities"
        ),
        "steer": selectors.latest_national_steer() if agreement.is_contingency else None,
        "has_newer": LocalAgreement.objects.filter(previous=agreement).first(),
    }
    if can_keep:
        if agreement.status == LocalAgreementStatus.PROPOSED:
            context["agree_form"] = forms.get("agree_form") or AgreeForm(meetings=held)
            context["no_held_meeting"] = not held.exists()
        if agreement.status in (LocalAgreementStatus.PROPOSED, LocalAgreementStatus.AGREED):
            context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()
        if agreement.is_contingency and agreement.status == LocalAgreementStatus.AGREED:
            context["invoke_form"] = forms.get("invoke_form") or InvokeForm(plan=agreement)
            context["stand_down_form"] = forms.get("stand_down_form") or StandDownForm()
    context["errors"] = [form for form in forms.values() if form.errors]
    return render(request, "agreements/local/detail.html", context, status=status)


def _version_chain(agreement: LocalAgreement) -> list[LocalAgreement]:
    """Every version of this agreement, newest first, following `previous` back and the newer ones forward."""
    chain = [agreement]
    newer = LocalAgreement.objects.filter(previous=chain[0]).first()
    while newer is not None:
        chain.insert(0, newer)
        newer = LocalAgreement.objects.filter(previous=newer).first()
    older = agreement.previous
    while older is not None:
        chain.append(older)
        older = older.previous
    return chain


@login_required
def local_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _local_detail(request, _local(request, pk))


def _local_post(request, agreement, form_name, form, write, success):
    if form.is_valid():
        try:
            write(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(agreement)
    return _local_detail(request, agreement, status=400, **{form_name: form})


@login_required
@require_POST
def local_agree(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _local(request, pk)
    _keep(request, agreement.board)
    form = AgreeForm(request.POST, meetings=agreement.board.meetings.filter(status=MeetingStatus.HELD))
    return _local_post(
        request,
        agreement,
        "agree_form",
        form,
        partial(services.local_agreement_agree, actor=request.user, agreement=agreement),
        f"{agreement} is recorded as agreed.",
    )


@login_required
@require_POST
def local_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _local(request, pk)
    _keep(request, agreement.board)
    return _local_post(
        request,
        agreement,
        "withdraw_form",
        WithdrawForm(request.POST),
        partial(services.local_agreement_withdraw, actor=request.user, agreement=agreement),
        f"{agreement} is withdrawn.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _local(request, pk)
    _keep(request, agreement.board)
    form = ProcedureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_procedure_add(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The request has been added to the procedure.")
            return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "title": "Add a kind of request",
            "board": agreement.board,
            "cancel": agreement.get_absolute_url(),
        },
    )


@login_required
@require_POST
def contingency_invoke(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _local(request, pk)
    _keep(request, plan.board)
    return _local_post(
        request,
        plan,
        "invoke_form",
        InvokeForm(request.POST, plan=plan),
        partial(services.contingency_invoke, actor=request.user, plan=plan),
        f"{plan.title} is invoked. Stand it down here when normal working resumes.",
    )


@login_required
@require_POST
def contingency_stand_down(request: HttpRequest, pk: int, invocation_pk: int) -> HttpResponse:
    plan = _local(request, pk)
    _keep(request, plan.board)
    invocation = get_object_or_404(plan.invocations, pk=invocation_pk)
    return _local_post(
        request,
        plan,
        "stand_down_form",
        StandDownForm(request.POST),
        partial(services.contingency_stand_down, actor=request.user, invocation=invocation),
        f"{plan.title} is stood down.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def national_steer(request: HttpRequest) -> HttpResponse:
    can_publish = signing.can_evaluate(request.user)
    form = SteerForm(_posted(request)) if can_publish else None
    if request.method == "POST":
        if not can_publish:
            raise PermissionDenied("The Governmental Partnerships Team publishes the national steer.")
        if form.is_valid():
            try:
                services.national_steer_publish(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The national steer is published beside every board's contingency plan.")
                return redirect("agreements:national-steer")
    return render(
        request,
        "agreements/local/steer.html",
        {"steers": NationalSteer.objects.select_related("published_by")[:10], "form": form},
        status=400 if form is not None and form.errors else 200,
    )
