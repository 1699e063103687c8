"""What management information adds to the Joint Boards' pages and agendas, through the extension points of boards."""

from __future__ import annotations


def register() -> None:
    pass
