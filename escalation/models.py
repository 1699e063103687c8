"""Issues on the escalation route (guidelines' Appendix 2, PA 4.0), their append-only timeline and level targets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.models import HistoricalRecords

from liaison.links import path_for
from liaison.models import AppendOnlyError, Contact, District, IssueCategory, LocalAuthority, Role
from liaison.querysets import compiled_once
from liaison.scoping import scope_for


class Level(models.TextChoices):
    OPERATIONAL = "operational", "Operational contact"
    DISTRICT_ERM = "district-erm", "District ERM"
    REGIONAL_ERM = "regional-erm", "Country/Regional ERM"
    ODN = "odn", "ODN / COO Gateway"
    GPT = "gpt", "Governmental Partnerships Team"
    LA_MANAGER = "la-manager", "LA Benefits or Fraud Manager"


class Direction(models.TextChoices):
    TO_JCP = "to-jcp", "A partner raises it with Jobcentre Plus"
    TO_LA = "to-la", "Jobcentre Plus raises it with the Local Authority"


class Source(models.TextChoices):
    DAY_TO_DAY = "day-to-day", "Day-to-day contact"
    JOINT_BOARD = "joint-board", "A Joint Board meeting"
    LEGACY_JRB = "legacy-jrb", "Legacy Joint Regional Board item"
    LEGACY_JOB = "legacy-job", "Legacy Joint Operational Board item"


class Status(models.TextChoices):
    REFERRED = "referred", "Referred to the operational contact"
    NEW = "new", "New"
    IN_PROGRESS = "in-progress", "In progress"
    ESCALATED = "escalated", "Escalated"
    REOPENED = "reopened", "Reopened"
    RESOLVED = "resolved", "Resolved: outcome to communicate"
    CLOSED = "closed", "Outcome communicated"


OPEN_STATUSES = [Status.REFERRED, Status.NEW, Status.IN_PROGRESS, Status.ESCALATED, Status.REOPENED]
LA_MANAGER_ROLES = [
    (Role.LA_BENEFITS_MANAGER.value, Role.LA_BENEFITS_MANAGER.label),
    (Role.LA_FRAUD_MANAGER.value, Role.LA_FRAUD_MANAGER.label),
]


class ResolutionTally(models.Model):
    """How many issues took each number of working days to resolve: the national statistics' spread and median
    without reading every resolved issue (100,000 at national scale). Kept by `escalation.services` in the
    transaction that resolves or reopens an issue; `resolution_tally_rebuild` recounts it from the issues after
    issues are written in bulk. A derived count, so a plain integer: a recount mends it, and it never refuses an
    action."""

    working_days = models.PositiveIntegerField(primary_key=True)
    issues = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.issues} resolved in {self.working_days} working days"


class LevelTarget(models.Model):
    """Working days an issue may stay at a level before it is flagged as stalled (configurable)."""

    COMMUNICATION = "communication"
    # Not a level of its own: the ODN / COO Gateway holds it, but the COO Gateway's pursuit with a national
    # directorate is a recorded step with its own clock (guidelines' Appendix 2, step 5).
    COO_GATEWAY = "coo-gateway"
    STAGES = [
        *Level.choices,
        (COO_GATEWAY, "COO Gateway, pursuing it with a national directorate"),
        (COMMUNICATION, "Communicating a resolved issue's outcome"),
    ]

    stage = models.CharField(max_length=20, choices=STAGES, unique=True)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.working_days} working days"


class NationalDirectorateQuerySet(models.QuerySet):
    def current(self) -> NationalDirectorateQuerySet:
        return self.filter(retired_at__isnull=True)


class NationalDirectorate(models.Model):
    """A national directorate the COO Gateway pursues issues with; the GPT keeps the list. A directorate that is no
    longer used is retired, never deleted, so the issues that went to it keep its name."""

    FREE_TEXT = {"name": ("title", "the directorate's name")}

    name = models.CharField(max_length=160, unique=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NationalDirectorateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.retired_at is None


@compiled_once
def _visible_issues(
    using: str, district_ids: frozenset[int], authority_ids: frozenset[int], user_id: int, columns: tuple[str, ...]
):
    # A union of arms that each an index serves, rather than an OR (with joins and DISTINCT, or with subplans)
    # that makes PostgreSQL read every issue and misjudge how many are in scope.
    issues = Issue.objects.using(using).order_by()
    arms = [
        issues.filter(district_id__in=district_ids),
        issues.filter(operational_contact__in=Contact.objects.filter(user_id=user_id).values("pk")),
    ]
    if authority_ids:
        shared = Issue.other_authorities.through.objects.using(using).filter(localauthority_id__in=authority_ids)
        arms += [issues.filter(local_authority_id__in=authority_ids), issues.filter(pk__in=shared.values("issue_id"))]
    arms = [arm.values(*columns) for arm in arms]
    return arms[0].union(*arms[1:])


def issue_event_arms(user, events: models.QuerySet) -> list[models.QuerySet]:
    """The events about issues that the user sees (those about an issue the user sees), written on the events' own
    district and LA: an issue's events name its district and lead LA (escalation.services._record), which an issue
    never changes (`Issue.save` refuses it). The same arms as `_visible_issues`, each answered by a covering index of
    the events, where "about an issue in scope" read every such issue's events by subject (6 ms for a district)."""
    scope = scope_for(user)
    own_contacts = Contact.objects.filter(user_id=user.pk).values("pk")
    arms = [
        events.filter(district_id__in=scope.district_ids),
        events.filter(subject_id__in=Issue.objects.filter(operational_contact__in=own_contacts).values("pk")),
    ]
    if scope.authority_ids:
        shared = Issue.other_authorities.through.objects.filter(localauthority_id__in=scope.authority_ids)
        arms += [
            events.filter(local_authority_id__in=scope.authority_ids),
            events.filter(subject_id__in=shared.values("issue_id")),
        ]
    return arms


