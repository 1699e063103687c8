from django.urls import path

from mi import views
from mi.entry_urls import urlpatterns as entry_urlpatterns

app_name = "mi"

urlpatterns = [
    path("mi/", views.national, name="national"),
    *entry_urlpatterns,
]
