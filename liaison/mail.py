"""Who may be sent case details by email (DESIGN.md "Data protection"; PA 3.1.2: personal and sensitive customer
information goes only by secure means). An email that could carry case details goes in full only to addresses
marked secure; everyone else gets the same email without the details and a link to read them in Liaison."""

from __future__ import annotations

from collections.abc import Iterable


def case_detail_recipients(contacts: Iterable) -> tuple[list[str], list[str]]:
    """The addresses that may receive case details (the contact's email is marked secure), and those that get only
    a link; each sorted, without repeats, and without contacts who have no email."""
    secure, plain = set(), set()
    for contact in contacts:
        if contact.email:
            (secure if contact.secure_email else plain).add(contact.email)
    return sorted(secure), sorted(plain - secure)
