"""Test data factories; reference rows (contact roles, categories) come from the seeded migration."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from liaison.models import Contact, ContactRole, District, LocalAuthority, Nation, Office, Region, Role
from liaison.services import role_assign


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    nation = Nation.ENGLAND


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")
    region = factory.SubFactory(RegionFactory)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        skip_postgeneration_save = True

    gss_code = factory.Sequence(lambda n: f"E0{n + 7000000:07d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    nation = Nation.ENGLAND

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"Office {n}")
    kind = Office.Kind.JOBCENTRE
    district = factory.SubFactory(DistrictFactory)


def role(code: str) -> ContactRole:
    return ContactRole.objects.get(code=code)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact Person {n}")
    role = factory.LazyFunction(lambda: role("district-performance-manager"))
    district = factory.SubFactory(DistrictFactory)
    phone = "0161 496 0000"
    email = factory.Sequence(lambda n: f"person{n}@jcp.example.gov.uk")
    last_confirmed = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    active_from = datetime.date(2020, 1, 1)


class LAContactFactory(ContactFactory):
    role = factory.LazyFunction(lambda: role("housing-benefit-manager"))
    district = None
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@liaison.example.gov.uk")
    password = factory.django.Password("liaison")


def user_with_role(role_value: str, *, district=None, region=None, local_authority=None, **kwargs):
    user = UserFactory(**kwargs)
    role_assign(user=user, role=role_value, district=district, region=region, local_authority=local_authority)
    return user


__all__ = [
    "ContactFactory",
    "DistrictFactory",
    "LAContactFactory",
    "LocalAuthorityFactory",
    "OfficeFactory",
    "RegionFactory",
    "Role",
    "UserFactory",
    "role",
    "user_with_role",
]
