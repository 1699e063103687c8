from django.urls import path

from escalation import views

urlpatterns = [
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/export.csv", views.issue_export, name="issue-export"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("issues/queue/", views.my_queue, name="issue-queue"),
    path("issues/national/", views.national, name="issue-national"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/<slug:action>/", views.issue_action, name="issue-action"),
]
