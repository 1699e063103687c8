from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("verify/", views.verify, name="verify"),
    path("partnership/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("partnership/<int:pk>/evaluations/new/", views.evaluation_new, name="evaluation-new"),
    path("partnership/<int:pk>/text/", views.agreement_text, name="agreement-text"),
    path("partnership/<int:pk>/text.pdf", views.agreement_text_pdf, name="agreement-text-pdf"),
    path("partnership/<int:pk>/differences/", views.agreement_differences, name="agreement-differences"),
    path("partnership/<int:pk>/new-version/", views.agreement_version_prepare, name="agreement-version-prepare"),
    path(
        "partnership/<int:pk>/sections/<int:section_pk>/edit/",
        views.agreement_section_edit,
        name="agreement-section-edit",
    ),
    path("partnership/<int:pk>/publish/", views.agreement_publish, name="agreement-publish"),
    path("partnership/<int:pk>/acknowledge/", views.agreement_acknowledge, name="agreement-acknowledge"),
    path("boards/<int:board_pk>/local/", views.local_register, name="local-register"),
    path("boards/<int:board_pk>/local/new/", views.local_new, name="local-new"),
    path("local/<int:pk>/", views.local_detail, name="local-detail"),
    path("local/<int:pk>/new-version/", views.local_revise, name="local-revise"),
    path("local/<int:pk>/agree/", views.local_agree, name="local-agree"),
    path("local/<int:pk>/withdraw/", views.local_withdraw, name="local-withdraw"),
    path("local/<int:pk>/requests/new/", views.procedure_add, name="procedure-add"),
    path("local/<int:pk>/invoke/", views.contingency_invoke, name="contingency-invoke"),
    path(
        "local/<int:pk>/invocations/<int:invocation_pk>/stand-down/",
        views.contingency_stand_down,
        name="contingency-stand-down",
    ),
    path("national-steer/", views.national_steer, name="national-steer"),
    path("boards/<int:board_pk>/<slug:kind>/new/", views.document_prepare, name="document-prepare"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/new-version/", views.document_new_version, name="document-new-version"),
    path("<int:pk>/open-review/", views.document_review_open, name="document-review-open"),
    path("<int:pk>/signed.pdf", views.document_pdf, name="document-pdf"),
]
