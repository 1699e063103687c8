"""The liaison network (regions, districts, LAs, contacts by role), role assignments, events and alerts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from liaison.links import path_for, path_for_code
from liaison.querysets import (
    AlertQuerySet,
    ContactQuerySet,
    DistrictQuerySet,
    EventQuerySet,
    InvitationQuerySet,
    LocalAuthorityQuerySet,
    OfficeQuerySet,
    RegionQuerySet,
)


class Nation(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Side(models.TextChoices):
    JCP = "jcp", "Jobcentre Plus"
    LA = "la", "Local Authority"


class Region(models.Model):
    """A JCP region or country (Scotland and Wales are managed as countries)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    nation = models.CharField(max_length=3, choices=Nation.choices)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.SlugField(max_length=60, unique=True, help_text="Used in the address of the district page.")
    name = models.CharField(max_length=120, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")
    managed_by_region = models.BooleanField(
        "relationship managed by the Country/Region ERM",
        default=False,
        help_text="Escalation skips the District ERM level (guidelines, Appendix 2).",
    )

    objects = DistrictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for_code("district-detail", self.code)


gss_code_validator = RegexValidator(
    r"^[ENSW]\d{8}$", "Enter a GSS code: a letter E, N, S or W followed by 8 digits, like E08000003."
)


class LocalAuthority(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True, validators=[gss_code_validator])
    name = models.CharField(max_length=120)
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        help_text="Decides which bank holidays count as non-working days.",
    )
    districts = models.ManyToManyField(District, related_name="local_authorities")

    objects = LocalAuthorityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[districts])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for_code("authority-detail", self.gss_code)


