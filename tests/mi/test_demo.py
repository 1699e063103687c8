"""The demo holds eight quarters of figures for every LA and district, one district's last quarter incomplete, and
a Joint Board's pack shows them."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.models import District, LocalAuthority
from mi.demo import INCOMPLETE_DISTRICT, QUARTERS
from mi.models import Figure, Measure
from mi.periods import Quarter

pytestmark = pytest.mark.django_db


def test_demo_has_eight_quarters_of_figures_for_every_organisation(client):
    call_command("load_demo", "--no-scan", verbosity=0)
    count = Figure.objects.count()
    call_command("load_demo", "--no-scan", verbosity=0)
    assert Figure.objects.count() == count

    quarters = Quarter.last_complete(timezone.localdate()).back(QUARTERS)
    la_measures = Measure.objects.filter(side="la").count()
    jcp_measures = Measure.objects.filter(side="jcp").count()
    for authority in LocalAuthority.objects.all():
        for quarter in quarters:
            assert authority.mi_figures.filter(quarter_start=quarter.start).count() == la_measures, authority
    for district in District.objects.all():
        for quarter in quarters:
            entered = district.mi_figures.filter(quarter_start=quarter.start).count()
            short = district.code == INCOMPLETE_DISTRICT and quarter == quarters[-1]
            assert entered == (1 if short else jcp_measures), (district, quarter)
    current = Quarter.containing(timezone.localdate())
    assert not Figure.objects.filter(quarter_start=current.start).exists()
    assert not Figure.history.filter(history_user__isnull=True).exists()

    from django.contrib.auth import get_user_model

    from boards.models import Board

    client.force_login(get_user_model().objects.get(username="erm"))
    board = Board.objects.get(title="Greater Manchester Joint Board")
    pack = client.get(f"/boards/{board.pk}/mi/").context["pack"]
    assert pack.measure_blocks and all(
        values[-1] is not None for block in pack.measure_blocks for _, values in block.organisations
    )