class IssueQuerySet(models.QuerySet):
    def visible_to(self, user) -> IssueQuerySet:
        """District roles: their districts; LA managers: their LAs; regional ERM: their region; national: all."""
        scope = scope_for(user)
        if scope.national:
            return self.all()
        if not user.is_authenticated:
            return self.none()
        ids = _visible_issues(self.db, scope.district_ids, scope.authority_ids, user.pk, ("pk",))
        return self.none() if ids is None else self.filter(pk__in=ids)

    def visible_keys(self, user, key: str) -> RawSQL | None:
        """The SQL of `visible_to` for a user who does not see every issue, as rows of (pk, key): a union of arms
        that covering indexes serve without reading an issue, so a page of a list sorted on `key` can be chosen from
        it (`liaison.pagination.KeyedUnionPaginator`). None when it can match nothing."""
        scope = scope_for(user)
        if not user.is_authenticated or scope.national:
            raise ValueError("visible_keys is for a user with a scope; national roles read every issue.")
        return _visible_issues(self.db, scope.district_ids, scope.authority_ids, user.pk, ("pk", key))

    def open(self) -> IssueQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


def _open_issues(fields: list[str], *, name: str, include: list[str] | None = None) -> models.Index:
    """An index of the issues not closed (a few thousand of 100,000) holding the queue's order, `level_since`."""
    return models.Index(
        fields=fields,
        include=["level_since", "id"] if include is None else include,
        condition=~Q(status=Status.CLOSED.value),
        name=name,
    )


