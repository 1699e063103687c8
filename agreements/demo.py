"""Demo agreements (`manage.py load_demo`): the 2008-2011 Partnership Agreement, a Statement of Intent signed by
both and sealed, one awaiting the LA's signature, one signed on behalf of all LAs of a board, and an End of Year
Sign-off in progress (its statement chosen, then signed, by the LA Benefits Manager).

Idempotent: each demo document is keyed on its board, kind, signing LA and period in the history table, so a
document a user has since changed or replaced is never created again.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.models import Agreement, DocumentKind, Side, SigningDocument, YearStatement
from boards.models import Board
from liaison.demo import register_demo_loader
from liaison.models import LocalAuthority

logger = logging.getLogger(__name__)

BOARD = "Greater Manchester Joint Board"
# (kind, signing LA GSS code, on behalf of all, first April, statement the first signer chooses, then signers)
DOCUMENTS = [
    (
        DocumentKind.STATEMENT_OF_INTENT,
        "E08000003",
        False,
        2008,
        "",
        [("la-manager", Side.LA), ("district-manager", Side.JCP)],
    ),
    (DocumentKind.STATEMENT_OF_INTENT, "E08000003", False, 2009, "", [("district-manager", Side.JCP)]),
    (
        DocumentKind.STATEMENT_OF_INTENT,
        "E08000006",
        True,
        2010,
        "",
        [("district-manager", Side.JCP), ("la-manager-salford", Side.LA)],
    ),
    (DocumentKind.END_OF_YEAR, "E08000003", False, 2008, YearStatement.BEST_ABILITY, [("la-manager", Side.LA)]),
]


@register_demo_loader(200, "agreements")
def load_agreements_demo(today: datetime.date) -> dict[str, int]:
    created = {"agreements": 0, "signing documents": 0, "signatures": 0}
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["gpt", "erm", "district-manager", "la-manager", "la-manager-salford"]
        )
    }
    board = Board.objects.filter(title=BOARD).first()
    if board is None or "erm" not in users or "gpt" not in users:
        return created
    agreement = Agreement.objects.filter(version="FINAL VERSION 1.0").first()
    if agreement is None and not Agreement.history.filter(version="FINAL VERSION 1.0").exists():
        agreement = services.agreement_create(
            actor=users["gpt"],
            version="FINAL VERSION 1.0",
            title="Partnership Agreement for Benefit Administration, Security & Fraud",
            period_start=datetime.date(2008, 4, 1),
            period_end=datetime.date(2011, 3, 31),
        )
        created["agreements"] += 1
    if agreement is None:
        return created
    for kind, gss, on_behalf, year, statement, signers in DOCUMENTS:
        authority = LocalAuthority.objects.filter(gss_code=gss).first()
        period_start = datetime.date(year, 4, 1)
        if (
            authority is None
            or SigningDocument.history.filter(
                board_id=board.pk, kind=kind, signing_authority_id=authority.pk, period_start=period_start
            ).exists()
        ):
            continue
        try:
            document = services.document_prepare(
                actor=users["erm"],
                agreement=agreement,
                kind=kind,
                board=board,
                signing_authority=authority,
                on_behalf_of_all=on_behalf,
                delivery_centre="Greater Manchester Central and Greater Manchester East and West districts; "
                "Manchester Benefit Delivery Centre",
                period_start=period_start,
                period_end=datetime.date(year + 1, 3, 31),
            )
        except (PermissionDenied, ValidationError):
            logger.warning("Demo %s for %s not prepared", kind, authority)
            continue
        created["signing documents"] += 1
        for index, (username, side) in enumerate(signers):
            user = users.get(username)
            if user is None:
                continue
            try:
                if statement and index == 0:
                    document = services.document_statement_choose(
                        actor=user,
                        document=document,
                        statement=statement,
                        not_met_reason="",
                        shown_sha256=document.content_sha256,
                    )
                services.document_sign(
                    actor=user,
                    document=document,
                    side=side,
                    password=settings.DEMO_PASSWORD,
                    printed_name=(user.get_full_name() or user.username).upper(),
                    declaration=True,
                    shown_sha256=document.content_sha256,
                    ip_address="127.0.0.1",
                    user_agent="Liaison demo loader",
                )
            except (PermissionDenied, ValidationError):
                # A demo user whose password or role was changed: leave the document for them to sign.
                logger.warning("Demo statement or signature by %s skipped", username)
                continue
            created["signatures"] += 1
            document.refresh_from_db()
    return created
