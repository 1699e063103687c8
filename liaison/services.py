"""Every write to the liaison network: keyword-only, atomic, permission-checked, recorded as an event."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liaison import alerts
from liaison.events import event_record
from liaison.models import Contact, District, LocalAuthority, Role, RoleAssignment

CONTACT_FIELDS = (
    "name",
    "job_title",
    "role",
    "district",
    "office",
    "local_authority",
    "phone",
    "email",
    "secure_email",
    "active_from",
    "active_to",
)


def _check_can_edit(actor, contact: Contact) -> None:
    if contact.district_id:
        if not District.objects.editable_by(actor).filter(pk=contact.district_id).exists():
            raise PermissionDenied("You can only change the network of your own district.")
    elif not LocalAuthority.objects.editable_by(actor).filter(pk=contact.local_authority_id).exists():
        raise PermissionDenied("You can only change contacts of authorities you work with.")


def _organisation(contact: Contact) -> dict:
    if contact.district_id:
        return {"district": contact.district, "local_authority": None}
    return {"district": None, "local_authority": contact.local_authority}


@transaction.atomic
def contact_create(*, actor, data: dict) -> Contact:
    contact = Contact(**{field: data[field] for field in CONTACT_FIELDS if field in data})
    contact.full_clean()
    _check_can_edit(actor, contact)
    contact.last_confirmed = timezone.localdate()
    contact.confirmed_by = actor
    contact.save()
    event_record(
        kind="contact.created",
        summary=f"{contact.name} added as {contact.role} ({contact.organisation})",
        actor=actor,
        subject=contact,
        **_organisation(contact),
    )
    return contact


@transaction.atomic
def contact_update(*, actor, contact: Contact, data: dict) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _check_can_edit(actor, contact)
    changed = [field for field in CONTACT_FIELDS if field in data and getattr(contact, field) != data[field]]
    for field in changed:
        setattr(contact, field, data[field])
    contact.full_clean()
    _check_can_edit(actor, contact)
    if not changed:
        return contact
    # Editing an entry is confirming it: the editor has just checked it.
    contact.last_confirmed = timezone.localdate()
    contact.confirmed_by = actor
    contact.save()
    event_record(
        kind="contact.updated",
        summary=f"{contact.name} updated ({', '.join(f.replace('_', ' ') for f in changed)})",
        actor=actor,
        subject=contact,
        data={"fields": changed},
        **_organisation(contact),
    )
    return contact


@transaction.atomic
def contact_end(*, actor, contact: Contact, last_day: datetime.date) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    _check_can_edit(actor, contact)
    if contact.active_to is not None and contact.active_to <= last_day:
        raise ValidationError({"last_day": f"{contact.name} already left this role on {contact.active_to:%-d %B %Y}."})
    if last_day < contact.active_from:
        raise ValidationError(
            {"last_day": f"The last day must be on or after {contact.active_from:%-d %B %Y}, the first day."}
        )
    contact.active_to = last_day
    contact.save(update_fields=["active_to"])
    event_record(
        kind="contact.ended",
        summary=f"{contact.name} leaves the role of {contact.role} on {last_day:%-d %B %Y}",
        actor=actor,
        subject=contact,
        **_organisation(contact),
    )
    return contact


@transaction.atomic
def contacts_confirm(
    *,
    actor,
    contacts: Iterable[Contact],
    district: District | None = None,
    today: datetime.date | None = None,
) -> int:
    """Stamp the chosen contacts as confirmed current today; only contacts the actor may edit."""
    today = today or timezone.localdate()
    ids = [contact.pk for contact in contacts]
    editable = Contact.objects.editable_by(actor).filter(pk__in=ids)
    if editable.count() != len(set(ids)):
        raise PermissionDenied("You can only confirm contacts in your own network.")
    rows = list(editable.select_for_update())
    for contact in rows:
        contact.last_confirmed = today
        contact.confirmed_by = actor
    Contact.objects.bulk_update(rows, ["last_confirmed", "confirmed_by"])
    # bulk_update skips django-simple-history's signals; write the history rows in bulk too.
    Contact.history.bulk_history_create(
        rows, update=True, default_user=actor, default_change_reason="Confirmed current"
    )
    if rows:
        event_record(
            kind="contacts.confirmed",
            summary=f"{len(rows)} contact{'s' if len(rows) != 1 else ''} confirmed current"
            + (f" in {district}" if district else ""),
            actor=actor,
            district=district,
            data={"contact_ids": [c.pk for c in rows], "date": today.isoformat()},
        )
        # The "not confirmed" alerts of the districts these contacts belong to clear now, not at the next scan.
        affected = District.objects.filter(Q(contacts__in=rows) | Q(local_authorities__contacts__in=rows)).distinct()
        for each in affected.order_by("pk"):
            alerts.recheck(each, today=today)
    return len(rows)


@transaction.atomic
def role_assign(
    *,
    user,
    role: str,
    district: District | None = None,
    region=None,
    local_authority: LocalAuthority | None = None,
) -> RoleAssignment:
    """Give a user a role (idempotent) and keep their Django group in step with it."""
    assignment = RoleAssignment(user=user, role=role, district=district, region=region, local_authority=local_authority)
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, role=role, district=district, region=region, local_authority=local_authority
    )
    user_groups_sync(user=user)
    return assignment


@transaction.atomic
def user_groups_sync(*, user) -> None:
    """Make the user's role groups (and admin access) match their role assignments; other groups stay."""
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    role_labels = {Role(value).label for value in Role.values}
    wanted = {Role(value).label for value in roles}
    for label in wanted:
        Group.objects.get_or_create(name=label)
    user.groups.remove(*user.groups.filter(name__in=role_labels - wanted))
    user.groups.add(*Group.objects.filter(name__in=wanted))
    if Role.ADMIN in roles:
        # System administrators manage users, roles and reference data in the admin site.
        Group.objects.get(name=Role.ADMIN.label).permissions.set(Permission.objects.all())
    should_be_staff = Role.ADMIN in roles or user.is_superuser
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def notifications_retry_failed(*, actor) -> int:
    """An administrator asks for every failed notification to be tried again now (attempts start again)."""
    from functools import partial

    from liaison.models import Notification
    from liaison.notifications import enqueue
    from liaison.scoping import scope_for

    if not scope_for(actor).admin:
        raise PermissionDenied("Only administrators can retry failed notifications.")
    pks = list(Notification.objects.failed().select_for_update().values_list("pk", flat=True))
    if pks:
        Notification.objects.filter(pk__in=pks).update(attempts=0, next_attempt_at=timezone.now())
        event_record(
            kind="notification.retried",
            summary=f"{len(pks)} failed notification{'s' if len(pks) != 1 else ''} sent again",
            actor=actor,
            data={"notifications": pks[:100]},
        )
        transaction.on_commit(partial(enqueue, pks), robust=True)
    return len(pks)


