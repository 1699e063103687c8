"""Entering, uploading and correcting each organisation's quarterly figures, and GPT's catalogue of measures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from liaison.exports import csv_response
from liaison.forms import add_service_errors
from liaison.models import District, LocalAuthority
from liaison.uploads import UnreadableFile, UploadRejected
from mi import services
from mi.forms import FiguresForm, FiguresUploadForm, MeasureForm, RetireForm
from mi.models import Figure, Measure, Side
from mi.periods import Quarter
from mi.querysets import entering, entering_organisations, keeps_catalogue

QUARTERS_SHOWN = 8


def _quarters(today) -> list[Quarter]:
    """The last 8 complete quarters and the current one, newest first."""
    return list(reversed(Quarter.containing(today).back(QUARTERS_SHOWN + 1)))


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Your figures: each organisation you enter for, quarter by quarter, how many of its measures are entered."""
    today = timezone.localdate()
    authorities, districts = entering_organisations(request.user)
    if entering(request.user).everywhere:
        # An administrator enters for anyone: the page lists nobody in particular, the addresses still work.
        authorities, districts = authorities.none(), districts.none()
    authorities, districts = list(authorities), list(districts)
    quarters = _quarters(today)
    measures = list(Measure.objects.all())
    counts: dict[tuple, int] = {}
    # One plain OR over the figures table itself (no joins), narrowed to the quarters shown.
    for la_id, district_id, start in Figure.objects.filter(
        Q(local_authority__in=authorities) | Q(district__in=districts),
        quarter_start__in=[q.start for q in quarters],
    ).values_list("local_authority_id", "district_id", "quarter_start"):
        key = ("la", la_id, start) if la_id else ("district", district_id, start)
        counts[key] = counts.get(key, 0) + 1
    organisations = []
    for kind, orgs, side in (("la", authorities, Side.LA), ("district", districts, Side.JCP)):
        for org in orgs:
            rows = []
            for quarter in quarters:
                expected = sum(
                    1 for m in measures if m.side == side and (m.retired_on is None or m.retired_on > quarter.start)
                )
                rows.append(
                    {
                        "quarter": quarter,
                        "entered": counts.get((kind, org.pk, quarter.start), 0),
                        "expected": expected,
                        "url": reverse("mi:figures-enter", args=[kind, _code(org), quarter.code]),
                    }
                )
            organisations.append({"organisation": org, "kind": kind, "rows": rows})
    return render(
        request,
        "mi/figures/list.html",
        {"organisations": organisations, "last": Quarter.last_complete(today), "today": today},
    )


def _code(org) -> str:
    return org.gss_code if isinstance(org, LocalAuthority) else org.code


def _organisation(kind: str, code: str):
    if kind == "la":
        return get_object_or_404(LocalAuthority, gss_code=code.upper()), None
    if kind == "district":
        return None, get_object_or_404(District, code=code)
    raise Http404("No such organisation")


