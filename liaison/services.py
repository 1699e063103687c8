"""Every write to the liaison network: keyword-only, atomic, permission-checked, recorded as an event."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from liaison import alerts
from liaison.access import grant_area
from liaison.events import event_record
from liaison.handover import open_work
from liaison.models import Contact, District, Invitation, LocalAuthority, Role, RoleAssignment

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
    if contact.user_id:
        _end_access_for_leaver(actor=actor, contact=contact)
    return contact


def _end_access_for_leaver(*, actor, contact: Contact) -> None:
    """A leaver's roles in the contact's network end with it; what they still held is kept for the hand-over."""
    user = get_user_model().objects.select_for_update().get(pk=contact.user_id)
    network = {"district": contact.district} if contact.district_id else {"local_authority": contact.local_authority}
    assignments = list(RoleAssignment.objects.filter(user=user, **network))
    if not assignments:
        return
    held = open_work(user)
    for assignment in assignments:
        _role_remove(actor=actor, assignment=assignment, kind="access.ended", why=f"{contact.name} left")
    event_record(
        kind="access.handover",
        summary=f"{contact.name} left: {sum(len(group['items']) for group in held)} open items to hand over",
        actor=actor,
        subject=contact,
        data={"user_id": user.pk, "handover": held, "roles": [str(a) for a in assignments]},
        **_organisation(contact),
    )


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


# Invitations: the only way into Liaison besides single sign-on matched to one (DESIGN.md "Who uses it").


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _where(thing) -> dict:
    """The district or LA an access event belongs to, so that the activity trail shows it in that scope."""
    return {"district": thing.district, "local_authority": thing.local_authority}


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_sha256 = invitation_token_hash(token)
    invitation.sent_at = timezone.now()
    invitation.expires_at = invitation.sent_at + datetime.timedelta(days=settings.INVITATION_DAYS)
    return token


def _send_invitation(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("invitation-accept", args=[token])
    inviter = invitation.invited_by.get_full_name() or invitation.invited_by.username
    send_mail(
        subject="Liaison: you are invited to join",
        message=(
            f"Dear {invitation.name},\n\n"
            f"{inviter} has invited you to Liaison as {invitation.get_role_display()} ({invitation.where}).\n\n"
            f"To accept, follow this link and set your password (or sign in with your organisation account):\n"
            f"{link}\n\n"
            f"The link works once and expires on {timezone.localtime(invitation.expires_at):%-d %B %Y at %-I:%M%p}."
            "\nIf you were not expecting this, ignore this email.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def _check_may_grant(actor, *, role: str, district=None, region=None, local_authority=None) -> None:
    if not grant_area(actor).allows(
        role=role,
        district_id=getattr(district, "pk", None),
        region_id=getattr(region, "pk", None),
        local_authority_id=getattr(local_authority, "pk", None),
    ):
        raise ValidationError({"role": "You can only give access to roles in your own district, authority or region"})


@transaction.atomic
def invitation_create(
    *,
    actor,
    email: str,
    name: str,
    role: str,
    district: District | None = None,
    region=None,
    local_authority: LocalAuthority | None = None,
) -> tuple[Invitation, str]:
    """Invite someone into a role within the actor's grant area; returns the invitation and its link's secret."""
    email = email.strip().lower()
    invitation = Invitation(
        email=email,
        name=name.strip(),
        role=role,
        district=district,
        region=region,
        local_authority=local_authority,
        invited_by=actor,
        expires_at=timezone.now(),
        token_sha256="-",
    )
    RoleAssignment(role=role, district=district, region=region, local_authority=local_authority).clean()
    _check_may_grant(actor, role=role, district=district, region=region, local_authority=local_authority)
    same = {"role": role, "district": district, "region": region, "local_authority": local_authority}
    if RoleAssignment.objects.filter(user__email__iexact=email, **same).exists():
        raise ValidationError({"email": "This person already has this role"})
    if Invitation.objects.pending().filter(email__iexact=email, **same).exists():
        raise ValidationError({"email": "This person already has an invitation to this role: resend it instead"})
    organisation = (
        {"district": district} if district else {"local_authority": local_authority} if local_authority else {}
    )
    if organisation:
        invitation.contact = (
            Contact.objects.active().filter(email__iexact=email, user__isnull=True, **organisation).first()
        )
    token = _new_token(invitation)
    invitation.full_clean(exclude=["token_sha256"])
    invitation.save()
    event_record(
        kind="access.invited",
        summary=f"{invitation.name} invited as {invitation.get_role_display()} ({invitation.where})",
        actor=actor,
        subject=invitation,
        data={"email": email, "role": role},
        **_where(invitation),
    )
    _send_invitation(invitation, token)
    return invitation, token


def _pending_for(actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not Invitation.objects.visible_to(actor).filter(pk=invitation.pk).exists():
        raise PermissionDenied("You can only manage invitations in your own district, authority or region.")
    if invitation.accepted_at or invitation.withdrawn_at:
        raise ValidationError(f"This invitation has already been {invitation.get_status_display().lower()}.")
    return invitation


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> str:
    """A new link (the old one stops working) and 7 more days; also revives an expired invitation."""
    invitation = _pending_for(actor, invitation)
    token = _new_token(invitation)
    invitation.save(update_fields=["token_sha256", "sent_at", "expires_at"])
    event_record(
        kind="access.invitation_resent",
        summary=f"Invitation to {invitation.name} as {invitation.get_role_display()} sent again",
        actor=actor,
        subject=invitation,
        **_where(invitation),
    )
    _send_invitation(invitation, token)
    return token


@transaction.atomic
def invitation_withdraw(*, actor, invitation: Invitation) -> Invitation:
    invitation = _pending_for(actor, invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    event_record(
        kind="access.invitation_withdrawn",
        summary=f"Invitation to {invitation.name} as {invitation.get_role_display()} withdrawn",
        actor=actor,
        subject=invitation,
        **_where(invitation),
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a link names, or None (unknown, tampered, used, withdrawn or expired)."""
    invitation = Invitation.objects.filter(token_sha256=invitation_token_hash(token or "")).first()
    return invitation if invitation is not None and invitation.is_pending else None


