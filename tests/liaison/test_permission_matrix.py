"""Every role against every page and object kind of the liaison network: each sees exactly its scope."""

import csv
import io

import pytest
from django.urls import reverse

from liaison.models import Contact, District, LocalAuthority, Region
from tests.factories import ContactFactory, LAContactFactory

ALL = "all"

# role -> (districts, authorities, contacts) it may see, by the keys of `network` below.
VISIBLE = {
    "erm": ({"d1"}, {"la1", "la12"}, {"c_d1", "c_la1", "c_la12"}),
    "district-manager": ({"d1"}, {"la1", "la12"}, {"c_d1", "c_la1", "c_la12"}),
    "monitor": ({"d1"}, {"la1", "la12"}, {"c_d1", "c_la1", "c_la12"}),
    "la-manager": ({"d1"}, {"la1"}, {"c_d1", "c_la1"}),
    "la-fraud": ({"d1"}, {"la1"}, {"c_d1", "c_la1"}),
    "regional-erm": ({"d1", "d2"}, {"la1", "la12", "la2"}, {"c_d1", "c_d2", "c_la1", "c_la12", "c_la2"}),
    "odn": (ALL, ALL, ALL),
    "gpt": (ALL, ALL, ALL),
    "admin": (ALL, ALL, ALL),
}

EDITABLE = {
    "erm": {"c_d1", "c_la1", "c_la12"},
    "district-manager": set(),
    "monitor": set(),
    "la-manager": {"c_la1"},
    "la-fraud": {"c_la1"},
    "regional-erm": {"c_d1", "c_d2", "c_la1", "c_la12", "c_la2"},
    "odn": set(),
    "gpt": set(),
    "admin": ALL,
}

ROLES = list(VISIBLE)


@pytest.fixture
def network(world):
    objects = {
        "d1": world.d1,
        "d2": world.d2,
        "d3": world.d3,
        "la1": world.la1,
        "la12": world.la12,
        "la2": world.la2,
        "la3": world.la3,
        "c_d1": ContactFactory(name="Jcp One", district=world.d1),
        "c_d2": ContactFactory(name="Jcp Two", district=world.d2),
        "c_d3": ContactFactory(name="Jcp Three", district=world.d3),
        "c_la1": LAContactFactory(name="La One", local_authority=world.la1),
        "c_la12": LAContactFactory(name="La Straddle", local_authority=world.la12),
        "c_la2": LAContactFactory(name="La Two", local_authority=world.la2),
        "c_la3": LAContactFactory(name="La Three", local_authority=world.la3),
    }
    return objects


def _expected(keys, prefix, network):
    every = {key for key in network if key.startswith(prefix)}
    return every if keys == ALL else {key for key in keys if key.startswith(prefix)}


