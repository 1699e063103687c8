"""Read-only JSON of the management information, scoped like the pages: the national picture for GPT, the ODN and
the Regional ERMs (their region), and any board's pack for whoever may see the board."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.models import Board
from mi import selectors
from mi.views import national_filters


class MiTableSerializer(serializers.Serializer):
    caption = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


def _table(table) -> dict:
    return {"caption": table.caption, "columns": table.columns, "rows": table.rows}


class NationalView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The national management information for a quarter, as the /mi/ page shows it",
        parameters=[
            OpenApiParameter("quarter", OpenApiTypes.STR, description='First month of the quarter, "2026-07"'),
            OpenApiParameter("region", OpenApiTypes.INT),
            OpenApiParameter("nation", OpenApiTypes.STR, enum=["ENG", "WLS", "SCT"]),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=["fraud", "admin", "joint"]),
        ],
        responses=inline_serializer(
            name="MiNational",
            fields={
                "quarter": serializers.CharField(),
                "label": serializers.CharField(),
                "boards": serializers.ListField(child=serializers.DictField()),
                "tables": serializers.DictField(child=MiTableSerializer()),
            },
        ),
    )
    def get(self, request):
        if not selectors.can_see_national(request.user):
            raise PermissionDenied("The national management information is for GPT, the ODN and Regional ERMs.")
        today = timezone.localdate()
        picture = selectors.national_picture(request.user, national_filters(request, today), today)
        measures = {m.pk: m.code for m in picture.measures}
        return Response(
            {
                "quarter": picture.filters.quarter.code,
                "label": picture.filters.quarter.label,
                "boards": [
                    {
                        "id": row.board_id,
                        "title": row.title,
                        "regions": row.regions,
                        "measures": {
                            measures[pk]: None if value is None else str(value)
                            for pk, value in row.measure_values.items()
                        },
                        "ranks": {measures[pk]: rank for pk, rank in row.measure_ranks.items()},
                        "evidence": {k: None if v is None else str(v) for k, v in row.evidence.items()},
                        "figures_entered": row.entered_figures,
                        "figures_expected": row.expected_figures,
                        "attention": row.attention,
                    }
                    for row in picture.boards
                ],
                "tables": {key: _table(table) for key, table in picture.tables.items()},
            }
        )


class BoardPackView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A board's performance pack: its organisations' measures and Liaison's evidence",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description='"since-last-meeting" or a quarter, "2026-07"')
        ],
        responses=inline_serializer(
            name="MiBoardPack",
            fields={
                "board": serializers.IntegerField(),
                "period": serializers.DictField(),
                "measures": MiTableSerializer(many=True),
                "sections": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, pk: int):
        board = get_object_or_404(Board.objects.visible_to(request.user), pk=pk)
        period = selectors.pack_period(board, request.query_params.get("period"), timezone.localdate())
        pack = selectors.board_pack(board, period)
        return Response(
            {
                "board": board.pk,
                "period": {
                    "start": period.start,
                    "end": period.end,
                    "quarter": period.quarter.code,
                    "label": period.label,
                },
                "measures": [_table(block.table) for block in pack.measure_blocks],
                "sections": [
                    {
                        "key": section.key,
                        "title": section.title,
                        "headlines": section.headlines,
                        "tables": [_table(t) for t in section.tables],
                    }
                    for section in pack.sections
                ],
            }
        )
