"""Joint Boards (guidelines, Appendix 1), their meetings, actions and good practice, the transition checklist
("Moving on") and the Appendix 3 index returns.

Nothing a user entered is ever deleted: boards are wound up, meetings cancelled, actions closed, and a submitted
return is an immutable snapshot.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from boards.querysets import (
    ActionQuerySet,
    BoardQuerySet,
    GoodPracticeQuerySet,
    IndexReturnQuerySet,
    MeetingQuerySet,
    TransitionActionQuerySet,
)
from liaison.links import path_for
from liaison.models import Contact, District, LocalAuthority

MINIMUM_MEETINGS_A_YEAR = 2


class BoardScope(models.TextChoices):
    """Question 6 of the Appendix 3 stencil."""

    FRAUD = "fraud", "Fraud"
    ADMIN = "admin", "Admin"
    JOINT = "joint", "Joint (Fraud and Admin)"


class BoardStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    WOUND_UP = "wound-up", "Wound up"


class Board(models.Model):
    """A Jobcentre Plus/LA Joint Board: one per district as the norm, cross-district by agreement."""

    FREE_TEXT = {
        "replaces": ("short", "the arrangements it replaces"),
        "cross_district_reason": ("short", "the reason for a cross-district board"),
    }

    title = models.CharField("board title", max_length=200)
    districts = models.ManyToManyField(District, related_name="boards")
    local_authorities = models.ManyToManyField(LocalAuthority, related_name="boards", verbose_name="Local Authorities")
    scope = models.CharField(max_length=10, choices=BoardScope.choices, default=BoardScope.JOINT)
    jcp_chair = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Jobcentre Plus co-chair",
        help_text="The District Manager.",
    )
    la_chair = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Local Authority co-chair",
        help_text="A Local Authority senior (Housing Benefit) manager.",
    )
    erm = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="District External Relations Manager",
    )
    members = models.ManyToManyField(
        Contact, blank=True, related_name="board_memberships", verbose_name="standing members"
    )
    jcp_secretariat = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="JCP secretariat"
    )
    la_secretariat = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="LA secretariat"
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        "meetings a year agreed with LA partners",
        default=MINIMUM_MEETINGS_A_YEAR,
        help_text="At least 2: a board must meet at least twice in every 12 months.",
    )
    status = models.CharField(max_length=10, choices=BoardStatus.choices, default=BoardStatus.PROPOSED)
    replaces = models.TextField(
        "JRB/JOB arrangements it replaces",
        blank=True,
        help_text="The Joint Regional and Joint Operational Boards it takes over from.",
    )
    established_on = models.DateField(
        "date set up",
        default=datetime.date.today,
        help_text="The 12 months in which it must meet twice are counted from this date.",
    )
    wound_up_on = models.DateField(null=True, blank=True)
    cross_district_reason = models.TextField(
        "why the board covers more than one district",
        blank=True,
        help_text="One board per district is the norm: say why this one is shared, as agreed with LA partners.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BoardQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[districts, local_authorities, members])

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meetings_per_year__gte=MINIMUM_MEETINGS_A_YEAR),
                name="board_meets_at_least_twice_a_year",
            ),
            models.CheckConstraint(
                condition=Q(status="wound-up", wound_up_on__isnull=False) | (~Q(status="wound-up")),
                name="board_wound_up_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("boards:board-detail", self.pk)

    def clean(self) -> None:
        if self.meetings_per_year is not None and self.meetings_per_year < MINIMUM_MEETINGS_A_YEAR:
            raise ValidationError({"meetings_per_year": "A board must meet at least twice a year: enter 2 or more"})


class DistrictConfirmation(models.Model):
    """A further district named on a cross-district board by an ERM who does not run it: that district's ERM (or
    the Regional ERM) must agree before the board becomes active. Empty `confirmed_at` means still waiting."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="district_confirmations")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["board", "district__name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "district"], name="district_confirmation_once_per_board")
        ]

    def __str__(self) -> str:
        return f"{self.district} confirmed {self.board}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NONE = "none", "Not written"
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated for comment"
    APPROVED = "approved", "Approved"


class Meeting(models.Model):
    FREE_TEXT = {
        "location": ("title", "the place"),
        "other_attendees": ("short", "the other attendees"),
        "minutes": "minutes",
    }

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    other_attendees = models.TextField(
        blank=True, help_text="Anyone else who came, one a line (for example a colleague covering an agenda item)."
    )
    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Goes up on every change of date, time, place or status: calendars replace the event."
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        help_text="The meeting at which these minutes were approved: the next one.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_status="approved", minutes_approved_at__isnull=False)
                | (~Q(minutes_status="approved") & Q(minutes_approved_at__isnull=True)),
                name="meeting_minutes_approved_at_a_meeting",
            ),
            models.CheckConstraint(
                condition=Q(minutes_status="none") | Q(status="held"),
                name="meeting_minutes_only_for_held_meetings",
            ),
        ]
        indexes = [models.Index(fields=["board", "status", "date"])]

    def __str__(self) -> str:
        return f"{self.board} meeting, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("boards:meeting-detail", args=[self.board_id, self.pk])


