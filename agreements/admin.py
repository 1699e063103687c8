"""Admin for the agreements app: agreements and their evaluations are kept up to date here; signed records and
signatures are only read (they are never edited: a change is a new version, signed again)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, Evaluation, Signature, SigningDocument


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    fields = ["evaluated_on", "notes", "recorded_by"]
    readonly_fields = ["recorded_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "period_start", "period_end"]
    search_fields = ["title", "version"]
    inlines = [EvaluationInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # documents were signed under it


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "evaluated_on", "recorded_by"]
    list_filter = ["agreement"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # history is never deleted


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Signed records are written by the signing services only."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    fields = ["side", "signer", "printed_name", "signed_at", "ip_address", "content_sha256", "invalidated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SigningDocument)
class SigningDocumentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "board", "kind", "status", "version", "period_start", "sealed_at"]
    list_filter = ["kind", "status"]
    search_fields = ["board__title", "signing_authority__name", "content_sha256", "sealed_pdf_sha256"]
    list_select_related = ["board", "signing_authority"]
    inlines = [SignatureInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["document", "side", "printed_name", "signed_at", "invalidated_at"]
    list_filter = ["side"]
    search_fields = ["printed_name", "signer__username", "content_sha256"]
    list_select_related = ["document", "document__board", "document__signing_authority", "signer"]
