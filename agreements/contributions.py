"""What agreements adds to the board page (boards never imports this app)."""

from __future__ import annotations

from django.template.loader import render_to_string

from boards.panels import register_board_panel
from liaison.querysets import kept_query


def board_panel(request, board) -> str:
    from agreements.models import DocumentStatus, SigningDocument
    from agreements.signing import can_prepare

    # Asked on every visit to a board's page, with SQL that depends on the board alone: kept compiled.
    documents = kept_query(
        ("agreements.board-documents", board.pk, 10),
        lambda: (
            SigningDocument.objects.filter(board_id=board.pk)
            .exclude(status=DocumentStatus.SUPERSEDED)
            .select_related("signing_authority")
            .order_by("-period_start", "kind")[:10]
        ),
    ).rows()
    for document in documents:
        # Its label names the board ("on behalf of all LAs of ..."): the board in hand, not one query per document.
        document.board = board
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
    register_local_agreements()


def register_local_agreements() -> None:
    """The register on the board page, what a meeting agreed on its page and minutes, and the request procedures
    in force on the LA and district pages."""
    from boards.panels import register_meeting_panel
    from liaison.network_panels import register_network_panel

    register_board_panel(41, local_agreements_panel, name="local-agreements")
    register_meeting_panel(10, agreed_at_meeting, name="local-agreements")
    register_network_panel(10, request_procedures, name="request-procedures")


def local_agreements_panel(request, board) -> str:
    from agreements import signing
    from agreements.models import LocalAgreement, LocalAgreementStatus

    # The panel names each current agreement, its kind, version and status (the register page shows the rest): one
    # query of those, kept compiled (the board as the key), rather than the register with its places prefetched.
    current = kept_query(
        ("agreements.board-current-local", board.pk),
        lambda: (
            LocalAgreement.objects.filter(
                board_id=board.pk, status__in=[LocalAgreementStatus.PROPOSED, LocalAgreementStatus.AGREED]
            )
            .order_by("kind", "title", "-version")
            .only("pk", "board_id", "title", "kind", "version", "status")
        ),
    ).rows()
    return render_to_string(
        "agreements/local/_board_panel.html",
        {"board": board, "current": current, "can_keep": signing.can_keep_register(request.user, board)},
        request=request,
    )


def agreed_at_meeting(request, meeting, pdf) -> str:
    from agreements.models import LocalAgreement

    agreed = list(LocalAgreement.objects.filter(agreed_at=meeting).order_by("kind", "title"))
    if not agreed:
        return ""
    return render_to_string(
        "agreements/local/_meeting_panel.html", {"agreed": agreed, "pdf": pdf, "meeting": meeting}, request=request
    )


def request_procedures(request, *, authority=None, district=None) -> str:
    from agreements import selectors

    procedures = list(selectors.procedures_in_force(user=request.user, authority=authority, district=district))
    place = authority or district
    return render_to_string(
        "agreements/local/_procedures_panel.html", {"procedures": procedures, "place": place}, request=request
    )
