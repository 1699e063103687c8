"""Pages of the liaison network. Views stay thin: they read through selectors and write through services."""

from __future__ import annotations

import logging

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from liaison import selectors, services
from liaison.celery import app as celery_app
from liaison.exports import csv_response
from liaison.filters import ActivityFilter, ContactFilter
from liaison.forms import ConfirmContactsForm, ContactEndForm, ContactForm, add_service_errors
from liaison.home import render_home_panels
from liaison.models import Contact, District, Event, LocalAuthority
from liaison.network_panels import render_network_panels
from liaison.pagination import CountedPaginator, KeptPaginator, unfiltered
from liaison.querysets import capped_count, kept_query, scope_key
from liaison.scoping import scope_for

logger = logging.getLogger(__name__)


# The home page shows the newest alerts only; a national user can hold thousands, all of them on /alerts/.
HOME_ALERTS = 20
# Counted up to this many: beyond it the home page says "more than" (the alerts page counts them all). A national
# user is told of hundreds, and counting them joined every open alert on each visit.
HOME_ALERTS_COUNTED = 100


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Asked on every visit, with SQL that depends on the user and their scope alone: kept compiled. Only what the
    # home page shows of each (no district or LA joined: fewer joins to plan, fewer objects to make), and how many
    # there are, up to the cap, in the same statement.
    shown = kept_query(
        ("home.alerts", user.pk, HOME_ALERTS, HOME_ALERTS_COUNTED),
        lambda: (
            selectors.alerts_for(user=user)
            .select_related(None)
            .only("pk", "title", "detail", "url", "raised_at")
            .annotate(counted=capped_count(selectors.open_alert_deliveries(user=user), HOME_ALERTS_COUNTED))[
                :HOME_ALERTS
            ]
        ),
    ).rows()
    total = shown[0].counted if shown else 0
    scope = scope_for(user)
    districts = kept_query(("home.districts", scope_key(scope), 20), lambda: selectors.district_links(user=user)[:20])
    return render(
        request,
        "liaison/home.html",
        {
            "alerts": shown,
            "alerts_total": min(total, HOME_ALERTS_COUNTED),
            "alerts_more": total > HOME_ALERTS_COUNTED,
            "districts": districts.rows(),
            "scope": scope_for(request.user),
            "panels": render_home_panels(request),
        },
    )


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Everything that needs the user's attention, newest first, a page at a time."""
    alerts = selectors.alerts_for(user=request.user)
    page = CountedPaginator(alerts, 50, count=selectors.open_alert_count(user=request.user)).get_page(
        request.GET.get("page")
    )
    return render(request, "liaison/alert_list.html", {"page": page, "query": ""})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, in the GOV.UK model format; open to everyone, signed in or not."""
    return render(request, "liaison/accessibility.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database and the broker, each ok or an error."""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception:  # a health check reports every failure instead of raising it
        logger.exception("Health check: database unreachable")
        state["database"] = {"status": "error"}
    if celery_app.conf.task_always_eager:
        state["broker"] = {"status": "ok", "mode": "in-process"}
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            state["broker"] = {"status": "ok", "mode": "redis"}
        except Exception:  # same: report, do not raise
            logger.exception("Health check: broker unreachable")
            state["broker"] = {"status": "error"}
    healthy = all(part["status"] == "ok" for part in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state}, status=200 if healthy else 503)


@login_required
def contact_directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    contact_filter = ContactFilter(request.GET, queryset=selectors.contact_directory(user=user), user=user)
    if unfiltered(request.GET):
        # The directory as most visits see it (the filters' defaults: people in post): its SQL depends on the user's
        # scope and the day alone, so it is kept compiled (a filtered directory is built afresh).
        paginator = KeptPaginator(
            ("contacts", scope_key(scope_for(user)), timezone.localdate()),
            lambda: contact_filter.qs.order_by("name", "pk"),
            50,
        )
        page = paginator.get_page(request.GET.get("page"))
    else:
        page = Paginator(contact_filter.qs.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "liaison/contact_list.html",
        {
            "filter": contact_filter,
            "page": page,
            "query": query.urlencode(),
            "cutoff": selectors.confirmation_cutoff(timezone.localdate()),
            "can_add": bool(
                scope_for(request.user).editable_district_ids or scope_for(request.user).editable_authority_ids
            ),
        },
    )


CSV_COLUMNS = [
    "Name",
    "Job title",
    "Role",
    "Organisation type",
    "Organisation",
    "District",
    "Local Authority",
    "GSS code",
    "Phone",
    "Email",
    "Secure email",
    "Last confirmed",
    "In post from",
    "In post until",
]