@transaction.atomic
def notification_preferences_set(*, actor, choices: dict[str, str]) -> None:
    """Save a user's choice per kind of email; kinds that cannot be turned off refuse "off"."""
    from liaison.models import Delivery, NotificationPreference
    from liaison.notifications import kind_for

    errors = {}
    for code, delivery in choices.items():
        kind = kind_for(code)
        if delivery not in Delivery.values or (delivery == Delivery.OFF and kind.mandatory):
            errors[code] = f"“{kind.label}” cannot be turned off: choose straight away or a daily summary"
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.filter(user=actor, kind__in=list(choices)).delete()
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=actor, kind=code, delivery=delivery)
            for code, delivery in choices.items()
            if delivery != Delivery.NOW
        ]
    )
    event_record(
        kind="notification.preferences-changed",
        summary=f"{actor.get_full_name() or actor.username} changed when they get emails",
        actor=actor,
        data={"choices": choices},
    )


def calendar_feed_for(*, user):
    """The user's calendar feed, made the first time it is asked for."""
    import secrets

    from liaison.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


@transaction.atomic
def calendar_feed_replace(*, actor):
    """A new secret address for the user's calendar; the old one stops working at once."""
    import secrets

    from liaison.models import CalendarFeed

    feed, _ = CalendarFeed.objects.select_for_update().get_or_create(
        user=actor, defaults={"token": secrets.token_urlsafe(32)}
    )
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    event_record(
        kind="calendar.address-replaced",
        summary=f"{actor.get_full_name() or actor.username} replaced their calendar address",
        actor=actor,
    )
    return feed
