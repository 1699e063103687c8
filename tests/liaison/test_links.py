"""`path_for` writes the same address `reverse` does, for every view whose page is one thing's."""

import pytest
from django.urls import NoReverseMatch, reverse

from liaison.links import path_for, path_for_code

VIEWS = [
    "contact-detail",
    "issue-detail",
    "boards:board-detail",
    "monitoring:exercise-detail",
    "agreements:agreement-detail",
    "agreements:document-detail",
    "agreements:local-detail",
    "monitoring:board",
]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("pk", [1, 42, 99_955, 10**12])
def test_the_same_address_reverse_writes(viewname, pk):
    assert path_for(viewname, pk) == reverse(viewname, args=[pk])


def test_a_view_that_takes_no_id_is_refused():
    with pytest.raises(NoReverseMatch):
        path_for("home", 1)


def test_a_deployment_under_a_sub_path_keeps_its_prefix():
    from django.urls import set_script_prefix

    try:
        set_script_prefix("/liaison/")
        assert path_for("issue-detail", 7) == reverse("issue-detail", args=[7]) == "/liaison/issues/7/"
    finally:
        set_script_prefix("/")
    assert path_for("issue-detail", 7) == "/issues/7/"


def test_only_ids():
    with pytest.raises(ValueError):
        path_for("contact-detail", "1/../../admin")


@pytest.mark.parametrize(
    ("viewname", "code"),
    [("district-detail", "greater-manchester-central"), ("district-detail", "d1"), ("authority-detail", "E08000003")],
)
def test_codes_are_written_as_reverse_writes_them(viewname, code):
    assert path_for_code(viewname, code) == reverse(viewname, args=[code])


def test_a_code_with_other_characters_is_left_to_reverse():
    # reverse() quotes it (or refuses it where the pattern does not take it): nothing unquoted reaches an address.
    quoted = path_for_code("authority-detail", "a b")
    assert quoted == reverse("authority-detail", args=["a b"]) == "/authorities/a%20b/"
    with pytest.raises(NoReverseMatch):
        path_for_code("district-detail", "../admin")
