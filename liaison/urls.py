from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from liaison import people_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(
        "favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}govuk/assets/images/favicon.ico", permanent=True)
    ),
    path("accounts/", views.account, name="account"),
    path("accounts/", include("allauth.urls")),
    path("people/", people_views.people_list, name="people-list"),
    path("people/<int:pk>/", people_views.person_detail, name="person-detail"),
    path("people/<int:pk>/roles/<int:assignment_pk>/change/", people_views.role_change, name="role-change"),
    path("people/<int:pk>/roles/<int:assignment_pk>/end/", people_views.role_end, name="role-end"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person-deactivate"),
    path("people/invite/", people_views.invitation_create, name="invitation-create"),
    path("people/invitations/", people_views.invitation_list, name="invitation-list"),
    path("people/invitations/<int:pk>/resend/", people_views.invitation_resend, name="invitation-resend"),
    path("people/invitations/<int:pk>/withdraw/", people_views.invitation_withdraw, name="invitation-withdraw"),
    path("invitations/<str:token>/", people_views.invitation_accept, name="invitation-accept"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("activity/", views.activity, name="activity"),
    path("activity/export.csv", views.activity_export, name="activity-export"),
    path("contacts/", views.contact_directory, name="contact-list"),
    path("contacts/export.csv", views.contact_export, name="contact-export"),
    path("contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/end/", views.contact_end, name="contact-end"),
    path("districts/", views.district_list, name="district-list"),
    path("districts/<slug:code>/", views.district_detail, name="district-detail"),
    path("districts/<slug:code>/confirm/", views.district_confirm, name="district-confirm"),
    path("authorities/<str:gss_code>/", views.authority_detail, name="authority-detail"),
    path("notifications/failed/", views.notifications_failed, name="notifications-failed"),
    path("account/notifications/", views.notification_preferences, name="notification-preferences"),
    path("account/calendar/replace/", views.calendar_feed_replace, name="calendar-feed-replace"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("", include("escalation.urls")),
    path("", include("monitoring.urls")),
    path("admin/", admin.site.urls),
    path("", include("boards.urls")),
    path("agreements/", include("agreements.urls")),
    path("", include("mi.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

handler403 = "liaison.views.handler403"
handler404 = "liaison.views.handler404"
handler500 = "liaison.views.handler500"
