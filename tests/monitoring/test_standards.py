"""Local standards (PA 3.1.6), the catalogue kept by GPT, thresholds with their history, FRD-2 without a target."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.models import Event
from monitoring import services
from monitoring.models import Area, Standard, Threshold
from tests.boards.factories import board_for
from tests.monitoring.test_pages import MATRIX, user_for

D = datetime.date

LOCAL = {"code": "loc-1", "title": "Post opened the same day", "kind": "timeliness", "percent_1": "95", "days_1": "1"}

# Who keeps the national catalogue.
KEEPERS = {"gpt", "admin"}


def local_standard(setup, **kwargs):
    data = {"code": "LOC-1", "title": "Local post", "kind": "timeliness", "thresholds": [(95, 3)], **kwargs}
    return services.standard_create(actor=setup.monitor, board=setup.board, **data)


def test_a_board_adds_a_local_standard_with_two_thresholds(setup, client):
    client.force_login(setup.monitor)
    url = reverse("monitoring:local-standard-add", args=[setup.board.pk])
    response = client.post(url, {**LOCAL, "percent_2": "100", "days_2": "5"})
    standard = Standard.objects.get(board=setup.board)
    assert response.status_code == 302 and response.url == reverse("monitoring:standard-detail", args=[standard.pk])
    assert standard.code == "LOC-1"
    assert standard.target_label == "95% within 1 working day and 100% within 5 working days"
    assert Event.objects.filter(kind="monitoring.standard-created").count() == 1
    page = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
    assert "Local standards" in page and "LOC-1: Post opened the same day" in page
    # Only this board can choose it as an area, and it can.
    form_page = client.get(reverse("monitoring:area-add", args=[setup.board.pk])).content.decode()
    assert "LOC-1: Post opened the same day" in form_page
    area = services.area_select(
        actor=setup.monitor, board=setup.board, standard=standard, local_risk="Post", monitor=setup.monitor
    )
    assert area.standard == standard


def test_local_compliance_and_attestation_standards(setup):
    compliance = local_standard(setup, code="LOC-C", kind="compliance", thresholds=[], compliance_target=95)
    assert compliance.target_label == "95% compliant"
    attestation = local_standard(setup, code="LOC-A", kind="attestation", thresholds=[])
    assert attestation.target_label == "Attestation, no sample"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"percent_1": "", "days_1": ""}, "percent_1", "at least one threshold"),
        ({"days_1": ""}, "days_1", "Enter the working days for the first threshold"),
        ({"percent_1": "101"}, "percent_1", "from 1 to 100"),
        ({"days_1": "0"}, "days_1", "from 1 to 365"),
        ({"days_1": "two"}, "days_1", "whole number"),
        ({"percent_2": "100", "days_2": "1"}, "days_2", "different number of working days from the first"),
        ({"code": "ADM-1"}, "code", "national standard's code"),
        ({"code": "LOC-0"}, "code", "already has a local standard LOC-0"),
        ({"code": ""}, "code", "Enter a short code"),
        ({"title": " "}, "title", "Enter what the standard measures"),
        ({"kind": "compliance", "percent_1": "", "days_1": ""}, "compliance_target", "share of cases that must comply"),
        ({"kind": "attestation"}, "percent_1", "Only a timeliness standard"),
        ({"kind": "other"}, "kind", "Select a valid choice"),
    ],
)
def test_a_bad_local_standard_is_refused_with_a_clear_message(setup, client, data, field, message):
    local_standard(setup, code="LOC-0")
    client.force_login(setup.monitor)
    response = client.post(reverse("monitoring:local-standard-add", args=[setup.board.pk]), {**LOCAL, **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    content = response.content.decode()
    assert "govuk-error-summary" in content and content.count("<title>Error: ") == 1
    typed = data.get("code", LOCAL["code"])
    assert not typed or f'value="{typed}"' in content  # what was typed is shown again
    assert (
        Standard.objects.filter(board=setup.board).count() == 1
        and Threshold.objects.filter(standard__board=setup.board).count() == 1
    )


def test_local_standards_are_shown_only_to_those_who_see_the_board(setup, client):
    local_standard(setup)
    other_board = board_for(setup.world, district=setup.world.d3, authority=setup.world.la3, title="Board Three")
    services.standard_create(
        actor=setup.users["admin"], board=other_board, code="FAR-1", title="Far away", kind="attestation"
    )
    # role -> (sees the board's LOC-1, sees district three's FAR-1)
    expectations = {
        "la-manager": (True, False), "outsider": (False, True), "gpt": (True, True), "monitor": (True, False),
    }  # fmt: skip
    for role, (sees_loc, sees_far) in expectations.items():
        client.force_login(user_for(setup, role))
        page = client.get(reverse("monitoring:standard-list")).content.decode()
        assert ("LOC-1" in page, "FAR-1" in page) == (sees_loc, sees_far), role
        assert "ADM-2" in page
        detail = client.get(reverse("monitoring:standard-detail", args=[Standard.objects.get(code="LOC-1").pk]))
        assert detail.status_code == (200 if sees_loc else 404), role


def test_the_catalogue_is_kept_by_gpt_alone(setup):
    adm2 = setup.standard("ADM-2")
    for role in ("erm", "monitor", "regional-erm", "odn", "district-manager"):
        with pytest.raises(PermissionDenied):
            services.threshold_add(actor=setup.users[role], standard=adm2, percent=100, days=10)
        with pytest.raises(PermissionDenied):
            services.threshold_change(actor=setup.users[role], threshold=adm2.thresholds.first(), percent=80, days=2)
    assert [(t.percent, t.days) for t in adm2.thresholds.all()] == [(90, 2), (100, 5)]


def test_gpt_changes_a_national_threshold_and_the_history_keeps_the_old_one(setup, client):
    adm1 = setup.standard("ADM-1")
    threshold = adm1.thresholds.get()
    client.force_login(setup.users["gpt"])
    response = client.post(reverse("monitoring:threshold-edit", args=[threshold.pk]), {"percent": "95", "days": "3"})
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert (threshold.percent, threshold.days) == (95, 3)
    versions = list(Threshold.history.filter(id=threshold.pk).order_by("history_date").values_list("percent", "days"))
    assert versions[0] == (100, 2) and versions[-1] == (95, 3)
    page = client.get(reverse("monitoring:standard-detail", args=[adm1.pk])).content.decode()
    assert "100% within 2 working days" in page and "95% within 3 working days" in page
    assert "Changed" in page and "Seeded from the Partnership Agreement" in page
    event = Event.objects.get(kind="monitoring.threshold-changed")
    assert "100% within 2 working days changed to 95% within 3 working days" in event.summary


def test_a_threshold_change_refused_changes_nothing(setup, client):
    adm2 = setup.standard("ADM-2")
    two = adm2.thresholds.get(days=2)
    client.force_login(setup.users["gpt"])
    url = reverse("monitoring:threshold-edit", args=[two.pk])
    for data, field in [({"percent": "90", "days": "5"}, "days"), ({"percent": "0", "days": "2"}, "percent")]:
        response = client.post(url, data)
        assert response.status_code == 200 and field in response.context["form"].errors
    assert [(t.percent, t.days) for t in adm2.thresholds.all()] == [(90, 2), (100, 5)]
    assert Threshold.history.filter(standard_id=adm2.pk).count() == 2


def test_frd2_has_no_measurable_target_until_it_gets_a_threshold(setup, client):
    frd2 = setup.standard("FRD-2")
    assert not frd2.has_target and frd2.target_label == "No measurable target yet"
    client.force_login(setup.monitor)
    standards_page = client.get(reverse("monitoring:standard-list")).content.decode()
    assert "No measurable target yet" in standards_page
    detail = client.get(reverse("monitoring:standard-detail", args=[frd2.pk])).content.decode()
    assert "No board can choose it as an area until it has a threshold" in detail
    area_page = client.get(reverse("monitoring:area-add", args=[setup.board.pk]))
    assert "FRD-2" not in {str(choice[1]) for choice in area_page.context["form"].fields["standard"].choices}
    response = client.post(
        reverse("monitoring:area-add", args=[setup.board.pk]),
        {"standard": frd2.pk, "local_risk": "Files lost", "monitor": setup.monitor.pk},
    )
    assert response.status_code == 200 and "standard" in response.context["form"].errors
    with pytest.raises(ValidationError) as raised:
        setup.area("FRD-2")
    assert "no measurable target yet" in raised.value.message_dict["standard"][0]
    assert not Area.objects.exists()

    client.force_login(setup.users["gpt"])
    response = client.post(reverse("monitoring:threshold-add", args=[frd2.pk]), {"percent": "95", "days": "10"})
    assert response.status_code == 302
    assert setup.area("FRD-2").standard.target_label == "95% within 10 working days"


def test_gpt_adds_a_national_standard_without_a_target(setup, client):
    client.force_login(setup.users["gpt"])
    assert "Add a national standard" in client.get(reverse("monitoring:standard-list")).content.decode()
    response = client.post(
        reverse("monitoring:standard-add"), {"code": "adm-9", "title": "Locally agreed timings", "kind": "timeliness"}
    )
    assert response.status_code == 302
    standard = Standard.objects.get(code="ADM-9")
    assert standard.board is None and not standard.has_target
    response = client.post(reverse("monitoring:threshold-add", args=[standard.pk]), {"percent": "90", "days": "abc"})
    assert response.status_code == 200 and "whole number" in response.context["form"].errors["days"][0]
    assert not standard.thresholds.exists()


def test_thresholds_belong_to_timeliness_standards(setup, client):
    client.force_login(setup.users["gpt"])
    assert client.get(reverse("monitoring:threshold-add", args=[setup.standard("ADM-8").pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.threshold_add(actor=setup.users["gpt"], standard=setup.standard("ARR-1"), percent=90, days=2)


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix_of_the_standards_pages(setup, client, role):
    local = local_standard(setup)
    local_threshold = local.thresholds.get()
    national = setup.standard("ADM-1")
    national_threshold = national.thresholds.get()
    client.force_login(user_for(setup, role))
    sees, edits = MATRIX[role]
    keeps = role in KEEPERS
    refused_local = 403 if sees else 404

    assert client.get(reverse("monitoring:standard-detail", args=[national.pk])).status_code == 200
    assert client.get(reverse("monitoring:standard-detail", args=[local.pk])).status_code == (200 if sees else 404)
    gets = {
        reverse("monitoring:local-standard-add", args=[setup.board.pk]): 200 if edits else refused_local,
        reverse("monitoring:threshold-add", args=[local.pk]): 200 if edits else refused_local,
        reverse("monitoring:threshold-edit", args=[local_threshold.pk]): 200 if edits else refused_local,
        reverse("monitoring:standard-add"): 200 if keeps else 403,
        reverse("monitoring:threshold-add", args=[national.pk]): 200 if keeps else 403,
        reverse("monitoring:threshold-edit", args=[national_threshold.pk]): 200 if keeps else 403,
        reverse("monitoring:standard-edit", args=[local.pk]): 200 if edits else refused_local,
        reverse("monitoring:standard-edit", args=[national.pk]): 200 if keeps else 403,
    }
    for url, status in gets.items():
        assert client.get(url).status_code == status, url

    posts = [
        (reverse("monitoring:local-standard-add", args=[setup.board.pk]), {**LOCAL, "code": "LOC-2"}, edits,
         refused_local),
        (reverse("monitoring:threshold-add", args=[local.pk]), {"percent": "100", "days": "6"}, edits, refused_local),
        (reverse("monitoring:threshold-edit", args=[local_threshold.pk]), {"percent": "90", "days": "3"}, edits,
         refused_local),
        (reverse("monitoring:standard-add"), {"code": "NAT-1", "title": "National", "kind": "attestation"}, keeps, 403),
        (reverse("monitoring:threshold-add", args=[national.pk]), {"percent": "100", "days": "9"}, keeps, 403),
        (reverse("monitoring:threshold-edit", args=[national_threshold.pk]), {"percent": "99", "days": "2"},
         keeps, 403),
        (reverse("monitoring:standard-edit", args=[local.pk]), {"title": "Local post, reworded"}, edits,
         refused_local),
        (reverse("monitoring:standard-edit", args=[national.pk]), {"title": "LA input documents, reworded"}, keeps,
         403),
    ]  # fmt: skip
    for url, data, allowed, refused in posts:
        assert client.post(url, data).status_code == (302 if allowed else refused), url
    assert Standard.objects.filter(code="LOC-2").exists() is edits
    assert local.thresholds.filter(days=6).exists() is edits
    assert Threshold.objects.get(pk=local_threshold.pk).percent == (90 if edits else 95)
    assert Standard.objects.filter(code="NAT-1").exists() is keeps
    assert national.thresholds.filter(days=9).exists() is keeps
    assert national.thresholds.get(days=2).percent == (99 if keeps else 100)
    assert (Standard.objects.get(pk=local.pk).title == "Local post, reworded") is edits
    assert (Standard.objects.get(pk=national.pk).title == "LA input documents, reworded") is keeps


def test_a_national_standard_cannot_take_a_code_a_board_already_uses(setup):
    local_standard(setup, code="LOC-9")
    with pytest.raises(ValidationError, match="local standard already uses LOC-9"):
        services.standard_create(
            actor=setup.users["gpt"], board=None, code="loc-9", title="National post", kind="attestation"
        )
    assert Standard.objects.filter(code="LOC-9").count() == 1


def test_gpt_changes_a_compliance_target_and_completed_exercises_keep_theirs(setup, client):
    from monitoring import selectors
    from monitoring.models import Exercise

    completed = setup.exercise("ADM-8", throughput=40)
    for n, compliant in enumerate([True, True, False]):
        services.sample_add(
            actor=setup.monitor, exercise=completed, case_reference=f"C-{n}", started_on=D(2024, 1, 8),
            ended_on=D(2024, 1, 9), compliant=compliant,
        )  # fmt: skip
    services.exercise_complete(actor=setup.monitor, exercise=completed)
    adm8 = setup.standard("ADM-8")
    url = reverse("monitoring:standard-edit", args=[adm8.pk])

    client.force_login(setup.users["gpt"])
    # Bad input is refused, shown again and changes nothing.
    response = client.post(url, {"title": "", "compliance_target": "101"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter what the standard measures" in page and 'value="101"' in page
    assert Standard.objects.get(pk=adm8.pk).compliance_target == 100

    assert client.post(url, {"title": adm8.title, "compliance_target": "60"}).status_code == 302
    assert Standard.objects.get(pk=adm8.pk).compliance_target == 60
    assert Event.objects.get(kind="monitoring.standard-changed").summary == (
        "ADM-8: compliance target 100% changed to 60%"
    )
    open_one = setup.exercise("ADM-8", area=completed.area, throughput=40)
    services.sample_add(
        actor=setup.monitor, exercise=open_one, case_reference="O-1", started_on=D(2024, 1, 8),
        ended_on=D(2024, 1, 9), compliant=True,
    )  # fmt: skip
    results = {r.exercise.pk: r for r in selectors.exercise_results(Exercise.objects.filter(area=completed.area))}
    assert results[completed.pk].rows[0].target_percent == 100 and results[completed.pk].met is False
    assert results[open_one.pk].rows[0].target_percent == 60 and results[open_one.pk].met is True
