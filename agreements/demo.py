"""Demo agreements (`manage.py load_demo`): the 2008-2011 Partnership Agreement with its text and, as history, a
Statement of Intent signed by both and sealed, one awaiting the LA's signature, one signed on behalf of all LAs of a
board, and an End of Year Sign-off in progress (its statement chosen, then signed, by the LA Benefits Manager); the
2026-2029 agreement prepared from it with a few sections changed and published, with its Statements of Intent (one
sealed, one awaiting the LA) and the District Manager's record of having read it.

Idempotent: each demo document is keyed on its board, kind, signing LA and period in the history table, so a
document a user has since changed or replaced is never created again.
"""

from __future__ import annotations

import datetime
import logging

from dateutil.relativedelta import relativedelta
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
PA_2008 = "FINAL VERSION 1.0"
PA_2026 = "VERSION 2.0"
TITLE = "Partnership Agreement for Benefit Administration, Security & Fraud"
# (agreement, kind, signing LA GSS code, on behalf of all, first April, statement the first signer chooses, signers)
DOCUMENTS = [
    (
        PA_2008,
        DocumentKind.STATEMENT_OF_INTENT,
        "E08000003",
        False,
        2008,
        "",
        [("la-manager", Side.LA), ("district-manager", Side.JCP)],
    ),
    (PA_2008, DocumentKind.STATEMENT_OF_INTENT, "E08000003", False, 2009, "", [("district-manager", Side.JCP)]),
    (
        PA_2008,
        DocumentKind.STATEMENT_OF_INTENT,
        "E08000006",
        True,
        2010,
        "",
        [("district-manager", Side.JCP), ("la-manager-salford", Side.LA)],
    ),
    (
        PA_2008,
        DocumentKind.END_OF_YEAR,
        "E08000003",
        False,
        2008,
        YearStatement.BEST_ABILITY,
        [("la-manager", Side.LA)],
    ),
    # The agreement in force: Manchester's statement sealed, Salford's waiting for its LA Benefits Manager.
    (
        PA_2026,
        DocumentKind.STATEMENT_OF_INTENT,
        "E08000003",
        False,
        2026,
        "",
        [("la-manager", Side.LA), ("district-manager", Side.JCP)],
    ),
    (PA_2026, DocumentKind.STATEMENT_OF_INTENT, "E08000006", False, 2026, "", [("district-manager", Side.JCP)]),
]

# What the 2026-2029 agreement changes in the 2008 text, so that its differences page has something to show.
CHANGES_2026 = {
    "1.2": (
        "This is a 3 year Partnership Agreement (PA) which will run from April 2026 to March 2029. Unless there are "
        "any major changes introduced during that period which affect the overall PA that cannot be reflected in "
        "operational procedural guidance and other communications."
    ),
    "5.4": (
        "The PA is a 3 year agreement from April 2026 (subject to any major changes being introduced). It will be "
        "evaluated every 12 months (or sooner if required) by the Governmental Partnerships Team with the Local "
        "Authority Associations."
    ),
}
CHANGED_3_1_7 = (
    "\n\nWhere a contingency plan is invoked, the Joint Board records when and why, which Local Authorities it "
    "covers and when it was stood down, so that what was learnt informs the next plan."
)


def _agreements(gpt) -> tuple[Agreement | None, Agreement | None, int]:
    """The 2008-2011 agreement with its text, and the 2026-2029 one prepared from it and published."""
    made = 0
    pa_2008 = Agreement.objects.filter(version=PA_2008).first()
    if pa_2008 is None and not Agreement.history.filter(version=PA_2008).exists():
        pa_2008 = services.agreement_create(
            actor=gpt,
            version=PA_2008,
            title=TITLE,
            period_start=datetime.date(2008, 4, 1),
            period_end=datetime.date(2011, 3, 31),
        )
        made += 1
    if pa_2008 is not None and not pa_2008.sections.exists():
        services.agreement_text_load(actor=gpt, agreement=pa_2008)
    pa_2026 = Agreement.objects.filter(version=PA_2026).first()
    if pa_2026 is None and pa_2008 is not None and not Agreement.history.filter(version=PA_2026).exists():
        pa_2026 = services.agreement_version_prepare(
            actor=gpt,
            previous=pa_2008,
            version=PA_2026,
            title=TITLE,
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2029, 3, 31),
        )
        for section in pa_2026.sections.filter(number__in=[*CHANGES_2026, "3.1.7"]):
            text = CHANGES_2026.get(section.number) or section.text + CHANGED_3_1_7
            services.agreement_section_change(actor=gpt, section=section, title=section.title, text=text)
        pa_2026 = services.agreement_publish(actor=gpt, agreement=pa_2026, published_on=datetime.date(2026, 4, 1))
        made += 1
    return pa_2008, pa_2026, made


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
    pa_2008, pa_2026, made = _agreements(users["gpt"])
    created["agreements"] += made
    agreements = {PA_2008: pa_2008, PA_2026: pa_2026}
    for version, kind, gss, on_behalf, year, statement, signers in DOCUMENTS:
        agreement = agreements[version]
        if agreement is None:
            continue
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
    if pa_2026 is not None and "district-manager" in users:
        services.agreement_acknowledge(actor=users["district-manager"], agreement=pa_2026)
    return created


