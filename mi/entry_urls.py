"""Addresses of the figures' entry, upload and correction, and of GPT's catalogue of measures (under /mi/)."""

from __future__ import annotations

urlpatterns: list = []
