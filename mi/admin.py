from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mi.models import Figure, Measure


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "side", "unit", "direction", "retired_on"]
    list_filter = ["side", "unit"]
    search_fields = ["name", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retired, never deleted


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "quarter_start", "local_authority", "district", "value", "entered_by", "updated_at"]
    list_filter = ["measure", "quarter_start"]
    readonly_fields = ["measure", "quarter_start", "local_authority", "district", "entered_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # corrected, never deleted
