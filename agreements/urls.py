from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("verify/", views.verify, name="verify"),
    path("boards/<int:board_pk>/<slug:kind>/new/", views.document_prepare, name="document-prepare"),
    path("partnership/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("partnership/<int:pk>/evaluations/new/", views.evaluation_new, name="evaluation-new"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/new-version/", views.document_new_version, name="document-new-version"),
    path("<int:pk>/open-review/", views.document_review_open, name="document-review-open"),
    path("<int:pk>/signed.pdf", views.document_pdf, name="document-pdf"),
]