@transaction.atomic
def invitation_accept(*, token: str, user) -> RoleAssignment:
    """The invited person takes the role: once, before it expires, and only as the person it was sent to."""
    invitation = Invitation.objects.select_for_update().filter(token_sha256=invitation_token_hash(token)).first()
    if invitation is None or not invitation.is_pending:
        raise ValidationError("This invitation link does not work: it has expired, been used or withdrawn.")
    if not user.is_active or user.email.lower() != invitation.email.lower():
        raise PermissionDenied(f"This invitation is for {invitation.email}.")
    assignment = role_assign(
        user=user,
        role=invitation.role,
        district=invitation.district,
        region=invitation.region,
        local_authority=invitation.local_authority,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.contact_id:
        Contact.objects.filter(pk=invitation.contact_id, user__isnull=True).update(user=user)
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=invitation.email, defaults={"email": invitation.email, "verified": True}
    )
    event_record(
        kind="access.granted",
        summary=f"{user.get_full_name() or user.username} given the role of {assignment}",
        actor=user,
        subject=invitation,
        data={"user_id": user.pk, "role": invitation.role, "invited_by": invitation.invited_by_id},
        **_where(invitation),
    )
    return assignment


@transaction.atomic
def invitation_accept_new_user(*, token: str, password: str):
    """Someone new follows their invitation: their account (username = email address), then the role."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError("This invitation link does not work: it has expired, been used or withdrawn.")
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("There is already an account for this email address: sign in to accept.")
    first, _, last = invitation.name.partition(" ")
    user = user_model(username=invitation.email, email=invitation.email, first_name=first, last_name=last)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
    invitation_accept(token=token, user=user)
    return user


# Changing and ending access (the people pages). The person's row is locked first, so that a role change racing a
# deactivation is decided one way: whichever commits second sees the other's result.


def _locked_person(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _check_in_area(actor, assignment: RoleAssignment) -> None:
    if not grant_area(actor).allows(
        role=assignment.role,
        district_id=assignment.district_id,
        region_id=assignment.region_id,
        local_authority_id=assignment.local_authority_id,
    ):
        raise PermissionDenied("You can only change access in your own district, authority or region.")


def _role_remove(*, actor, assignment: RoleAssignment, kind: str, why: str = "") -> None:
    user = assignment.user
    label = str(assignment)
    where = _where(assignment)
    assignment.delete()
    user_groups_sync(user=user)
    event_record(
        kind=kind,
        summary=f"{user.get_full_name() or user.username} no longer {label}" + (f" ({why})" if why else ""),
        actor=actor,
        subject=user,
        data={"user_id": user.pk, "role": assignment.role},
        **where,
    )


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment) -> None:
    person = _locked_person(assignment.user)
    assignment = RoleAssignment.objects.select_related("user").get(pk=assignment.pk, user=person)
    _check_in_area(actor, assignment)
    _role_remove(actor=actor, assignment=assignment, kind="access.ended")


@transaction.atomic
def role_change(
    *, actor, assignment: RoleAssignment, role: str, district=None, region=None, local_authority=None
) -> RoleAssignment:
    """Replace one of a person's roles by another, both within the actor's area."""
    person = _locked_person(assignment.user)
    if not person.is_active:
        raise ValidationError("This person's access has been ended: invite them again to give them a role.")
    try:
        old = RoleAssignment.objects.get(pk=assignment.pk, user=person)
    except RoleAssignment.DoesNotExist:
        raise ValidationError("This role has already ended.") from None
    _check_in_area(actor, old)
    RoleAssignment(role=role, district=district, region=region, local_authority=local_authority).clean()
    _check_may_grant(actor, role=role, district=district, region=region, local_authority=local_authority)
    same = {"role": role, "district": district, "region": region, "local_authority": local_authority}
    if RoleAssignment.objects.filter(user=person, **same).exists():
        raise ValidationError({"role": "This person already has this role"})
    before = str(old)
    old.role, old.district, old.region, old.local_authority = role, district, region, local_authority
    old.save()
    user_groups_sync(user=person)
    event_record(
        kind="access.changed",
        summary=f"{person.get_full_name() or person.username}: {before} changed to {old}",
        actor=actor,
        subject=person,
        data={"user_id": person.pk, "from": before, "to": str(old)},
        **_where(old),
    )
    return old


@transaction.atomic
def user_deactivate(*, actor, user) -> list[dict]:
    """A leaver: every role ends and they can no longer sign in. Returns what they still held, to hand over."""
    person = _locked_person(user)
    if person.pk == actor.pk:
        raise ValidationError("You cannot end your own access.")
    if not person.is_active:
        raise ValidationError("This person's access has already been ended.")
    assignments = list(RoleAssignment.objects.filter(user=person).select_related("user"))
    for assignment in assignments:
        _check_in_area(actor, assignment)
    if not assignments and not grant_area(actor).everything:
        raise PermissionDenied("You can only end access in your own district, authority or region.")
    held = open_work(person)
    for assignment in assignments:
        _role_remove(actor=actor, assignment=assignment, kind="access.ended", why="access ended")
    person.is_active = False
    person.save(update_fields=["is_active"])
    first = assignments[0] if assignments else None
    event_record(
        kind="access.deactivated",
        summary=f"{person.get_full_name() or person.username} can no longer sign in",
        actor=actor,
        subject=person,
        data={"user_id": person.pk, "handover": held, "roles": [str(a) for a in assignments]},
        **(_where(first) if first else {}),
    )
    return held


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
