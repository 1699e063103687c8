"""Who may read an event about a thing: the same rule as for the thing itself, which its app registers.

`register_event_subject("boards.meeting", lambda user: Meeting.objects.visible_to(user))`, from the app's
`AppConfig.ready()`, makes every event whose subject is a meeting visible exactly to those who can see the meeting.
Events about things no app registered (alerts, confirmations) fall back to the district and LA they name.

An app whose events always name their subject's own district and LA, which the subject never changes, may give
`arms`: the same rule written on the events' own columns (which the events' covering indexes answer), so that the
trail does not first list every thing the user sees and then look up each one's events.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

SubjectScope = Callable[..., QuerySet]
# arms(user, events) -> the querysets of `events` (those about the subject) the user sees, whose union is the rule.
SubjectArms = Callable[..., list[QuerySet]]

_subjects: dict[str, SubjectScope] = {}
_per_request: set[str] = set()
_arms: dict[str, SubjectArms] = {}


def register_event_subject(
    label: str, visible: SubjectScope, *, per_request: bool = False, arms: SubjectArms | None = None
) -> None:
    """`label` is the subject model's `app_label.modelname`; `visible(user)` returns what the user may see.

    The SQL of every scope is kept for the user and their scope (`EventQuerySet.visible_to`), so `visible` must
    build its queryset from the user and `scope_for(user)` alone, as subqueries: reading the database or the clock
    while building it would be kept too. A scope that must (one that evaluates a list first) is registered
    `per_request` and built afresh on each request; reading the database otherwise raises.

    `arms(user, events)`, where given, is used instead of "the subject is one of `visible(user)`": it must select
    exactly the same events (its app's tests compare the two), from the user and their scope alone."""
    _subjects[label] = visible
    if per_request:
        _per_request.add(label)
    else:
        _per_request.discard(label)
    if arms is not None:
        _arms[label] = arms
    else:
        _arms.pop(label, None)


def registered_subjects() -> dict[str, SubjectScope]:
    return dict(_subjects)


def per_request_subjects() -> frozenset[str]:
    return frozenset(_per_request)


def subject_arms() -> dict[str, SubjectArms]:
    return dict(_arms)
