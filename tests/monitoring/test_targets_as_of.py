"""A completed exercise keeps the targets in force when it was completed; an open one uses the current targets."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.alerts import scan_deadlines
from liaison.models import Alert
from monitoring import services
from monitoring.models import Exercise, Standard, Threshold
from monitoring.selectors import exercise_results, national_results, plan_results_text
from tests.boards.test_pages import pdf_text
from tests.monitoring.test_close_and_national import _samples

D = datetime.date
NOT_MET = "monitoring-standard-not-met"


def _result(exercise):
    [result] = exercise_results(Exercise.objects.filter(pk=exercise.pk))
    return result


def _rows(exercise):
    return [(row.label, row.within, row.decided, row.met) for row in _result(exercise).rows]


def _completed(setup, code="ADM-2", days=(1, 1, 3), **kwargs):
    # Sampled in the first half of 2024, so later exercises of the same area can be sampled in the months after.
    if "area" not in kwargs:
        kwargs.setdefault("sampled_from", D(2024, 1, 8))
        kwargs.setdefault("sampled_to", D(2024, 1, 12))
    exercise = setup.exercise(code, **kwargs)
    _samples(setup, exercise, list(days))
    return services.exercise_complete(actor=setup.monitor, exercise=exercise)


def _second(setup, first, days=(1, 1, 3), month=2):
    """Another exercise of the same area, sampled a month later, with cases taking the same working days."""
    exercise = setup.exercise(
        area=first.area, sampled_from=D(2024, month, 5), sampled_to=D(2024, month, 9), throughput=100
    )
    _samples(setup, exercise, list(days))
    return exercise


def _change(setup, code, days, percent, new_days=None):
    threshold = Threshold.objects.get(standard=setup.standard(code), days=days)
    return services.threshold_change(
        actor=setup.users["gpt"], threshold=threshold, percent=percent, days=new_days or days
    )


def test_changing_a_threshold_leaves_a_completed_exercise_judged_as_it_was(setup, client):
    completed = _completed(setup)  # 2 of 3 within 2 days (66.7%): 90% not met; 3 of 3 within 5 days
    judged = [
        ("90% within 2 working days", 2, 3, False),
        ("100% within 5 working days", 3, 3, True),
    ]
    assert _rows(completed) == judged
    assert scan_deadlines(codes=[NOT_MET]).raised == 1
    plan = completed.area.plan
    text_before = plan_results_text(plan)
    changed = _change(setup, "ADM-2", days=2, percent=60, new_days=3)
    assert Threshold.history.filter(id=changed.pk).latest("history_date").history_date > completed.completed_at
    open_one = _second(setup, completed)

    # The completed exercise: same rows, same alert; the open one uses the new target (and its new days).
    assert _rows(completed) == judged and _result(completed).met is False
    assert _rows(open_one) == [
        ("60% within 3 working days", 3, 3, True),
        ("100% within 5 working days", 3, 3, True),
    ]
    scan = scan_deadlines(codes=[NOT_MET])
    assert (scan.raised, scan.cleared) == (0, 0)
    assert Alert.objects.open().get(check_code=NOT_MET).title.endswith("ADM-2 not met for Authority One")

    # What a meeting is sent, the board page, the exercise page and the PDF.
    text = plan_results_text(plan)
    assert text_before in text
    assert "  90% within 2 working days: 2 of 3 (66.7%), NOT met" in text
    assert "  60% within 3 working days: 3 of 3 (100.0%), met" in text
    client.force_login(setup.users["la-manager"])
    board_page = client.get(reverse("monitoring:board", args=[setup.board.pk])).content.decode()
    assert "90% within 2 working days" in board_page and "60% within 3 working days" in board_page
    page = client.get(completed.get_absolute_url()).content.decode()
    assert "90% within 2 working days and 100% within 5 working days: the target in force when" in page
    assert "Not met" in page
    page = client.get(open_one.get_absolute_url()).content.decode()
    assert "(60% within 3 working days and 100% within 5 working days)" in page and "Not met" not in page
    pdf = pdf_text(client.get(reverse("monitoring:plan-pdf", args=[setup.board.pk, plan.pk])))
    assert "90% within 2 working days" in pdf and "60% within 3 working days" in pdf and "Not met" in pdf


def test_a_threshold_added_after_completion_applies_only_to_exercises_still_open(setup):
    completed = _completed(setup, days=(0, 1, 3))
    services.threshold_add(actor=setup.users["gpt"], standard=setup.standard("ADM-2"), percent=50, days=1)
    open_one = _second(setup, completed, days=(0, 1, 3))
    assert [row.label for row in _result(completed).rows] == [
        "90% within 2 working days",
        "100% within 5 working days",
    ]
    assert _rows(open_one)[0] == ("50% within 1 working day", 2, 3, True)
    assert _result(completed).targets.label == "90% within 2 working days and 100% within 5 working days"


def test_a_changed_compliance_target_leaves_a_completed_exercise_judged_as_it_was(setup):
    exercise = setup.exercise("ADM-8", sampled_from=D(2024, 1, 8), sampled_to=D(2024, 1, 12))
    for n, compliant in enumerate((True, False)):
        services.sample_add(
            actor=setup.monitor, exercise=exercise, case_reference=f"C-{n}", started_on=D(2024, 1, 8),
            ended_on=D(2024, 1, 9), compliant=compliant,
        )  # fmt: skip
    completed = services.exercise_complete(actor=setup.monitor, exercise=exercise)
    # No page changes a compliance target yet; its history records a change made all the same.
    standard = setup.standard("ADM-8")
    standard.compliance_target = 50
    standard.save()
    assert Standard.history.filter(id=standard.pk).count() >= 2
    open_one = setup.exercise(area=completed.area, sampled_from=D(2024, 2, 5), sampled_to=D(2024, 2, 9))
    services.sample_add(
        actor=setup.monitor, exercise=open_one, case_reference="C-0", started_on=D(2024, 2, 5), compliant=True
    )
    services.sample_add(
        actor=setup.monitor, exercise=open_one, case_reference="C-1", started_on=D(2024, 2, 5), compliant=False
    )
    [row] = _result(completed).rows
    assert (row.target_percent, row.percent, row.met) == (100, 50.0, False)
    [row] = _result(open_one).rows
    assert (row.target_percent, row.percent, row.met) == (50, 50.0, True)


def test_national_results_use_the_targets_of_the_last_completed_exercise_or_the_current_ones(setup):
    first = _completed(setup)
    start = first.area.plan.period_start
    gpt = setup.users["gpt"]

    def labels():
        return [table.label for table in national_results(gpt, start)]

    _change(setup, "ADM-2", days=2, percent=60)
    # Changed after the period's only exercise was completed: the period keeps its targets.
    assert labels() == ["90% within 2 working days", "100% within 5 working days"]
    second = _second(setup, first)
    # An exercise still open: the current targets, as on its own page.
    assert labels() == ["60% within 2 working days", "100% within 5 working days"]
    services.exercise_complete(actor=setup.monitor, exercise=second)
    _change(setup, "ADM-2", days=2, percent=70)
    # Completed under 60%, before the change to 70%: the targets in force when the last one was completed.
    [two, _five] = national_results(gpt, start)
    assert two.label == "60% within 2 working days"
    assert [(r.board_title, r.result.within, r.result.decided, r.result.met) for r in two.rows][-1] == (
        "All regions", 4, 6, True,
    )  # fmt: skip


def test_targets_history_is_read_in_a_fixed_number_of_queries(setup, django_assert_max_num_queries):
    first = _completed(setup)
    _completed(setup, "ADM-8", days=())
    with CaptureQueriesContext(connection) as before:
        exercise_results(Exercise.objects.all())
    completed, adm3 = [first], setup.area("ADM-3", on=D(2024, 1, 8))
    for n in range(1, 5):
        _change(setup, "ADM-2", days=2, percent=90 - n)
        _change(setup, "ADM-3", days=5, percent=100 - n)
        completed.append(services.exercise_complete(actor=setup.monitor, exercise=_second(setup, first, month=n + 1)))
        _completed(setup, area=adm3, days=(1, 7), sampled_from=D(2024, n, 1), sampled_to=D(2024, n, 5))
    services.threshold_add(actor=setup.users["gpt"], standard=setup.standard("ADM-2"), percent=50, days=1)
    still_open = _second(setup, first, month=6)
    assert Threshold.history.filter(standard__code="ADM-2").count() >= 7
    with django_assert_max_num_queries(len(before.captured_queries)):
        results = {result.exercise.pk: result for result in exercise_results(Exercise.objects.all())}
    # Each completed exercise kept the 2-day target in force when it was completed; the open one has today's.
    assert [results[e.pk].rows[0].target_percent for e in completed] == [90, 89, 88, 87, 86]
    assert [row.label for row in results[still_open.pk].rows] == [
        "50% within 1 working day",
        "86% within 2 working days",
        "100% within 5 working days",
    ]


def test_the_standard_page_says_completed_exercises_keep_their_targets(setup, client):
    client.force_login(setup.users["gpt"])
    page = client.get(reverse("monitoring:standard-detail", args=[setup.standard("ADM-2").pk])).content.decode()
    assert "A completed exercise keeps the targets in force when it was completed" in page


def test_before_the_history_starts_the_first_recorded_targets_stand_in_and_a_deleted_threshold_still_counts(setup):
    completed = _completed(setup)
    # Completed before the catalogue's history was recorded (as when its migration ran after the exercise).
    Exercise.objects.filter(pk=completed.pk).update(completed_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC))
    _change(setup, "ADM-2", days=2, percent=60)
    # Thresholds are not deleted by any page; were one deleted, exercises completed before keep it.
    Threshold.objects.get(standard=setup.standard("ADM-2"), days=5).delete()
    open_one = _second(setup, completed)
    assert [row[0] for row in _rows(completed)] == ["90% within 2 working days", "100% within 5 working days"]
    assert [row[0] for row in _rows(open_one)] == ["60% within 2 working days"]