class AgendaItemKind(models.TextChoices):
    STANDING = "standing", "Standing item"
    FREE = "free", "Item"
    CONTRIBUTED = "contributed", "Contributed item"


# Appendix 1, "Key responsibilities": every agenda starts with these.
STANDING_ITEMS = [
    (
        "Review of local arrangements (SLA and Partnership Agreement)",
        "Local business arrangements covered by the Administration SLA and the Fraud Partnership Agreement; "
        "agree any necessary changes.",
    ),
    (
        "Performance management information",
        "Management information on the customer experience and a balanced view of performance across each "
        "organisation.",
    ),
    (
        "Unresolved issues",
        "Issues it has not been possible to resolve through day-to-day contacts and the agreed escalation routes.",
    ),
    ("Good practice", "Identifying and sharing good practice to improve processes and performance."),
    (
        "New developments in policy and processes",
        "Information on new developments within policy and processes that impact on each organisation.",
    ),
]


class AgendaItem(models.Model):
    FREE_TEXT = {"title": "title", "body": ("long", "the details")}

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=AgendaItemKind.choices, default=AgendaItemKind.FREE)
    source = models.CharField(max_length=60, blank=True, help_text="The app or person that added the item.")

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique")]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting the secretariat"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class AgendaProposal(models.Model):
    """An item an LA member of the board proposes for a meeting's agenda; the secretariat accepts or declines it."""

    FREE_TEXT = {"title": "title", "body": ("long", "the details"), "reason": ("short", "the reason")}

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the secretariat declined it.")
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="proposal"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "proposed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""), name="agenda_proposal_declined_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MinutesComment(models.Model):
    """A member's comment on circulated draft minutes, kept with who made it and when."""

    FREE_TEXT = {"text": ("long", "your comment")}

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_comments")
    text = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "made_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.meeting}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "status", "contact__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "contact"], name="attendance_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.contact.name}: {self.get_status_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """An action agreed at a meeting; it carries forward to every later agenda until it is done."""

    FREE_TEXT = {"description": "short", "update": ("short", "the progress note")}

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="board_actions")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    update = models.TextField("progress note", blank=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="action_done_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("boards:action-update", args=[self.board_id, self.pk])

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status != ActionStatus.DONE and self.due_date < (today or timezone.localdate())


class GoodPractice(models.Model):
    """Good practice a board records for every board to find (guidelines, "Future developments")."""

    FREE_TEXT = {"title": "title", "description": "long"}

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="good_practice")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField()
    recorded_on = models.DateField(default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GoodPracticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name_plural = "good practice items"

    def __str__(self) -> str:
        return self.title


class NationalDevelopment(models.Model):
    """A new development in policy and process the Governmental Partnerships Team publishes for every board; each
    board's next agenda lists it under the standing item (guidelines, Appendix 1, fifth duty)."""

    FREE_TEXT = {"title": "title", "description": "long"}

    title = models.CharField(max_length=200)
    description = models.TextField()
    published_on = models.DateField(default=datetime.date.today)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class TransitionAction(models.Model):
    """One row of the guidelines' "Moving on" table for one district, ticked off with a date."""

    FREE_TEXT = {"note": "short"}

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="transition_actions")
    code = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=300)
    by_whom = models.CharField(max_length=120)
    by_when_label = models.CharField("by when (guidelines)", max_length=60)
    due_date = models.DateField()
    for_gpt = models.BooleanField(default=False, help_text="The Governmental Partnerships Team acts on this one.")
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    objects = TransitionActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["district", "order"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="transition_action_once")]

    def __str__(self) -> str:
        return f"{self.district}: {self.action}"


class ImmutableReturnError(Exception):
    pass


class IndexReturn(models.Model):
    """A submitted Appendix 3 return: a dated snapshot that is never changed; a later change is a new return."""

    FREE_TEXT = {"la_members": ("short", "the Local Authority members"), "comments": "long"}

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(help_text="The return round: due on the configured date of this year.")
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The stencil's fields, as submitted.
    board_title = models.CharField(max_length=200)
    district_office = models.CharField(max_length=300)
    la_members = models.TextField()
    jcp_chair = models.CharField(max_length=200)
    la_chair = models.CharField(max_length=200)
    erm_name = models.CharField(max_length=120)
    erm_phone = models.CharField(max_length=20)
    erm_email = models.EmailField()
    first_meeting_date = models.DateField(null=True, blank=True)
    scope = models.CharField(max_length=10, choices=BoardScope.choices)
    jcp_secretariat_name = models.CharField(max_length=120)
    jcp_secretariat_email = models.EmailField()
    la_secretariat_name = models.CharField(max_length=120)
    la_secretariat_email = models.EmailField()
    comments = models.TextField(blank=True)
    # Everything above plus the board's ids at the time, for audit and the API.
    snapshot = models.JSONField(default=dict)

    objects = IndexReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["board", "year"])]

    def __str__(self) -> str:
        return f"{self.board_title}, return of {self.submitted_at:%-d %B %Y}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableReturnError("A submitted return cannot be changed: submit a new return instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableReturnError("A submitted return cannot be deleted.")

    def get_pdf_url(self) -> str:
        return reverse("boards:return-pdf-one", args=[self.board_id, self.pk])
