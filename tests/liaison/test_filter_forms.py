"""A list's filter fields are rendered once per state and reused (liaison/templatetags/filter_forms.py): the reused
HTML must be exactly what a fresh rendering gives, and anything that changes the options or values renders anew."""

import re

import pytest
from django.urls import reverse

from liaison.templatetags import filter_forms


@pytest.fixture(autouse=True)
def empty_store():
    filter_forms._rendered.clear()
    yield
    filter_forms._rendered.clear()


def _filters(page: str) -> str:
    return re.search(r'<form method="get" class="liaison-filters".*?</form>', page, re.S).group(0)


@pytest.mark.django_db
def test_the_reused_form_is_the_form_rendered_afresh(world, client):
    client.force_login(world.users["erm"])
    first = _filters(client.get(reverse("issue-list")).content.decode())
    assert len(filter_forms._rendered) == 1
    again = _filters(client.get(reverse("issue-list")).content.decode())
    assert again == first
    assert len(filter_forms._rendered) == 1
    filter_forms._rendered.clear()
    assert _filters(client.get(reverse("issue-list")).content.decode()) == first


@pytest.mark.django_db
def test_a_renamed_authority_shows_its_new_name_at_once(world, client):
    client.force_login(world.users["erm"])
    assert "Authority One" in _filters(client.get(reverse("issue-list")).content.decode())
    world.la1.name = "Authority Renamed"
    world.la1.save()
    filters = _filters(client.get(reverse("issue-list")).content.decode())
    assert "Authority Renamed" in filters and "Authority One" not in filters


@pytest.mark.django_db
def test_each_scope_gets_its_own_options(world, client):
    client.force_login(world.users["erm"])
    erm = _filters(client.get(reverse("issue-list")).content.decode())
    client.force_login(world.users["gpt"])
    gpt = _filters(client.get(reverse("issue-list")).content.decode())
    assert "Authority Three" in gpt and "Authority Three" not in erm
    assert len(filter_forms._rendered) == 2


@pytest.mark.django_db
def test_the_values_sent_are_kept_and_errors_are_never_reused(world, client):
    client.force_login(world.users["erm"])
    chosen = _filters(client.get(reverse("issue-list"), {"district": "d1"}).content.decode())
    assert re.search(r'<option value="d1" selected>', chosen)
    plain = _filters(client.get(reverse("issue-list")).content.decode())
    assert not re.search(r'<option value="d1" selected>', plain)
    stored = len(filter_forms._rendered)
    wrong = client.get(reverse("issue-list"), {"status": "bogus"}).content.decode()
    assert "Select a valid choice" in _filters(wrong)
    assert len(filter_forms._rendered) == stored


@pytest.mark.django_db
def test_the_store_keeps_the_most_recently_used(world, client, monkeypatch):
    monkeypatch.setattr(filter_forms, "KEEP", 2)
    client.force_login(world.users["erm"])
    for age in ("week", "month", "quarter", "older"):
        client.get(reverse("issue-list"), {"age": age})
    assert len(filter_forms._rendered) == 2
    client.get(reverse("issue-list"), {"age": "older"})
    assert len(filter_forms._rendered) == 2


@pytest.mark.django_db
def test_a_choosers_digest_is_kept_for_a_while_then_taken_again(world, client, monkeypatch, django_assert_num_queries):
    from django.http import QueryDict

    from escalation.filters import IssueFilter
    from escalation.models import Issue

    filter_forms._digests.clear()
    erm = world.users["erm"]

    def key():
        return filter_forms._key(IssueFilter(QueryDict(""), queryset=Issue.objects.none(), user=erm))

    first = key()
    with django_assert_num_queries(0):
        assert key() == first
    # Rows changed behind the signals' back (a bulk update) show once the digest is older than DIGEST_SECONDS.
    type(world.la1).objects.filter(pk=world.la1.pk).update(name="Authority Updated")
    assert key() == first
    now = filter_forms._clock()
    monkeypatch.setattr(filter_forms, "_clock", lambda: now + filter_forms.DIGEST_SECONDS + 1)
    assert key() != first


@pytest.mark.django_db
def test_saving_a_chooser_row_forgets_only_that_tables_digests(world):
    from django.http import QueryDict

    from escalation.filters import IssueFilter
    from escalation.models import Issue

    filter_forms._digests.clear()
    filter_forms._key(IssueFilter(QueryDict(""), queryset=Issue.objects.none(), user=world.users["erm"]))
    models = {model for model, _, _ in filter_forms._digests.values()}
    assert type(world.la1) in models and len(models) == 3
    world.la1.save()
    assert type(world.la1) not in {model for model, _, _ in filter_forms._digests.values()}
    assert len(filter_forms._digests) == 2
    world.la1.districts.add(world.d2)
    assert filter_forms._digests == {}


@pytest.mark.django_db
def test_a_choosers_sql_is_compiled_once_for_each_scope(world, client, monkeypatch):
    from django.db.models.sql.query import Query

    filter_forms._chooser_sql.clear()
    compiled = []
    real = Query.sql_with_params
    monkeypatch.setattr(Query, "sql_with_params", lambda query: compiled.append(query.model) or real(query))
    for username in ("erm", "erm", "la-manager", "erm"):
        client.force_login(world.users[username])
        client.get(reverse("issue-list"))
    # Three choosers (district, LA, category) for each of the two scopes; the user's scope is in the key.
    keys = [key for key in filter_forms._chooser_sql.held() if key[1] == "district"]
    assert len(keys) == 2
    assert sum(1 for model in compiled if model._meta.model_name == "district") == 2
