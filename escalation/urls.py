from django.urls import path

from escalation import views

urlpatterns = [
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/export.csv", views.issue_export, name="issue-export"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("issues/queue/", views.my_queue, name="issue-queue"),
    path("issues/national/", views.national, name="issue-national"),
    path("issues/directorates/", views.directorate_list, name="issue-directorates"),
    path("issues/directorates/add/", views.directorate_add, name="issue-directorate-add"),
    path("issues/directorates/<int:pk>/", views.directorate_edit, name="issue-directorate-edit"),
    path("issues/directorates/<int:pk>/retire/", views.directorate_retire, name="issue-directorate-retire"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/<slug:action>/", views.issue_action, name="issue-action"),
]
