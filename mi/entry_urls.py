"""Addresses of the figures' entry, upload and correction, and of GPT's catalogue of measures (under /mi/)."""

from __future__ import annotations

from django.urls import path

from mi import entry_views

urlpatterns: list = [
    path("mi/figures/", entry_views.figures, name="figures"),
    path("mi/figures/upload/", entry_views.figures_upload, name="figures-upload"),
    path("mi/figures/template.csv", entry_views.figures_template, name="figures-template"),
    path("mi/figures/<str:kind>/<str:code>/<str:quarter>/", entry_views.figures_enter, name="figures-enter"),
    path("mi/measures/", entry_views.measures, name="measures"),
    path("mi/measures/new/", entry_views.measure_add, name="measure-add"),
    path("mi/measures/<slug:code>/edit/", entry_views.measure_edit, name="measure-edit"),
    path("mi/measures/<slug:code>/retire/", entry_views.measure_retire, name="measure-retire"),
]
