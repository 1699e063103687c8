"""Role assignments: scope must match the role, and each role's Django group follows the assignments."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liaison.models import Role, RoleAssignment
from liaison.services import role_assign, user_groups_sync
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.ERM, {}, "district"),
        (Role.LA_BENEFITS_MANAGER, {"district": "d1"}, "local_authority"),
        (Role.REGIONAL_ERM, {"district": "d1"}, "region"),
        (Role.GPT, {"district": "d1"}, "district"),
    ],
)
def test_a_role_must_be_tied_to_its_kind_of_scope(world, role, scope, field):
    user = UserFactory()
    kwargs = {key: getattr(world, value) for key, value in scope.items()}
    with pytest.raises(ValidationError) as error:
        role_assign(user=user, role=role, **kwargs)
    assert field in error.value.message_dict
    assert not RoleAssignment.objects.filter(user=user).exists()
    # The database refuses it too, whoever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, **kwargs)


@pytest.mark.django_db
def test_assigning_twice_keeps_one_row_and_the_group_follows(world):
    user = UserFactory()
    role_assign(user=user, role=Role.GPT)
    role_assign(user=user, role=Role.GPT)
    role_assign(user=user, role=Role.ERM, district=world.d1)
    assert RoleAssignment.objects.filter(user=user).count() == 2
    assert set(user.groups.values_list("name", flat=True)) == {
        "Governmental Partnerships Team",
        "District External Relations Manager",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.GPT)

    RoleAssignment.objects.filter(user=user, role=Role.GPT).delete()
    user_groups_sync(user=user)
    assert set(user.groups.values_list("name", flat=True)) == {"District External Relations Manager"}


@pytest.mark.django_db
def test_administrators_get_the_admin_site(world, client):
    admin = world.users["admin"]
    admin.refresh_from_db()
    assert admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/liaison/contact/").status_code == 200
    client.force_login(world.users["gpt"])
    assert client.get("/admin/liaison/contact/").status_code == 302
