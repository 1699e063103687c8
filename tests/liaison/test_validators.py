"""No customer personal data gets in: the case reference rule, the NINO guard on free text, a board's own shape."""

import pytest
from django.core.exceptions import ValidationError

from liaison.validators import NoNino, case_reference_problem, nino_in, shape_pattern, shape_problems


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("John Smith", "person's name"),
        ("Mrs Jane Doe 1234", "person's name"),
        ("Smith", "person's name"),
        ("REF-AB123456C", "National Insurance number"),
        ("REFAB123456C", "National Insurance number"),
        ("AB 12 34 56 C", "National Insurance number"),
        ("ab123456", "National Insurance number"),
        ("CASE/AB 123456 C/1", "National Insurance number"),
        ("=1+2", "formula"),
        ('=HYPERLINK("http://e.x","y")', "formula"),
        ("+SUM(1;2)", "formula"),
        ("@cmd", "formula"),
        ("-42", "formula"),
        ("R 1", "one word"),
        ("R_1", "letters, digits, - and /"),
        ("CASE-REF", "at least one digit"),
        ("R" * 40 + "1", "40 characters"),
        ("", "Enter the case reference"),
    ],
)
def test_a_case_reference_that_is_not_a_reference_is_refused_with_the_reason(value, why):
    assert why in case_reference_problem(value)


@pytest.mark.parametrize("value", ["R-1", "HB2024123456", "CASE/2024/001", "A1", "12345", "X" * 39 + "9", "Smith1"])
def test_case_references_of_the_declared_shape_pass(value):
    assert case_reference_problem(value) is None


def test_the_nino_guard_finds_numbers_anywhere_in_free_text_and_names_the_field():
    assert nino_in("The customer AB 12 34 56 C rang twice")
    assert nino_in("ref:QQ123456C.")
    assert not nino_in("ISS-00012 went to the Regional ERM on 2 December 2026 (case HB2024123456)")
    guard = NoNino("the description")
    guard("Nothing personal here")
    with pytest.raises(ValidationError, match="from the description"):
        guard("See AB123456C")


def test_a_boards_shape_is_checked_and_narrows_references():
    assert shape_problems("HB/######, CTB-@@####", "HB/123456") == {}
    assert shape_pattern("HB/######, CTB-@@####").fullmatch("CTB-XY1234")
    assert not shape_pattern("HB/######").fullmatch("HB/12345")
    assert "shape" in shape_problems("HB/(.*)+$", "HB/1")
    assert "shape" in shape_problems("HB/@@@", "HB/ABC")
    assert shape_problems("HB/######", "HB/12")["example"] == "The example does not have the shape above"
    assert "person's name" in shape_problems("HB/######", "John Smith")["example"]