STEER = (
    "Loss of CIS access or ETD feeds",
    "Record every case held back while CIS or ETD is unavailable, and clear the log within 5 working days of "
    "the service returning.\n- Customer statements go by secure email only.\n- Urgent payment queries go by "
    "telephone to the BDC's nominated contact.",
)
REQUESTS = [
    ("customer-statement", "", "secure-email", "hb.requests@manchester.gcsx.gov.uk", 2),
    ("claim-evidence", "", "form", "Form LA-EV1 on the shared secure site", 5),
    ("urgent-payment", "", "telephone", "0161 000 0101 (BDC nominated contact)", 1),
]


@register_demo_loader(210, "local agreements")
def load_local_agreements_demo(today: datetime.date) -> dict[str, int]:
    """The Greater Manchester board's register: an information request procedure agreed, an administration procedure
    in its second version (the first superseded), telephone access proposed, a withdrawn agreement, and a contingency
    plan agreed, invoked once and stood down; GPT's national steer beside it."""
    from agreements.models import LocalAgreement, NationalSteer
    from boards.models import MeetingStatus

    created = {"local agreements": 0}
    board = Board.objects.filter(title=BOARD).first()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["erm", "gpt"])}
    if board is None or len(users) < 2 or LocalAgreement.history.filter(board_id=board.pk).exists():
        return created
    held = board.meetings.filter(status=MeetingStatus.HELD).order_by("-date").first()
    manchester = LocalAuthority.objects.filter(gss_code="E08000003").first()
    if held is None or manchester is None or manchester not in board.local_authorities.all():
        return created
    erm = users["erm"]
    if not NationalSteer.history.exists():
        services.national_steer_publish(actor=users["gpt"], title=STEER[0], text=STEER[1])

    def propose(kind, title, text, **kwargs):
        created["local agreements"] += 1
        kwargs.setdefault("local_authorities", [manchester])
        return services.local_agreement_propose(actor=erm, board=board, kind=kind, title=title, text=text, **kwargs)

    requests = propose(
        "information-requests",
        "Requests for information between Manchester and the BDC",
        "Each kind of request goes by the channel below; customer information only by secure email or the form.",
        review_on=today + relativedelta(months=9),
    )
    for request_kind, other, channel, address, days in REQUESTS:
        services.request_procedure_add(
            actor=erm,
            agreement=requests,
            request_kind=request_kind,
            other_kind=other,
            channel=channel,
            address=address,
            target_working_days=days,
        )
    services.local_agreement_agree(actor=erm, agreement=requests, meeting=held)

    first = propose(
        "administration",
        "Clerical and suspended cases",
        "The BDC copies changes of circumstances on clerical cases to the LA within 5 working days.",
    )
    services.local_agreement_agree(actor=erm, agreement=first, meeting=held)
    second = services.local_agreement_propose(
        actor=erm,
        board=board,
        kind=first.kind,
        previous=first,
        title=first.title,
        text="The BDC copies changes of circumstances on clerical and suspended cases to the LA within 3 working "
        "days, by secure email.",
        local_authorities=[manchester],
        review_on=today + relativedelta(months=12),
    )
    created["local agreements"] += 1
    services.local_agreement_agree(actor=erm, agreement=second, meeting=held)

    propose("telephone", "Telephone access for LA staff", "LA staff call the BDC's priority line from 9am to 4pm.")
    withdrawn = propose("other", "Joint visits", "Exchange visits twice a year (PA 3.1.2).")
    services.local_agreement_withdraw(actor=erm, agreement=withdrawn, reason="Covered by the regional programme.")

    plan = propose(
        "contingency",
        "Loss of CIS access or ETD feeds",
        "How Manchester and the BDC keep claims moving when CIS or the ETD feed is unavailable (PA 3.1.7).",
        invoked_when="CIS or the ETD feed has been unavailable for a whole working day.",
        jcp_actions="The BDC sends changes of circumstances by secure email daily and answers queries by telephone.",
        la_actions="The LA logs every claim held back and clears the log within 5 working days of recovery.",
        decided_by="The JCP co-chair and the LA Benefits Manager together",
    )
    services.local_agreement_agree(actor=erm, agreement=plan, meeting=held)
    invocation = services.contingency_invoke(
        actor=erm, plan=plan, reason="The ETD feed failed after a system release.", local_authorities=[manchester]
    )
    services.contingency_stand_down(
        actor=erm, invocation=invocation, lessons="Share the BDC's telephone rota with the LA before each release."
    )
    return created
