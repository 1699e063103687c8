"""Signals the core sends when the network changes, so that apps can follow without the core importing them."""

from django.dispatch import Signal

# A district's relationship passed to the Country/Region ERM (guidelines, Appendix 2). Arguments: district, actor.
district_managed_by_region = Signal()
