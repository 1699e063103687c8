from django.urls import path

from mi import api, views
from mi.entry_urls import urlpatterns as entry_urlpatterns

app_name = "mi"

urlpatterns = [
    path("mi/", views.national, name="national"),
    path("mi/export.csv", views.national_export_csv, name="national-csv"),
    path("mi/export.xlsx", views.national_export_xlsx, name="national-xlsx"),
    path("boards/<int:pk>/mi/", views.board_pack, name="board-pack"),
    path("boards/<int:pk>/mi/pack.pdf", views.board_pack_pdf, name="board-pack-pdf"),
    path("api/mi/national/", api.NationalView.as_view(), name="api-national"),
    path("api/mi/boards/<int:pk>/", api.BoardPackView.as_view(), name="api-board-pack"),
    *entry_urlpatterns,
]
