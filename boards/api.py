"""Read-only JSON API of the national index (Django REST Framework), scoped by `Board.objects.visible_to`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from boards import selectors
from boards.models import Board


class _DistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.name")


class _AuthoritySerializer(serializers.Serializer):
    gss_code = serializers.CharField()
    name = serializers.CharField()


class BoardSerializer(serializers.ModelSerializer):
    districts = _DistrictSerializer(many=True, read_only=True)
    local_authorities = _AuthoritySerializer(many=True, read_only=True)
    jcp_chair = serializers.CharField(source="jcp_chair.name", default=None, read_only=True)
    la_chair = serializers.CharField(source="la_chair.name", default=None, read_only=True)
    first_meeting = serializers.DateField(read_only=True, allow_null=True)
    meetings_last_12_months = serializers.IntegerField(read_only=True)
    latest_return = serializers.DateTimeField(read_only=True, allow_null=True)
    return_this_year = serializers.SerializerMethodField(
        help_text='"submitted", "due", "overdue", or "" when the board owes no return (not active).'
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Board
        fields = [
            "id",
            "title",
            "status",
            "scope",
            "districts",
            "local_authorities",
            "jcp_chair",
            "la_chair",
            "meetings_per_year",
            "established_on",
            "first_meeting",
            "meetings_last_12_months",
            "latest_return",
            "return_this_year",
            "url",
        ]
        read_only_fields = fields

    def get_return_this_year(self, board: Board) -> str:
        return selectors.return_state(board, self.context["today"])


@extend_schema_view(
    list=extend_schema(summary="The Joint Boards the signed-in user may see, with the national index's figures"),
    retrieve=extend_schema(summary="One Joint Board"),
)
class BoardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BoardSerializer

    def get_queryset(self):
        return selectors.board_index(user=self.request.user, today=timezone.localdate())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}