class Issue(models.Model):
    """An issue raised by a partner with JCP, or by JCP with an LA, and where it stands on its route."""

    FREE_TEXT = {
        "title": "title",
        "description": "long",
        "attempts_detail": ("short", "the attempts made"),
        "outcome": "long",
        "national_directorate": ("title", "the national directorate"),
    }

    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.ForeignKey(IssueCategory, on_delete=models.PROTECT, related_name="issues")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.TO_JCP)
    # Both indexed with the id, below (Meta.indexes).
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="issues", db_index=False)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="issues",
        db_index=False,
        verbose_name="Local Authority",
        help_text="Its nation's bank holidays decide the working days of the level targets.",
    )
    other_authorities = models.ManyToManyField(LocalAuthority, related_name="shared_issues", blank=True)
    originator = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="originated_issues")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.DAY_TO_DAY)
    attempts_made = models.BooleanField(
        "attempts made at the lowest operational level",
        default=False,
        help_text="Set when logged so, or once an attempt is recorded at the operational level.",
    )
    attempts_detail = models.TextField(blank=True)
    operational_contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="operational_issues", null=True, blank=True
    )
    la_manager_role = models.CharField(max_length=30, choices=LA_MANAGER_ROLES, blank=True)
    national_directorate = models.CharField(
        max_length=160, blank=True, help_text="The directorate's name as chosen, or the text given for “Other”."
    )
    directorate = models.ForeignKey(
        NationalDirectorate, on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    gateway_since = models.DateTimeField(
        null=True, blank=True, help_text="When the ODN referred it to the COO Gateway (the gateway target runs)."
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    level_since = models.DateTimeField(default=timezone.now, help_text="When the issue reached its current level.")
    outcome = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_days_to_resolution = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Every transition bumps it; a form carries the version its user saw, so a stale submission is refused.
    version = models.PositiveIntegerField(default=1)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # A user's scope by district and by LA (`_visible_issues`), read from the index alone: a list counts
            # a district's thousand issues and chooses its page of the newest without reading them.
            models.Index(fields=["district"], include=["id", "created_at"], name="issue_district_scope"),
            models.Index(fields=["local_authority"], include=["id", "created_at"], name="issue_authority_scope"),
            models.Index(fields=["status", "level"]),
            # The national statistics' spread of working days to resolution, read from the index alone.
            models.Index(
                fields=["working_days_to_resolution"],
                condition=Q(working_days_to_resolution__isnull=False),
                name="issue_resolved_working_days",
            ),
            # "Raised by me" on the queue, newest first, and its count: the few open issues a person raised, where
            # the creator's own index holds every issue they ever raised.
            models.Index(
                fields=["created_by", "created_at", "id"],
                condition=~Q(status=Status.CLOSED.value),
                name="issue_raised_open",
            ),
            # The national queue, in its order, and its count: a few hundred of 100,000 issues.
            models.Index(
                fields=["level_since", "id"],
                condition=Q(level__in=[Level.GPT.value, Level.ODN.value]) & ~Q(status=Status.CLOSED.value),
                name="issue_national_queue",
            ),
            # Who holds an open issue (`route.held_issue_keys`, the queue on every visit to the home page): each arm
            # of the held union, with the queue's order, read from the index alone; open issues are a few thousand.
            _open_issues(["district", "level"], name="issue_open_by_district"),
            _open_issues(["local_authority", "level", "la_manager_role"], name="issue_open_by_authority"),
            _open_issues(["operational_contact", "level"], name="issue_open_by_contact"),
            _open_issues(["level", "level_since", "id"], name="issue_open_by_level", include=[]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction=Direction.TO_JCP, level__in=[lv.value for lv in Level if lv != Level.LA_MANAGER])
                | Q(direction=Direction.TO_LA, level__in=[Level.OPERATIONAL.value, Level.LA_MANAGER.value]),
                name="issue_level_on_its_direction_route",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RESOLVED.value, Status.CLOSED.value])
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="issue_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED.value, closed_at__isnull=False)
                | (~Q(status=Status.CLOSED.value) & Q(closed_at__isnull=True)),
                name="issue_closed_when_communicated",
            ),
            models.CheckConstraint(
                condition=~Q(level=Level.LA_MANAGER.value) | ~Q(la_manager_role=""),
                name="issue_la_level_names_the_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Its events name the district and lead LA it was raised in, and who sees them is read from that
        # (`issue_event_arms`): an issue stays where it was raised.
        placed = getattr(self, "_placed", None)
        if placed is not None:
            now = (self.__dict__.get("district_id"), self.__dict__.get("local_authority_id"))
            if any(was is not None and is_ is not None and was != is_ for was, is_ in zip(placed, now, strict=True)):
                raise ValidationError(
                    "An issue stays in the district and with the lead Local Authority it was raised with."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_for("issue-detail", self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        issue = super().from_db(db, field_names, values)
        issue._placed = (issue.__dict__.get("district_id"), issue.__dict__.get("local_authority_id"))
        return issue

    @property
    def reference(self) -> str:
        return f"ISS-{self.pk:05d}" if self.pk else "ISS-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def stage(self) -> str:
        """The key of the working-day target that runs now: the level's, or the COO Gateway's once the ODN has
        referred the issue there."""
        if self.level == Level.ODN and self.gateway_since is not None:
            return LevelTarget.COO_GATEWAY
        return self.level

    @property
    def stage_label(self) -> str:
        if self.stage == LevelTarget.COO_GATEWAY:
            return f"COO Gateway, with {self.national_directorate}" if self.national_directorate else "COO Gateway"
        return self.level_label

    @property
    def level_label(self) -> str:
        return level_label(self.level, self.la_manager_role)


# Read once: `Level.values` and `Level(level)` build their answers afresh on every call, and lists call this per row.
_LEVEL_LABELS = dict(Level.choices)


def level_label(level: str, la_manager_role: str) -> str:
    """The level's name, naming which LA manager holds an issue at the LA manager level."""
    if level == Level.LA_MANAGER and la_manager_role:
        return f"LA {Role(la_manager_role).label.removeprefix('LA ')}"
    return _LEVEL_LABELS.get(level, level)


class StepKind(models.TextChoices):
    LOGGED = "logged", "Logged"
    REFERRED = "referred", "Referred to the operational contact"
    REREFERRED = "re-referred", "Re-referred to another operational contact"
    LA_ATTEMPT = "la-attempt", "The LA's own attempt to resolve it"
    GATEWAY = "gateway", "Referred to the COO Gateway"
    UPDATE = "update", "Update"
    ESCALATED = "escalated", "Escalated"
    RESOLVED = "resolved", "Resolved"
    COMMUNICATED = "communicated", "Outcome communicated"
    REOPENED = "reopened", "Reopened"


class IssueStepQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The issue timeline is append-only.")

    def delete(self):
        raise TypeError("The issue timeline is append-only.")


class IssueStep(models.Model):
    """One entry of an issue's timeline: who did what, when, why, and from which level to which."""

    FREE_TEXT = {"text": ("long", "the note"), "directorate": ("title", "the national directorate")}

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    text = models.TextField(blank=True)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    directorate = models.CharField(max_length=160, blank=True)
    # For communications: [{"name": ..., "email": ...}] exactly as sent.
    recipients = models.JSONField(default=list, blank=True)

    objects = IssueStepQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.issue.reference} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Timeline steps are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Timeline steps are append-only and cannot be deleted.")
