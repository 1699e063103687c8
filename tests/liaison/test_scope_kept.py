"""A user's scope is kept between requests, and stops counting as soon as what it is made of changes.

Requests run outside any transaction, as these tests do (`transaction=True`); a scope read inside one is kept only
once it commits (the last test)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison import services
from liaison.models import RoleAssignment
from liaison.scoping import scope_for


def fresh(user):
    """The user as the next request reads them: a new object, without the scope of the last one."""
    return get_user_model().objects.get(pk=user.pk)


def roles_read(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        scope_for(user)
    return sum("liaison_roleassignment" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_next_request_reads_no_role_assignments(world):
    erm = world.users["erm"]
    first = scope_for(fresh(erm))
    again = fresh(erm)
    assert roles_read(again) == 0
    assert scope_for(again) == first and first.district_ids == {world.d1.pk}


@pytest.mark.django_db(transaction=True)
def test_a_role_ended_or_changed_counts_on_the_next_request(world):
    erm, gpt = world.users["erm"], world.users["gpt"]
    assert scope_for(fresh(erm)).district_ids == {world.d1.pk}
    assignment = RoleAssignment.objects.get(user=erm)
    services.role_change(actor=gpt, assignment=assignment, role=assignment.role, district=world.d3)
    assert scope_for(fresh(erm)).district_ids == {world.d3.pk}
    services.role_end(actor=gpt, assignment=RoleAssignment.objects.get(user=erm))
    ended = scope_for(fresh(erm))
    assert ended.district_ids == frozenset() and not ended.roles


@pytest.mark.django_db(transaction=True)
def test_an_la_joining_a_district_widens_its_managers_view(world):
    manager = world.users["la-manager"]
    assert scope_for(fresh(manager)).authority_district_ids == {world.d1.pk}
    world.la1.districts.add(world.d3)
    assert scope_for(fresh(manager)).authority_district_ids == {world.d1.pk, world.d3.pk}


@pytest.mark.django_db(transaction=True)
def test_a_district_moving_region_moves_with_the_regional_erm(world):
    regional = world.users["regional-erm"]
    assert world.d3.pk not in scope_for(fresh(regional)).district_ids
    world.d3.region = world.north
    world.d3.save()
    assert world.d3.pk in scope_for(fresh(regional)).district_ids


@pytest.mark.django_db(transaction=True)
def test_the_account_flags_are_read_afresh(world):
    erm = world.users["erm"]
    assert not scope_for(fresh(erm)).admin
    erm.is_superuser = True
    erm.save()
    assert scope_for(fresh(erm)).admin
    erm.is_active = False
    erm.save()
    assert not scope_for(fresh(erm)).roles


@pytest.mark.django_db(transaction=True)
def test_a_scope_read_in_a_transaction_that_rolls_back_is_not_kept(world):
    from django.db import transaction

    erm = world.users["erm"]
    assignment = RoleAssignment.objects.get(user=erm)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        assignment.district = world.d3
        assignment.save()
        assert scope_for(fresh(erm)).district_ids == {world.d3.pk}
        raise Undo
    assert scope_for(fresh(erm)).district_ids == {world.d1.pk}
