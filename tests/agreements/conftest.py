import datetime

import pytest

from agreements import services
from agreements.models import DocumentKind
from tests.boards.factories import board_for


class Signing:
    """The world plus a Joint Board of District One (Authority One and the straddling LA) and the 2008 agreement."""

    def __init__(self, world):
        self.world = world
        self.users = world.users
        self.board = board_for(world)
        self.board.local_authorities.add(world.la12)
        self.agreement = services.agreement_create(
            actor=world.users["gpt"],
            version="FINAL VERSION 1.0",
            title="Partnership Agreement for Benefit Administration, Security & Fraud",
            period_start=datetime.date(2008, 4, 1),
            period_end=datetime.date(2011, 3, 31),
        )

    def prepare(self, kind=DocumentKind.STATEMENT_OF_INTENT, **kwargs):
        kwargs.setdefault("signing_authority", self.world.la1)
        kwargs.setdefault("delivery_centre", "District One")
        kwargs.setdefault("period_start", datetime.date(2008, 4, 1))
        kwargs.setdefault("period_end", datetime.date(2009, 3, 31))
        return services.document_prepare(
            actor=self.users["erm"], agreement=self.agreement, kind=kind, board=self.board, **kwargs
        )

    @staticmethod
    def payload(document, **data):
        """What the sign form posts for `document`, with `data` on top."""
        return {
            "password": "liaison",
            "printed_name": "A PERSON",
            "declaration": "on",
            "shown_sha256": document.content_sha256,
            **data,
        }

    @staticmethod
    def statement_payload(document, **data):
        """What the statement form posts for `document`, with `data` on top."""
        return {"step": "choose-statement", "shown_sha256": document.content_sha256, **data}

    def choose(self, document, who, statement, not_met_reason="", **kwargs):
        document.refresh_from_db()
        kwargs.setdefault("shown_sha256", document.content_sha256)
        return services.document_statement_choose(
            actor=self.users[who], document=document, statement=statement, not_met_reason=not_met_reason, **kwargs
        )

    def sign(self, document, who, side, **kwargs):
        document.refresh_from_db()
        kwargs.setdefault("password", "liaison")
        kwargs.setdefault("printed_name", who.upper())
        kwargs.setdefault("declaration", True)
        kwargs.setdefault("shown_sha256", document.content_sha256)
        return services.document_sign(
            actor=self.users[who], document=document, side=side, ip_address="127.0.0.1", user_agent="pytest", **kwargs
        )


@pytest.fixture
def signing(world):
    return Signing(world)
