from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("verify/", views.verify, name="verify"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/signed.pdf", views.document_pdf, name="document-pdf"),
]
