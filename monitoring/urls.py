from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", views.home, name="home"),
    path("monitoring/standards/", views.standard_list, name="standard-list"),
    path("monitoring/standards/new/", views.national_standard_add, name="standard-add"),
    path("monitoring/standards/<int:pk>/", views.standard_detail, name="standard-detail"),
    path("monitoring/standards/<int:pk>/edit/", views.standard_edit, name="standard-edit"),
    path("monitoring/standards/<int:pk>/thresholds/new/", views.threshold_add, name="threshold-add"),
    path("monitoring/thresholds/<int:pk>/edit/", views.threshold_edit, name="threshold-edit"),
    path("monitoring/national/", views.national, name="national"),
    path("boards/<int:pk>/monitoring/standards/new/", views.local_standard_add, name="local-standard-add"),
    path("boards/<int:pk>/monitoring/", views.board_monitoring, name="board"),
    path("boards/<int:pk>/monitoring/areas/new/", views.area_add, name="area-add"),
    path("boards/<int:pk>/monitoring/case-references/", views.case_shape_edit, name="case-shape"),
    path("boards/<int:pk>/monitoring/report/<int:plan_pk>.pdf", views.plan_pdf, name="plan-pdf"),
    path("monitoring/plans/<int:pk>/confirm/", views.plan_confirm, name="plan-confirm"),
    path("monitoring/plans/<int:pk>/send/", views.plan_send, name="plan-send"),
    path("monitoring/areas/<int:pk>/exercises/new/", views.exercise_add, name="exercise-add"),
    path("monitoring/areas/<int:pk>/attest/", views.attest, name="attest"),
    path("monitoring/exercises/<int:pk>/", views.exercise_detail, name="exercise-detail"),
    path("monitoring/exercises/<int:pk>/upload/", views.exercise_upload, name="exercise-upload"),
    path(
        "monitoring/exercises/<int:pk>/cases.<str:kind>",
        views.exercise_cases_export,
        name="exercise-cases-export",
    ),
    path("monitoring/exercises/<int:pk>/complete/", views.exercise_complete, name="exercise-complete"),
    path("monitoring/samples/<int:pk>/close/", views.sample_close, name="sample-close"),
]
