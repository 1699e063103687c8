"""Who signing tells, and what: written to the core's outbox from the services' transactions."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from agreements.models import Side, Signature, SigningDocument
from liaison.notifications import Attachment, Message, contact_recipient, notify_many, register_kind

TO_SIGN = register_kind("agreement-to-sign", "Documents waiting for your signature", mandatory=True)
SEALED = register_kind("agreement-sealed", "Documents signed by both and sealed")


def side_holders(document: SigningDocument, side: str) -> set[int]:
    from agreements.checks import _side_holders

    return _side_holders(document, side)


def _users(ids) -> list:
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _what(document: SigningDocument) -> str:
    return f"{document.get_kind_display()} for {document.authorities_label}, {document.period_label}"


def waiting(*, document: SigningDocument, occasion: str, why: str, sides=(Side.JCP, Side.LA), exclude=()) -> None:
    """The holders of each side still to sign: the document waits for their signature. `occasion` names what
    happened (prepared, the other side signed), so each occasion is told once."""
    messages = []
    for side in sides:
        for user in _users(side_holders(document, side) - set(exclude)):
            messages.append(
                Message(
                    kind=TO_SIGN.code,
                    dedupe_key=f"agreement-to-sign:{document.pk}:{document.content_sha256[:16]}:{occasion}:{user.pk}",
                    title=f"Waiting for your signature: {_what(document)}",
                    body=(
                        f"{_what(document)} (version {document.version}) is waiting for your signature as "
                        f"{Side(side).label}.\n\n{why}\n\nRead the text in Liaison and sign it if you agree."
                    ),
                    reason=f"you sign for {Side(side).label} on {document.board.title}.",
                    url=document.get_absolute_url(),
                    user=user,
                    about=document,
                )
            )
    notify_many(messages)


def voided(*, document: SigningDocument, signatures: list[Signature]) -> None:
    """Each signer whose signature a change voided."""
    notify_many(
        [
            Message(
                kind=TO_SIGN.code,
                dedupe_key=f"agreement-voided:{signature.pk}",
                title=f"Sign again: {_what(document)} changed after you signed",
                body=(
                    f"{_what(document)} changed after you signed it, so your signature as "
                    f"{Side(signature.side).label} no longer applies. Read the new text and sign it if you agree."
                ),
                reason="you signed the earlier text of this document.",
                url=document.get_absolute_url(),
                user=signature.signer,
                about=document,
            )
            for signature in signatures
        ]
    )


def sealed(*, document: SigningDocument, signatures: list[Signature]) -> None:
    """Both signers, the board's ERM and co-chairs, each with the sealed PDF attached."""
    board = document.board
    attachment = Attachment(
        f"{document.get_kind_display()} {document.pk} v{document.version} sealed.pdf".replace(" ", "-"),
        bytes(document.sealed_pdf),
        "application/pdf",
    )
    body = (
        f"{_what(document)} (version {document.version}) has been signed by both sides and sealed. The sealed PDF "
        "is attached; anyone can check it has not been changed on Liaison's 'check a PDF' page."
    )
    messages = [
        Message(
            kind=SEALED.code,
            dedupe_key=f"agreement-sealed:{document.pk}:user:{signature.signer_id}",
            title=f"Signed and sealed: {_what(document)}",
            body=body,
            reason=f"you signed it for {Side(signature.side).label}.",
            url=document.get_absolute_url(),
            user=signature.signer,
            about=document,
            attachments=[attachment],
        )
        for signature in signatures
    ]
    for role, contact in (("ERM", board.erm), ("co-chair", board.jcp_chair), ("co-chair", board.la_chair)):
        if contact is None:
            continue
        messages.append(
            Message(
                kind=SEALED.code,
                dedupe_key=f"agreement-sealed:{document.pk}:contact:{contact.pk}",
                title=f"Signed and sealed: {_what(document)}",
                body=body,
                reason=f"you are the {role} of {board.title}.",
                url=document.get_absolute_url(),
                about=document,
                attachments=[attachment],
                **contact_recipient(contact),
            )
        )
    # A signer who is also a chair gets one email, not two.
    seen, unique = set(), []
    for message in messages:
        if message.address.lower() not in seen:
            seen.add(message.address.lower())
            unique.append(message)
    notify_many(unique)
