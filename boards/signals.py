"""Signals the boards app sends, so that the apps built on it can contribute without boards importing them."""

from django.dispatch import Signal

# A meeting was put in the diary (inside the scheduling transaction). Arguments: meeting. Receivers add their
# agenda items through `boards.services.agenda_item_add` (escalation fills "Unresolved issues" this way).
meeting_scheduled = Signal()
