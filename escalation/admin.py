from django.contrib import admin

from escalation.models import LevelTarget


@admin.register(LevelTarget)
class LevelTargetAdmin(admin.ModelAdmin):
    """Administrators set the working days each level has before an issue is flagged as stalled."""

    list_display = ["stage", "working_days"]
    list_editable = ["working_days"]
    ordering = ["stage"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A missing row would silently fall back to the default; change the number instead.
        return False
