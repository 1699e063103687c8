"""Who may read an event about a thing: the same rule as for the thing itself, which its app registers.

`register_event_subject("boards.meeting", lambda user: Meeting.objects.visible_to(user))`, from the app's
`AppConfig.ready()`, makes every event whose subject is a meeting visible exactly to those who can see the meeting.
Events about things no app registered (alerts, confirmations) fall back to the district and LA they name.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

SubjectScope = Callable[..., QuerySet]

_subjects: dict[str, SubjectScope] = {}


def register_event_subject(label: str, visible: SubjectScope) -> None:
    """`label` is the subject model's `app_label.modelname`; `visible(user)` returns what the user may see."""
    _subjects[label] = visible


def registered_subjects() -> dict[str, SubjectScope]:
    return dict(_subjects)
