"""Loading the demo again creates only what is missing and never undoes or duplicates what users changed."""

import pytest
from django.core.management import call_command

from boards.models import Board, GoodPractice, TransitionAction

pytestmark = pytest.mark.django_db


def counts():
    return (Board.objects.count(), GoodPractice.objects.count(), TransitionAction.objects.count())


def test_loading_the_demo_again_keeps_what_users_changed():
    call_command("load_demo", "--no-scan", verbosity=0)
    first = counts()
    call_command("load_demo", "--no-scan", verbosity=0)
    assert counts() == first

    board = Board.objects.get(title="Greater Manchester Joint Board")
    board.title = "Greater Manchester and Salford Joint Board"
    board.meetings_per_year = 6
    board.save()
    GoodPractice.objects.filter(title="Monthly NINO trace clinic").update(title="NINO clinic (monthly)")
    GoodPractice.objects.get(title="Joint visits booked through one diary").delete()
    district = board.districts.order_by("name").first()
    TransitionAction.objects.filter(district=district).delete()
    item = TransitionAction.objects.exclude(district=district).filter(completed_on__isnull=True).first()
    item.note = "Chasing the LA"
    item.save()
    changed = counts()

    call_command("load_demo", "--no-scan", verbosity=0)

    assert counts() == changed
    board.refresh_from_db()
    assert (board.title, board.meetings_per_year) == ("Greater Manchester and Salford Joint Board", 6)
    assert not Board.objects.filter(title="Greater Manchester Joint Board").exists()
    assert not GoodPractice.objects.filter(
        title__in=["Monthly NINO trace clinic", "Joint visits booked through one diary"]
    ).exists()
    assert not TransitionAction.objects.filter(district=district).exists()
    item.refresh_from_db()
    assert (item.note, item.completed_on) == ("Chasing the LA", None)