@login_required
@require_http_methods(["GET", "POST"])
def figures_enter(request: HttpRequest, kind: str, code: str, quarter: str) -> HttpResponse:
    authority, district = _organisation(kind, code)
    try:
        period = Quarter.parse(quarter)
    except ValueError as error:
        raise Http404(str(error)) from error
    today = timezone.localdate()
    allowed = entering(request.user)
    if not allowed.may(
        local_authority_id=authority.pk if authority else None, district_id=district.pk if district else None
    ):
        who = services.organisation_label(local_authority=authority, district=district)
        raise PermissionDenied(f"You do not enter the figures of {who}.")
    if period.start > today:
        raise Http404(f"{period.label} has not started yet.")
    side = Side.LA if authority else Side.JCP
    measures = list(Measure.objects.in_use_on(period.start).filter(side=side))
    key = {"local_authority": authority} if authority else {"district": district}
    current = {f.measure_id: f.value for f in Figure.objects.filter(quarter_start=period.start, **key)}
    form = FiguresForm(request.POST or None, measures=measures, entered=current)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.figures_record(
                actor=request.user, quarter=period, values=form.values(), reason=form.cleaned_data["reason"], **key
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{saved} figure{'s' if saved != 1 else ''} saved for {period.label}."
                if saved
                else "Nothing changed: the figures were already as entered.",
            )
            return redirect("mi:figures")
    history = (
        Figure.history.filter(quarter_start=period.start, **{f"{k}_id": v.pk for k, v in key.items()})
        .select_related("measure", "history_user")
        .order_by("measure__order", "history_date")
    )
    return render(
        request,
        "mi/figures/enter.html",
        {
            "form": form,
            "organisation": authority or district,
            "quarter": period,
            "history": history,
            "title": f"Figures for {period.label}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def figures_upload(request: HttpRequest) -> HttpResponse:
    if not entering(request.user).any:
        raise PermissionDenied("Only the people of a Local Authority or a district enter its figures.")
    form = FiguresUploadForm(request.POST or None, request.FILES or None)
    upload_errors = None
    if request.method == "POST" and form.is_valid():
        try:
            count = services.figures_import(actor=request.user, upload=form.cleaned_data["file"])
        except UnreadableFile as error:
            form.add_error("file", str(error))
        except UploadRejected as rejected:
            form.add_error("file", f"The file was not saved: {rejected}. Correct them and upload it again.")
            upload_errors = rejected.errors
        except PermissionDenied as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"{count} figure{'s' if count != 1 else ''} saved from the file.")
            return redirect("mi:figures")
    return render(
        request,
        "mi/figures/upload.html",
        {"form": form, "upload_errors": upload_errors, "last": Quarter.last_complete(timezone.localdate())},
    )


@login_required
def figures_template(request: HttpRequest) -> HttpResponse:
    """A CSV to fill in: one row per measure of each of the user's organisations for the quarter, with the figures
    already entered."""
    today = timezone.localdate()
    try:
        quarter = Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        quarter = Quarter.last_complete(today)
    authorities, districts = entering_organisations(request.user)
    if entering(request.user).everywhere:
        authorities, districts = authorities.none(), districts.none()
    measures = list(Measure.objects.in_use_on(quarter.start))
    entered = {
        (f.measure_id, f.local_authority_id, f.district_id): f.value
        for f in Figure.objects.filter(
            Q(local_authority__in=authorities) | Q(district__in=districts), quarter_start=quarter.start
        )
    }
    rows = []
    for authority in authorities:
        for m in measures:
            if m.side == Side.LA:
                rows.append(
                    [m.code, quarter.short, authority.gss_code, entered.get((m.pk, authority.pk, None), ""), ""]
                )
    for district in districts:
        for m in measures:
            if m.side == Side.JCP:
                rows.append([m.code, quarter.short, district.code, entered.get((m.pk, None, district.pk), ""), ""])
    return csv_response(header=services.UPLOAD_COLUMNS, rows=rows, filename=f"figures-{quarter.code}.csv")


# --- the catalogue -----------------------------------------------------------------------------------------------


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    everything = list(Measure.objects.all())
    return render(
        request,
        "mi/measures/list.html",
        {
            "current": [m for m in everything if m.retired_on is None or m.retired_on > today],
            "retired": [m for m in everything if m.retired_on is not None and m.retired_on <= today],
            "can_keep": keeps_catalogue(request.user),
        },
    )


def _require_keeper(request: HttpRequest) -> None:
    if not keeps_catalogue(request.user):
        raise PermissionDenied("Only the Governmental Partnerships Team keeps the catalogue of measures.")


@login_required
@require_http_methods(["GET", "POST"])
def measure_add(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{measure.name}” has been added to the catalogue.")
            return redirect("mi:measures")
    return render(request, "mi/measures/form.html", {"form": form, "title": "Add a measure"})


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_keeper(request)
    measure = get_object_or_404(Measure, code=code)
    initial = {"name": measure.name, "description": measure.description, "order": measure.order}
    form = MeasureForm(request.POST or None, initial=initial, new=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The measure has been changed; its history keeps what it was.")
            return redirect("mi:measures")
    history = measure.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "mi/measures/form.html",
        {"form": form, "title": f"Change “{measure.name}”", "measure": measure, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_retire(request: HttpRequest, code: str) -> HttpResponse:
    _require_keeper(request)
    measure = get_object_or_404(Measure, code=code)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_retire(actor=request.user, measure=measure, on=form.cleaned_data["on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{measure.name}” is retired; its figures stay in every pack that shows them.")
            return redirect("mi:measures")
    return render(
        request, "mi/measures/form.html", {"form": form, "title": f"Retire “{measure.name}”", "measure": measure}
    )
