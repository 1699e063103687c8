"""Free text that others read holds no National Insurance number and no pasted file: refused in the form with a
message that says where, and refused by the model whoever writes it (DESIGN.md "Data protection"; PA 3.1.2)."""

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from boards.models import GoodPractice, Meeting
from liaison.validators import TEXT_LIMITS, checks_free_text
from tests.boards.factories import MeetingFactory, board_for

NINO = "The customer QQ 12 34 56 C rang twice"

# Text fields written by Liaison itself or by GPT's reference data, never typed by a partner about a case; every
# other TextField of the apps must be guarded, so that a new one cannot slip past unnoticed.
UNGUARDED_TEXT = {
    "agreements.SigningDocument.content",  # composed from the statement's fields, each guarded
    "liaison.IssueCategory.example",
    "liaison.Alert.detail",
    "liaison.Notification.body",  # an email Liaison composed from guarded fields
    "liaison.Notification.failure_reason",  # the mail server's or Notify's answer
}


def test_every_text_field_of_the_apps_is_guarded_or_known_to_be_written_by_liaison():
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in {"liaison", "boards", "escalation", "monitoring", "agreements", "mi"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        declared = getattr(model, "FREE_TEXT", {})
        for name, spec in declared.items():
            kind = spec[0] if isinstance(spec, tuple) else spec
            assert kind in TEXT_LIMITS, (model, name)
            model._meta.get_field(name)
        for field in model._meta.get_fields():
            label = f"{model._meta.label}.{field.name}"
            if isinstance(field, models.TextField) and field.name not in declared and label not in UNGUARDED_TEXT:
                missing.append(label)
    assert missing == []


def test_the_form_decorator_limits_and_guards_without_touching_the_parent_form():
    class Parent(forms.Form):
        note = forms.CharField(required=False)

    @checks_free_text(note=("short", "the progress note"))
    class Child(Parent):
        pass

    form = Child({"note": NINO})
    assert not form.is_valid()
    assert form.errors["note"] == [
        "Remove the National Insurance number from the progress note: Liaison must hold no customer's personal "
        "data. Refer to the case by its reference instead."
    ]
    form = Child({"note": "x" * (TEXT_LIMITS["short"] + 1)})
    assert form.errors["note"] == ["The progress note must be 2,000 characters or fewer"]
    assert Child({"note": "x" * TEXT_LIMITS["short"]}).is_valid()
    assert Parent({"note": NINO}).is_valid()


@pytest.mark.django_db
def test_the_model_refuses_a_nino_or_an_overlong_text_whoever_saves_it(world):
    meeting = MeetingFactory(board=board_for(world))
    with pytest.raises(ValidationError) as refused:
        GoodPractice.objects.create(board=meeting.board, title="Shared inbox", description=NINO)
    assert "from the description" in refused.value.message_dict["description"][0]
    meeting.minutes = "m" * (TEXT_LIMITS["minutes"] + 1)
    with pytest.raises(ValidationError, match="The minutes must be 50,000 characters or fewer"):
        meeting.save()
    assert not GoodPractice.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).minutes == ""


@pytest.mark.django_db
def test_minutes_and_good_practice_are_guarded_on_their_pages(world, client):
    board = board_for(world)
    meeting = MeetingFactory(board=board)
    client.force_login(world.users["erm"])
    response = client.post(reverse("boards:minutes-edit", args=[board.pk, meeting.pk]), {"minutes": NINO})
    assert "Remove the National Insurance number from the minutes" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    response = client.post(
        reverse("boards:good-practice-add", args=[board.pk]),
        {"title": "Shared inbox", "description": "x" * (TEXT_LIMITS["long"] + 1)},
    )
    assert "The description must be 10,000 characters or fewer" in response.content.decode()
    assert not GoodPractice.objects.exists()
