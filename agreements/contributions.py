"""What agreements adds to the board page (boards never imports this app)."""

from __future__ import annotations

from django.template.loader import render_to_string

from boards.panels import register_board_panel


def board_panel(request, board) -> str:
    from agreements.models import DocumentStatus, SigningDocument
    from agreements.signing import can_prepare

    documents = (
        SigningDocument.objects.filter(board=board)
        .exclude(status=DocumentStatus.SUPERSEDED)
        .select_related("signing_authority")
        .order_by("-period_start", "kind")[:10]
    )
    from agreements.selectors import board_readers, current_agreement

    agreement = current_agreement()
    readers = board_readers(board=board, agreement=agreement) if agreement else []
    return render_to_string(
        "agreements/_board_panel.html",
        {
            "board": board,
            "documents": documents,
            "can_prepare": can_prepare(request.user, board),
            "agreement": agreement,
            "readers": readers,
            "unread": sum(1 for reader in readers if reader.acknowledged_at is None),
        },
        request=request,
    )


def register() -> None:
    register_board_panel(40, board_panel, name="agreements")
