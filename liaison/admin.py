from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
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
from liaison.services import user_groups_sync
from liaison.signals import district_managed_by_region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "nation"]
    search_fields = ["name", "code"]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "region", "managed_by_region"]
    list_filter = ["region", "managed_by_region"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        handed_over = obj.managed_by_region and not (
            change and District.objects.filter(pk=obj.pk, managed_by_region=True).exists()
        )
        super().save_model(request, obj, form, change)
        if handed_over:
            district_managed_by_region.send(sender=District, district=obj, actor=request.user)


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
class ContactRoleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "side", "required_in_district", "order"]


@admin.register(IssueCategory)
class IssueCategoryAdmin(SimpleHistoryAdmin):
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
    """Every way of changing an assignment here keeps the user's groups and admin access in step."""

    list_display = ["user", "role", "district", "region", "local_authority"]
    list_filter = ["role"]
    search_fields = ["user__username"]

    def save_model(self, request, obj, form, change):
        previous_user = RoleAssignment.objects.get(pk=obj.pk).user if change else None
        super().save_model(request, obj, form, change)
        user_groups_sync(user=obj.user)
        if previous_user is not None and previous_user != obj.user:
            user_groups_sync(user=previous_user)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        user_groups_sync(user=user)

    def delete_queryset(self, request, queryset):
        users = {assignment.user for assignment in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            user_groups_sync(user=user)


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
    """Alerts are raised and cleared by the scans only; the admin reads them."""

    list_display = ["title", "check_code", "raised_at", "cleared_at"]
    list_filter = ["check_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    fields = ["role", "district", "region", "local_authority"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class LiaisonUserAdmin(UserAdmin):
    """Users with their roles; each role's scope is checked by the model and its group kept in step."""

    inlines = [RoleAssignmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_groups_sync(user=form.instance)
