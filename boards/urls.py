from django.urls import include, path
from rest_framework.routers import SimpleRouter

from boards import api, views

app_name = "boards"

router = SimpleRouter()
router.register("boards", api.BoardViewSet, basename="api-board")

urlpatterns = [
    path("boards/", views.board_list, name="board-list"),
    path("boards/new/", views.board_create, name="board-create"),
    path("boards/index/", views.national_index, name="index"),
    path("boards/index/export.csv", views.index_export_csv, name="index-csv"),
    path("boards/index/export.xlsx", views.index_export_xlsx, name="index-xlsx"),
    path("boards/index/export.pdf", views.index_export_pdf, name="index-pdf"),
    path("boards/chairs.csv", views.chairs_csv, name="chairs-csv"),
    path("boards/<int:pk>/", views.board_detail, name="board-detail"),
    path("boards/<int:pk>/edit/", views.board_update, name="board-update"),
    path("boards/<int:pk>/status/", views.board_status, name="board-status"),
    path("boards/<int:pk>/agree/", views.board_district_confirm, name="board-district-confirm"),
    path("boards/<int:pk>/return/", views.return_form, name="return"),
    path("boards/<int:pk>/return.pdf", views.return_pdf, name="return-pdf"),
    path("boards/<int:pk>/returns/<int:return_pk>.pdf", views.return_pdf_one, name="return-pdf-one"),
    path("boards/<int:pk>/good-practice/new/", views.good_practice_add, name="good-practice-add"),
    path("boards/<int:pk>/meetings/new/", views.meeting_schedule, name="meeting-schedule"),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/", views.meeting_detail, name="meeting-detail"),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/agenda/new/", views.agenda_item_add, name="agenda-item-add"),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/agenda/<int:item_pk>/move/",
        views.agenda_item_move,
        name="agenda-item-move",
    ),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/propose/", views.agenda_proposal_add, name="agenda-propose"),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/proposals/<int:proposal_pk>/",
        views.agenda_proposal_decide,
        name="agenda-proposal-decide",
    ),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/minutes/circulate/",
        views.minutes_circulate,
        name="minutes-circulate",
    ),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/minutes/comment/", views.minutes_comment, name="minutes-comment"),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/held/", views.meeting_hold, name="meeting-hold"),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/change/", views.meeting_move, name="meeting-move"),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/minutes/", views.minutes_edit, name="minutes-edit"),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/approve-previous-minutes/",
        views.minutes_approve,
        name="minutes-approve",
    ),
    path("boards/<int:pk>/meetings/<int:meeting_pk>/actions/new/", views.action_add, name="action-add"),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/agenda.pdf",
        views.meeting_pdf,
        {"kind": "agenda"},
        name="agenda-pdf",
    ),
    path(
        "boards/<int:pk>/meetings/<int:meeting_pk>/minutes.pdf",
        views.meeting_pdf,
        {"kind": "minutes"},
        name="minutes-pdf",
    ),
    path("boards/<int:pk>/actions/<int:action_pk>/", views.action_update, name="action-update"),
    path("boards/moving-on/<slug:code>/", views.transition, name="transition"),
    path("boards/moving-on/<slug:code>/start/", views.transition_seed, name="transition-seed"),
    path("boards/moving-on/<slug:code>/<int:item_pk>/", views.transition_complete, name="transition-complete"),
    path("good-practice/", views.good_practice, name="good-practice"),
    path("good-practice/developments/", views.developments, name="developments"),
    path("api/", include(router.urls)),
]