def _keys(objects, network):
    reverse_map = {(type(obj), obj.pk): key for key, obj in network.items()}
    return {reverse_map[(type(obj), obj.pk)] for obj in objects}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_querysets_match_the_matrix(role, world, network):
    user = world.users[role]
    districts, authorities, contacts = VISIBLE[role]
    assert _keys(District.objects.visible_to(user), network) == _expected(districts, "d", network)
    assert _keys(LocalAuthority.objects.visible_to(user), network) == _expected(authorities, "la", network)
    assert _keys(Contact.objects.visible_to(user), network) == _expected(contacts, "c_", network)
    assert _keys(Contact.objects.editable_by(user), network) == _expected(EDITABLE[role], "c_", network)
    regions = set(Region.objects.visible_to(user).values_list("code", flat=True))
    assert regions == ({"north", "south"} if districts == ALL else {"north"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_pages_match_the_matrix(role, world, network, client):
    client.force_login(world.users[role])
    districts, authorities, contacts = VISIBLE[role]
    for key in ("d1", "d2", "d3"):
        response = client.get(reverse("district-detail", args=[network[key].code]))
        assert response.status_code == (200 if key in _expected(districts, "d", network) else 404), key
    for key in ("la1", "la12", "la2", "la3"):
        response = client.get(reverse("authority-detail", args=[network[key].gss_code]))
        assert response.status_code == (200 if key in _expected(authorities, "la", network) else 404), key
    visible_contacts = _expected(contacts, "c_", network)
    for key in (k for k in network if k.startswith("c_")):
        response = client.get(reverse("contact-detail", args=[network[key].pk]))
        assert response.status_code == (200 if key in visible_contacts else 404), key

    directory = client.get(reverse("contact-list")).content.decode()
    shown = {key for key in network if key.startswith("c_") and network[key].name in directory}
    assert shown == visible_contacts

    export = b"".join(client.get(reverse("contact-export")).streaming_content).decode("utf-8-sig")
    exported = {row["Name"] for row in csv.DictReader(io.StringIO(export))}
    assert exported == {network[key].name for key in visible_contacts}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_edit_pages_match_the_matrix(role, world, network, client):
    client.force_login(world.users[role])
    editable = _expected(EDITABLE[role], "c_", network)
    visible = _expected(VISIBLE[role][2], "c_", network)
    for key in (k for k in network if k.startswith("c_")):
        expected = 200 if key in editable else 403 if key in visible else 404
        for name in ("contact-edit", "contact-end"):
            response = client.get(reverse(name, args=[network[key].pk]))
            assert response.status_code == expected, (name, key)
    may_add = role in {"erm", "la-manager", "la-fraud", "regional-erm", "admin"}
    assert client.get(reverse("contact-create")).status_code == (200 if may_add else 403)
    for key in ("d1", "d2", "d3"):
        response = client.get(reverse("district-confirm", args=[network[key].code]))
        may_edit = role in {"erm", "regional-erm", "admin"} and (
            role == "admin" or key in _expected(VISIBLE[role][0], "d", network)
        )
        in_scope = key in _expected(VISIBLE[role][0], "d", network)
        assert response.status_code == (200 if may_edit else 403 if in_scope else 404), key


@pytest.mark.django_db
def test_another_las_contacts_cannot_be_changed_by_posting(world, network, client):
    client.force_login(world.users["la-manager"])
    before = network["c_la12"].phone
    response = client.post(
        reverse("contact-edit", args=[network["c_la12"].pk]),
        {"name": "Taken Over", "role": network["c_la12"].role_id, "organisation": f"la:{world.la1.pk}"},
    )
    assert response.status_code == 404
    network["c_la12"].refresh_from_db()
    assert network["c_la12"].name == "La Straddle"
    assert network["c_la12"].phone == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/contacts/", "/contacts/export.csv", "/districts/", "/districts/d1/", "/authorities/E08000101/"],
)
def test_anonymous_users_are_sent_to_sign_in(url, world, network, client):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# People and access: who each role sees on /people/, and where it may invite, resend and withdraw -------------------

# A person holding a role at each place; role -> the places whose people and invitations it manages.
PLACES = {
    "p_d1": ("monitoring-officer", "d1"),
    "p_d2": ("monitoring-officer", "d2"),
    "p_d3": ("monitoring-officer", "d3"),
    "p_la1": ("la-fraud-manager", "la1"),
    "p_la12": ("la-fraud-manager", "la12"),
    "p_la2": ("la-fraud-manager", "la2"),
    "p_la3": ("la-fraud-manager", "la3"),
    "p_north": ("regional-erm", "north"),
    "p_south": ("regional-erm", "south"),
    "p_national": ("odn", None),
}
MANAGES = {
    "erm": {"p_d1", "p_la1", "p_la12"},
    "district-manager": None,
    "monitor": None,
    "la-manager": {"p_la1"},
    "la-fraud": None,
    "regional-erm": {"p_d1", "p_d2", "p_la1", "p_la12", "p_la2", "p_north"},
    "odn": None,
    "gpt": set(PLACES),
    "admin": set(PLACES),
}


def _place_kwargs(world, place):
    role_value, where = PLACES[place]
    thing = getattr(world, where) if where else None
    field = {"monitoring-officer": "district", "la-fraud-manager": "local_authority", "regional-erm": "region"}
    return role_value, ({field[role_value]: thing} if thing is not None else {})


@pytest.fixture
def people(world):
    from tests.factories import user_with_role

    found = {}
    for place in PLACES:
        role_value, kwargs = _place_kwargs(world, place)
        found[place] = user_with_role(role_value, username=f"person-{place}", **kwargs)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_people_pages_match_the_matrix(client, role, world, people):
    client.force_login(world.users[role])
    manages = MANAGES[role]
    response = client.get("/people/")
    if manages is None:
        assert response.status_code == 403
        assert client.get("/people/invite/").status_code == 403
        assert client.get("/people/invitations/").status_code == 403
        return
    page = response.content.decode()
    shown = {place for place, person in people.items() if person.email in page}
    assert shown == manages
    for place, person in people.items():
        assert client.get(f"/people/{person.pk}/").status_code == (200 if place in manages else 404), place


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_invitation_actions_match_the_matrix(role, world, smtp_server):
    from django.core.exceptions import ValidationError

    from liaison import services
    from liaison.models import Invitation

    manages = MANAGES[role] or set()
    actor = world.users[role]
    for place in PLACES:
        role_value, kwargs = _place_kwargs(world, place)
        if place in manages:
            services.invitation_create(
                actor=actor, email=f"{place}@example.gov.uk", name="Invited Person", role=role_value, **kwargs
            )
        else:
            with pytest.raises(ValidationError):
                services.invitation_create(
                    actor=actor, email=f"{place}@example.gov.uk", name="Invited Person", role=role_value, **kwargs
                )
    assert {i.email.split("@")[0] for i in Invitation.objects.all()} == manages
    # Every invitation, made by GPT, against this role's resend and withdraw.
    gpt = world.users["gpt"]
    Invitation.objects.all().delete()
    invitations = {}
    for place in PLACES:
        role_value, kwargs = _place_kwargs(world, place)
        invitations[place], _ = services.invitation_create(
            actor=gpt, email=f"g-{place}@example.gov.uk", name="Invited Person", role=role_value, **kwargs
        )
    from django.test import Client

    client = Client()
    client.force_login(actor)
    for place, invitation in invitations.items():
        assert (client.post(f"/people/invitations/{invitation.pk}/resend/").status_code == 302) == (place in manages)
        assert (client.post(f"/people/invitations/{invitation.pk}/withdraw/").status_code == 302) == (place in manages)
        invitation.refresh_from_db()
        assert (invitation.withdrawn_at is not None) == (place in manages), place