@login_required
def contact_export(request: HttpRequest) -> HttpResponse:
    contact_filter = ContactFilter(request.GET, queryset=selectors.contact_list(user=request.user), user=request.user)
    if not contact_filter.is_valid():
        # Never export a wider list than asked for: show the filter errors instead.
        return redirect(f"{reverse('contact-list')}?{request.GET.urlencode()}")
    contacts = contact_filter.qs.order_by("name", "pk").iterator(chunk_size=500)
    rows = (
        (
            c.name,
            c.job_title,
            c.role.name,
            c.role.get_side_display(),
            c.organisation,
            c.district.name if c.district_id else "",
            c.local_authority.name if c.local_authority_id else "",
            c.local_authority.gss_code if c.local_authority_id else "",
            c.phone,
            c.email,
            "yes" if c.secure_email else "no",
            c.last_confirmed.isoformat() if c.last_confirmed else "",
            c.active_from.isoformat(),
            c.active_to.isoformat() if c.active_to else "",
        )
        for c in contacts
    )
    return csv_response(header=CSV_COLUMNS, rows=rows, filename=f"contacts-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(selectors.contact_list(user=request.user), pk=pk)
    history = contact.history.select_related("history_user", "role").order_by("-history_date", "-history_id")[:50]
    return render(
        request,
        "liaison/contact_detail.html",
        {
            "contact": contact,
            "history": history,
            "can_edit": Contact.objects.editable_by(request.user).filter(pk=contact.pk).exists(),
            "cutoff": selectors.confirmation_cutoff(timezone.localdate()),
            "handover": Event.objects.filter(
                kind="access.handover", subject_type="liaison.contact", subject_id=contact.pk
            )
            .order_by("-occurred_at")
            .first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.editable_district_ids or scope.editable_authority_ids):
        raise PermissionDenied("Only the ERM of a district, or an LA manager for their LA, can add contacts.")
    initial = {}
    if district := request.GET.get("district"):
        found = District.objects.editable_by(request.user).filter(code=district).first()
        if found:
            initial["organisation"] = f"district:{found.pk}"
    if authority := request.GET.get("authority"):
        found = LocalAuthority.objects.editable_by(request.user).filter(gss_code=authority).first()
        if found:
            initial["organisation"] = f"la:{found.pk}"
    form = ContactForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} has been added.")
            return redirect(contact)
    return render(request, "liaison/contact_form.html", {"form": form, "title": "Add a contact"})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(selectors.contact_list(user=request.user), pk=pk)
    if not Contact.objects.editable_by(request.user).filter(pk=contact.pk).exists():
        raise PermissionDenied("You can only change contacts in your own network.")
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name}'s details have been saved.")
            return redirect(contact)
    return render(
        request,
        "liaison/contact_form.html",
        {"form": form, "title": f"Change {contact.name}", "contact": contact},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_end(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(selectors.contact_list(user=request.user), pk=pk)
    if not Contact.objects.editable_by(request.user).filter(pk=contact.pk).exists():
        raise PermissionDenied("You can only change contacts in your own network.")
    form = ContactEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_end(actor=request.user, contact=contact, last_day=form.cleaned_data["last_day"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} has been recorded as leaving the role.")
            return redirect(contact)
    return render(request, "liaison/contact_end.html", {"form": form, "contact": contact})


@login_required
def district_list(request: HttpRequest) -> HttpResponse:
    return render(request, "liaison/district_list.html", {"districts": selectors.district_list(user=request.user)})


@login_required
def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District.objects.visible_to(request.user).select_related("region"), code=code)
    today = timezone.localdate()
    network = selectors.district_network(user=request.user, district=district, today=today)
    events = Event.objects.visible_to(request.user).filter(district=district).select_related("actor")[:10]
    return render(
        request,
        "liaison/district_detail.html",
        {
            "district": district,
            "events": events,
            "can_edit": District.objects.editable_by(request.user).filter(pk=district.pk).exists(),
            "panels": render_network_panels(request, district=district),
            **network,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def district_confirm(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District.objects.visible_to(request.user), code=code)
    if not District.objects.editable_by(request.user).filter(pk=district.pk).exists():
        raise PermissionDenied("Only the district's ERM can confirm its contacts.")
    contacts = (
        Contact.objects.editable_by(request.user)
        .active()
        .in_district_network(district)
        .select_related("role", "district", "office", "local_authority")
        .order_by("role__side", "role__order", "name")
    )
    form = ConfirmContactsForm(request.POST if request.method == "POST" else None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        count = services.contacts_confirm(actor=request.user, contacts=form.cleaned_data["contacts"], district=district)
        messages.success(request, f"{count} contact{'s' if count != 1 else ''} confirmed as current today.")
        return redirect(district)
    return render(request, "liaison/district_confirm.html", {"district": district, "form": form})


@login_required
def authority_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = get_object_or_404(LocalAuthority.objects.visible_to(request.user), gss_code=gss_code)
    network = selectors.authority_network(user=request.user, authority=authority, today=timezone.localdate())
    return render(
        request,
        "liaison/authority_detail.html",
        {
            "authority": authority,
            "can_edit": LocalAuthority.objects.editable_by(request.user).filter(pk=authority.pk).exists(),
            "panels": render_network_panels(request, authority=authority),
            **network,
        },
    )


def handler403(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def handler404(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def handler500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def _activity(request: HttpRequest) -> ActivityFilter:
    return ActivityFilter(request.GET, queryset=selectors.activity(user=request.user), user=request.user)


@login_required
def activity(request: HttpRequest) -> HttpResponse:
    """The audit trail: every domain event the user's scope covers, filterable, newest first."""
    # The page applies the filters to the user's scope itself (selectors.activity_pages).
    activity_filter = ActivityFilter(request.GET, queryset=Event.objects.none(), user=request.user)
    page = selectors.activity_pages(user=request.user, activity_filter=activity_filter).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "liaison/activity.html", {"filter": activity_filter, "page": page, "query": query.urlencode()}
    )


ACTIVITY_COLUMNS = ["When", "Kind", "What happened", "Who", "District", "Local Authority"]


@login_required
def activity_export(request: HttpRequest) -> HttpResponse:
    activity_filter = _activity(request)
    if not activity_filter.is_valid():
        return redirect(f"{reverse('activity')}?{request.GET.urlencode()}")
    rows = (
        (
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
            event.kind,
            event.summary,
            (event.actor.get_full_name() or event.actor.username) if event.actor else "",
            event.district.name if event.district else "",
            event.local_authority.name if event.local_authority else "",
        )
        for event in activity_filter.qs.order_by("-occurred_at", "-pk").iterator(chunk_size=2000)
    )
    return csv_response(
        header=ACTIVITY_COLUMNS, rows=rows, filename=f"liaison-activity-{timezone.localdate():%Y-%m-%d}.csv"
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: password, two-factor authentication, recent sign-ins."""
    return render(
        request,
        "liaison/account.html",
        {
            "mfa_enabled": is_mfa_enabled(request.user),
            "sign_ins": request.user.sign_ins.all()[:10],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications_failed(request: HttpRequest) -> HttpResponse:
    """Administrators: emails the outbox could not send, with the reason, and a way to try them all again now."""
    if not scope_for(request.user).admin:
        raise PermissionDenied("Only administrators can see failed notifications.")
    if request.method == "POST":
        count = services.notifications_retry_failed(actor=request.user)
        messages.success(request, f"{count} failed notification{'s' if count != 1 else ''} will be tried again now.")
        return redirect("notifications-failed")
    failed = selectors.notifications_failed()
    page = Paginator(failed, 50).get_page(request.GET.get("page"))
    return render(request, "liaison/notifications_failed.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Each user chooses, per kind of email, straight away or in a daily summary (some cannot be turned off)."""
    from liaison.forms import NotificationPreferencesForm
    from liaison.models import NotificationPreference
    from liaison.notifications import registered_kinds

    kinds = [kind for kind in registered_kinds() if kind.for_users]
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = NotificationPreferencesForm(request.POST if request.method == "POST" else None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(actor=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your choices have been saved.")
            return redirect("notification-preferences")
    feed = services.calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))
    return render(request, "liaison/notification_preferences.html", {"form": form, "feed_url": feed_url})


@login_required
@require_http_methods(["POST"])
def calendar_feed_replace(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_replace(actor=request.user)
    messages.success(request, "Your calendar has a new address: the old one no longer works.")
    return redirect("notification-preferences")


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal calendar (no sign-in: calendar programs cannot sign in; the long secret address is the key)."""
    from liaison import ical
    from liaison.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No calendar at this address.")
    user = feed.user
    body = ical.feed(ical.personal_events(user), name=f"Liaison: {user.get_full_name() or user.username}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="liaison.ics"'
    return response