class Office(models.Model):
    """A JCP unit in a district's network: district office, Jobcentre, BDC, contact centre, FIS team."""

    class Kind(models.TextChoices):
        DISTRICT_OFFICE = "district-office", "District office"
        JOBCENTRE = "jobcentre", "Jobcentre"
        BENEFIT_DELIVERY_CENTRE = "bdc", "Benefit Delivery Centre"
        CONTACT_CENTRE = "contact-centre", "Contact Centre"
        FRAUD_INVESTIGATION = "fis", "Fraud Investigation Service"
        CUSTOMER_COMPLIANCE = "compliance", "Customer Compliance"

    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="offices")

    objects = OfficeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="office_name_unique_in_district")]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.Model):
    """A role in the network (guidelines' contacts table; PA 3.1.2 on the LA side)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120, unique=True)
    side = models.CharField(max_length=3, choices=Side.choices)
    required_in_district = models.BooleanField(
        default=False, help_text="Every district must have an active contact in this role."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "order", "name"]

    def __str__(self) -> str:
        return self.name


class IssueCategory(models.Model):
    """Routes a kind of issue to the JCP contact role that deals with it (guidelines' table)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160, unique=True)
    example = models.TextField(help_text="The example issue from the guidelines.")
    role = models.ForeignKey(ContactRole, on_delete=models.PROTECT, related_name="categories")
    alternative_role = models.ForeignKey(
        ContactRole, on_delete=models.PROTECT, related_name="alternative_categories", null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "issue categories"

    def __str__(self) -> str:
        return self.name


phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{7,20}$", "Enter a phone number, like 0161 496 0123 or +44 161 496 0123."
)


class Contact(models.Model):
    """A named person in the network. Never deleted: leaving the role sets `active_to`."""

    name = models.CharField("full name", max_length=120)
    job_title = models.CharField(max_length=160, blank=True)
    role = models.ForeignKey(ContactRole, on_delete=models.PROTECT, related_name="contacts")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="contacts",
        null=True,
        blank=True,
        help_text="For Jobcentre Plus contacts: the district network they belong to.",
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="contacts", null=True, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="contacts", null=True, blank=True
    )
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    secure_email = models.BooleanField(
        "email address is secure", default=False, help_text="A government secure address (e.g. GSi or GCSx)."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    last_confirmed = models.DateField("date last confirmed", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active_from = models.DateField(default=datetime.date.today)
    active_to = models.DateField(null=True, blank=True, help_text="The last day in this role.")

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(district__isnull=False) & Q(local_authority__isnull=True))
                | (Q(district__isnull=True) & Q(local_authority__isnull=False) & Q(office__isnull=True)),
                name="contact_belongs_to_a_district_or_an_authority",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="contact_active_to_after_active_from",
            ),
        ]
        indexes = [
            models.Index(fields=["last_confirmed"]),
            # The directory's order: a page of 50 is read in order and joined, not 1,200 contacts joined and sorted.
            models.Index(fields=["name", "id"], name="contact_directory_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"

    def get_absolute_url(self) -> str:
        return path_for("contact-detail", self.pk)

    @property
    def side(self) -> str:
        return Side.JCP if self.district_id else Side.LA

    @property
    def organisation(self) -> str:
        if self.local_authority_id:
            return str(self.local_authority)
        return str(self.office) if self.office_id else f"Jobcentre Plus {self.district}"

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.active_from <= on and (self.active_to is None or self.active_to >= on)

    def clean(self) -> None:
        errors = {}
        if self.role_id:
            if self.role.side == Side.JCP and not self.district_id:
                errors["district"] = "A Jobcentre Plus role needs the district network the contact belongs to."
            if self.role.side == Side.LA and not self.local_authority_id:
                errors["local_authority"] = "A Local Authority role needs the authority the contact works for."
        if self.office_id and self.district_id and self.office.district_id != self.district_id:
            errors["office"] = "Choose an office in the contact's district."
        if self.active_to and self.active_from and self.active_to < self.active_from:
            errors["active_to"] = "The last day in the role must be on or after the first day."
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    """The roles a user can hold; each is also a Django group of the same label."""

    ERM = "erm", "District External Relations Manager"
    DISTRICT_MANAGER = "district-manager", "District Manager"
    LA_BENEFITS_MANAGER = "la-benefits-manager", "LA Benefits Manager"
    LA_FRAUD_MANAGER = "la-fraud-manager", "LA Fraud Manager"
    MONITORING_OFFICER = "monitoring-officer", "Monitoring officer"
    LA_MONITORING_OFFICER = "la-monitoring-officer", "LA monitoring officer"
    REGIONAL_ERM = "regional-erm", "Country/Regional ERM"
    ODN = "odn", "ODN / COO Gateway"
    GPT = "gpt", "Governmental Partnerships Team"
    ADMIN = "admin", "System administrator"


DISTRICT_ROLES = {Role.ERM, Role.DISTRICT_MANAGER, Role.MONITORING_OFFICER}
# The LA's managers run its side of the partnership; its monitoring officer only monitors (PA 5.3).
LA_MANAGER_ROLES = {Role.LA_BENEFITS_MANAGER, Role.LA_FRAUD_MANAGER}
AUTHORITY_ROLES = {*LA_MANAGER_ROLES, Role.LA_MONITORING_OFFICER}
REGION_ROLES = {Role.REGIONAL_ERM}
NATIONAL_ROLES = {Role.ODN, Role.GPT, Role.ADMIN}


def role_scope_condition() -> Q:
    """A role's district, LA or region matches the kind of role (national roles: none)."""
    return (
        Q(
            role__in=sorted(r.value for r in DISTRICT_ROLES),
            district__isnull=False,
            region__isnull=True,
            local_authority__isnull=True,
        )
        | Q(
            role__in=sorted(r.value for r in AUTHORITY_ROLES),
            district__isnull=True,
            region__isnull=True,
            local_authority__isnull=False,
        )
        | Q(
            role__in=sorted(r.value for r in REGION_ROLES),
            district__isnull=True,
            region__isnull=False,
            local_authority__isnull=True,
        )
        | Q(
            role__in=sorted(r.value for r in NATIONAL_ROLES),
            district__isnull=True,
            region__isnull=True,
            local_authority__isnull=True,
        )
    )


class RoleAssignment(models.Model):
    """A user holding a role, tied to the district, region or LA it covers (national roles: none)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(condition=role_scope_condition(), name="role_assignment_scope_matches_role"),
            # One constraint per kind of scope: NULLs never compare equal in a plain unique constraint.
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(district__isnull=False),
                name="role_assignment_unique_district",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="role_assignment_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "local_authority"],
                condition=Q(local_authority__isnull=False),
                name="role_assignment_unique_authority",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(district__isnull=True, region__isnull=True, local_authority__isnull=True),
                name="role_assignment_unique_national",
            ),
        ]

    def __str__(self) -> str:
        where = self.district or self.region or self.local_authority or "national"
        return f"{self.get_role_display()} ({where})"

    def clean(self) -> None:
        scope = {
            "district": self.district_id,
            "region": self.region_id,
            "local_authority": self.local_authority_id,
        }
        needed = (
            "district"
            if self.role in DISTRICT_ROLES
            else "local_authority"
            if self.role in AUTHORITY_ROLES
            else "region"
            if self.role in REGION_ROLES
            else None
        )
        errors = {}
        for field, value in scope.items():
            if field == needed and not value:
                errors[field] = f"A {self.get_role_display()} must be tied to a {field.replace('_', ' ')}."
            elif field != needed and value:
                errors[field] = f"A {self.get_role_display()} is not tied to a {field.replace('_', ' ')}."
        if errors:
            raise ValidationError(errors)


class Invitation(models.Model):
    """An invitation into a role: a one-time link by email, pending until accepted, withdrawn or expired."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    email = models.EmailField("email address")
    name = models.CharField("full name", max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Only the SHA-256 of the link's secret is kept: the link itself exists only in the email.
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["token_sha256"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=role_scope_condition(), name="invitation_scope_matches_role"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> as {self.get_role_display()} ({self.where})"

    @property
    def where(self):
        return self.district or self.region or self.local_authority or "national"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class SignIn(models.Model):
    """A successful sign-in, shown to its user on the account page (not on the activity trail: it changes nothing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=30, default="password")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} at {self.at:%Y-%m-%d %H:%M}"


class AppendOnlyError(Exception):
    pass


class Event(models.Model):
    """A domain event (contact confirmed, alert raised, ...). Rows are only ever added."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=60, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    # Indexed with the subject type, below.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="events", db_index=False
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="events", db_index=False
    )
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        # Each arm of a user's scope (EventQuerySet.visible_keys) reads its events' (id, occurred_at) from one of
        # these alone, without reading an event: by subject, or by district or LA for events about no registered
        # subject. On databases without covering indexes (SQLite) they are plain indexes of their fields.
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id"], include=["id", "occurred_at"], name="event_subject_scope"
            ),
            models.Index(
                fields=["district", "subject_type"], include=["id", "occurred_at"], name="event_district_scope"
            ),
            models.Index(
                fields=["local_authority", "subject_type"], include=["id", "occurred_at"], name="event_authority_scope"
            ),
            # A district's events that name no LA (the JCP side's own, which an LA's people see too): a few of a
            # district's thousands, which the district index alone would have to sift.
            models.Index(
                fields=["district", "subject_type"],
                include=["id", "occurred_at"],
                condition=models.Q(local_authority__isnull=True),
                name="event_district_without_la",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Events are append-only and cannot be deleted.")


class Alert(models.Model):
    """A deadline breach found by a scan: raised once, cleared when its condition clears."""

    check_code = models.CharField(max_length=60)
    key = models.CharField(max_length=200, help_text="Identifies the condition within its check.")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, through="AlertRecipient", related_name="alerts")

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            # A user's newest open alerts (the home page's 20): read newest first and stop at 20 of theirs.
            models.Index(fields=["raised_at", "id"], condition=Q(cleared_at__isnull=True), name="alert_open_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["check_code", "key"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_alert_per_condition",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class AlertRecipient(models.Model):
    """Who must act on an alert, and when they were emailed (once)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(null=True, blank=True)
    current = models.BooleanField(
        default=True, help_text="Still someone who must act; people who moved on keep their row but stop seeing it."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alert_recipient_unique")]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user}"


class NotificationQuerySet(models.QuerySet):
    def waiting(self):
        """Not yet sent, skipped or left for the daily summary: the outbox still has to deliver these."""
        return self.filter(sent_at__isnull=True, skipped_at__isnull=True, digest=False)

    def failed(self):
        return self.waiting().filter(failed_at__isnull=False)


class Notification(models.Model):
    """One email in the outbox, written in the same transaction as the change that causes it.

    A Celery task delivers it after the commit, retrying with back-off; the unique dedupe key means a retried
    change or a repeated scan never writes (or sends) it twice. The recipient is a user, or a contact's address
    for people who have no account (an operational contact told that an issue was referred to them)."""

    kind = models.CharField(max_length=60, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    email = models.EmailField(help_text="The address it goes to, as it was when the notification was written.")
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=300, unique=True)
    title = models.CharField(max_length=300, help_text="The email's subject line.")
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True, help_text="The page where the recipient acts.")
    reason = models.CharField(max_length=300, help_text="Why the recipient gets it, said in the email.")
    attachments = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(default=False, help_text="Held for the recipient's daily summary.")
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="The last failed attempt.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.email}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "Sent"
        if self.skipped_at:
            return "Not sent"
        if self.digest:
            return "In daily summary"
        if self.failed_at:
            return "Failed"
        return "Waiting"


class Delivery(models.TextChoices):
    NOW = "now", "Straight away"
    DAILY = "daily", "In a daily summary"
    OFF = "off", "Do not email me"


class NotificationPreference(models.Model):
    """A user's choice for one kind of notification; without a row it comes straight away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(max_length=5, choices=Delivery.choices, default=Delivery.NOW)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"


class CalendarFeed(models.Model):
    """The secret address of a user's personal calendar (meetings and the due dates they own)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
