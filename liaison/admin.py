from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from liaison.models import (
    Alert,
    Contact,
    ContactRole,
    District,
    Event,
    IssueCategory,
    LocalAuthority,
    Office,
    Region,
    RoleAssignment,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "nation"]
    search_fields = ["name", "code"]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region", "managed_by_region"]
    list_filter = ["region", "managed_by_region"]
    search_fields = ["name", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "gss_code", "nation"]
    list_filter = ["nation", "districts"]
    search_fields = ["name", "gss_code"]
    filter_horizontal = ["districts"]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]


@admin.register(ContactRole)
class ContactRoleAdmin(admin.ModelAdmin):
    list_display = ["name", "side", "required_in_district", "order"]


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "alternative_role", "order"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "district", "local_authority", "last_confirmed", "active_to"]
    list_filter = ["role", "district"]
    search_fields = ["name", "email"]

    def has_delete_permission(self, request, obj=None):
        return False  # contacts leave a role; their entries are never deleted


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "district", "region", "local_authority"]
    list_filter = ["role"]
    search_fields = ["user__username"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "summary", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "check_code", "raised_at", "cleared_at"]
    list_filter = ["check_code"]

    def has_delete_permission(self, request, obj=None):
        return False
