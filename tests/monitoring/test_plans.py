import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring import services
from monitoring.models import Area, Plan, Standard, StandardKind


def test_fewer_than_three_areas_cannot_be_confirmed(setup):
    setup.area("ADM-1")
    area = setup.area("ADM-2")
    with pytest.raises(ValidationError):
        services.plan_confirm(actor=setup.monitor, plan=area.plan)
    assert Plan.objects.get(pk=area.plan.pk).confirmed_at is None
    setup.area("ADM-8")
    plan = services.plan_confirm(actor=setup.monitor, plan=area.plan)
    assert plan.confirmed_at is not None and plan.confirmed_by == setup.monitor


def test_an_area_names_a_local_risk(setup):
    with pytest.raises(ValidationError) as raised:
        services.area_select(
            actor=setup.monitor, board=setup.board, standard=setup.standard("ADM-1"), local_risk=" ",
            monitor=setup.monitor,
        )  # fmt: skip
    assert "local_risk" in raised.value.message_dict
    assert not Area.objects.exists()


def test_attestation_standards_are_attested_not_sampled(setup):
    area = setup.area("ARR-1")
    with pytest.raises(ValidationError):
        setup.exercise(area=area)
    with pytest.raises(ValidationError, match="administration or fraud"):
        services.attestation_record(actor=setup.monitor, area=area, statement="Contacts confirmed")
    attestation = services.attestation_record(
        actor=setup.monitor, area=area, statement="Contacts confirmed", part="admin"
    )
    assert attestation.attested_by == setup.monitor
    fraud = services.attestation_record(actor=setup.monitor, area=area, statement="FIS contacts current", part="fraud")
    assert {a.get_part_display() for a in (attestation, fraud)} == {"Administration", "Fraud"}
    # A standard attested whole takes no part.
    whole = services.attestation_record(actor=setup.monitor, area=setup.area("ARR-2"), statement="LHA", part="fraud")
    assert whole.part == ""


def test_catalogue_is_seeded_with_thresholds(setup):
    adm2 = setup.standard("ADM-2")
    assert [(t.percent, t.days) for t in adm2.thresholds.all()] == [(90, 2), (100, 5)]
    assert adm2.target_label == "90% within 2 working days and 100% within 5 working days"
    assert Standard.objects.national().count() == 12
    assert setup.standard("ADM-8").kind == StandardKind.COMPLIANCE


def test_local_standard_by_board_and_catalogue_by_gpt_only(setup):
    local = services.standard_create(
        actor=setup.users["erm"], code="loc-1", title="Local post", kind="timeliness", thresholds=[(95, 3)],
        board=setup.board,
    )  # fmt: skip
    assert local.code == "LOC-1" and local.is_local
    with pytest.raises(PermissionDenied):
        services.standard_create(actor=setup.users["erm"], code="NAT-9", title="National", kind="attestation")
    national = services.standard_create(actor=setup.users["gpt"], code="NAT-9", title="National", kind="attestation")
    assert national.board is None
