"""The REST API's resources (/api/v1/): every queryset starts from the owning app's visible_to,
every write calls the owning app's service (through api/writes.py for actions)."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action as route
from rest_framework.response import Response

from ambassadors.models import City
from axes.models import Axis
from commitments.models import Action, Commitment, Evidence, FocusArea, Indicator, IndicatorValue, Target
from funding.models import Opportunity, TransitionPlan
from practices.models import Practice
from reports.models import ProgressReport

from . import serializers, writes
from .filters import ActionApiFilter
from .pagination import CatalogueCursorPagination

DETAIL = serializers.DetailSerializer
ERRORS = OpenApiResponse(description="Each field's messages, in the caller's language.")
READ_ERRORS = {400: ERRORS, 401: DETAIL, 403: DETAIL, 404: DETAIL}
WRITE_ERRORS = {400: ERRORS, 401: DETAIL, 403: DETAIL, 404: DETAIL}
# Ids in paths: any integer reaches the view (a negative one is a 404 in JSON, not the site's page).
ID = r"-?[0-9]+"


def _documented(serializer):
    """The responses of a read-only list and detail view."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **READ_ERRORS}),
        retrieve=extend_schema(responses={200: serializer, **READ_ERRORS}),
    )


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID


@_documented(serializers.AxisSerializer)
class AxisViewSet(ScopedReadViewSet):
    """The three action axes (the catalogue: everyone logged in reads it)."""

    pagination_class = CatalogueCursorPagination
    serializer_class = serializers.AxisSerializer
    queryset = Axis.objects.all()


@_documented(serializers.CommitmentSerializer)
class CommitmentViewSet(ScopedReadViewSet):
    """The numbered commitments with their focus areas and indicators."""

    pagination_class = CatalogueCursorPagination
    serializer_class = serializers.CommitmentSerializer
    queryset = Commitment.objects.with_axis().prefetch_related(
        Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name_es")),
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code")),
    )


@_documented(serializers.IndicatorSerializer)
class IndicatorViewSet(ScopedReadViewSet):
    pagination_class = CatalogueCursorPagination
    serializer_class = serializers.IndicatorSerializer
    queryset = Indicator.objects.all()
    filterset_fields = ["commitment"]


@_documented(serializers.CitySerializer)
class CityViewSet(ScopedReadViewSet):
    """The cities of the caller's scope."""

    pagination_class = CatalogueCursorPagination
    serializer_class = serializers.CitySerializer

    def get_queryset(self):
        return City.objects.visible_to(self.request.user)


def actions_for_api(user):
    """The actions of the user's scope with everything a row shows, in a fixed number of queries."""
    return (
        Action.objects.visible_to(user)
        .select_related("commitment__axis", "city", "ambassador__user")
        .prefetch_related(
            "focus_areas",
            "cities_involved",
            Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            Prefetch("opportunities", queryset=Opportunity.objects.select_related("funder")),
        )
    )


ACTION = serializers.ActionSerializer


@extend_schema_view(
    list=extend_schema(responses={200: ACTION(many=True), **READ_ERRORS}),
    retrieve=extend_schema(responses={200: ACTION, **READ_ERRORS}),
    create=extend_schema(request=serializers.ActionWriteSerializer, responses={201: ACTION, **WRITE_ERRORS}),
    partial_update=extend_schema(request=serializers.ActionWriteSerializer, responses={200: ACTION, **WRITE_ERRORS}),
)
class ActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Actions of the caller's scope. An ambassador in office logs and changes their own (draft or
    returned) and sends them for review; a coordinator of the city approves or returns them. The
    details of a kind (a training's sessions, a policy's instrument…) are written in the site."""

    serializer_class = ACTION
    filterset_class = ActionApiFilter
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return actions_for_api(self.request.user)

    def _fresh(self, action, code=status.HTTP_200_OK):
        action = self.get_queryset().get(pk=action.pk)
        return Response(ACTION(action, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        payload = self._input(serializers.ActionWriteSerializer)
        return self._fresh(writes.action_create(payload=payload, by=request.user), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        payload = self._input(serializers.ActionWriteSerializer)
        return self._fresh(writes.action_update(action=self.get_object(), payload=payload, by=request.user))

    @extend_schema(request=None, responses={200: ACTION, **WRITE_ERRORS})
    @route(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft (or a returned action, fixed) for review."""
        return self._fresh(writes.action_submit(action=self.get_object(), by=request.user))

    @extend_schema(request=serializers.ReviewInputSerializer, responses={200: ACTION, **WRITE_ERRORS})
    @route(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        comment = self._input(serializers.ReviewInputSerializer).get("comment", "")
        action = writes.action_decide(action=self.get_object(), by=request.user, decision="approve", comment=comment)
        return self._fresh(action)

    @extend_schema(request=serializers.ReviewInputSerializer, responses={200: ACTION, **WRITE_ERRORS})
    @route(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Send the action back to its ambassador; the comment says what to fix and is required."""
        comment = self._input(serializers.ReviewInputSerializer).get("comment", "")
        action = writes.action_decide(action=self.get_object(), by=request.user, decision="return", comment=comment)
        return self._fresh(action)


TARGET = serializers.TargetSerializer


@extend_schema_view(
    list=extend_schema(responses={200: TARGET(many=True), **READ_ERRORS}),
    retrieve=extend_schema(responses={200: TARGET, **READ_ERRORS}),
    create=extend_schema(request=serializers.TargetWriteSerializer, responses={201: TARGET, **WRITE_ERRORS}),
    partial_update=extend_schema(request=serializers.TargetWriteSerializer, responses={200: TARGET, **WRITE_ERRORS}),
)
class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The targets of the caller's scope with their progress today (the on-track rule's). The city's
    ambassador sets them; coordinators of the city and admins adjust them (commitments.services)."""

    serializer_class = TARGET
    filterset_fields = ["city", "indicator", "horizon"]
    lookup_value_regex = ID
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Target.objects.visible_to(self.request.user).with_progress(timezone.localdate())

    def _fresh(self, target, code=status.HTTP_200_OK):
        target = self.get_queryset().get(pk=target.pk)
        return Response(TARGET(target, context=self.get_serializer_context()).data, status=code)

    def _input(self):
        serializer = serializers.TargetWriteSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        return self._fresh(writes.target_create(payload=self._input(), by=request.user), status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        target = writes.target_update(target=self.get_object(), payload=self._input(), by=request.user)
        return self._fresh(target)


@_documented(serializers.ReportSerializer)
class ReportViewSet(ScopedReadViewSet):
    """Progress reports of the caller's scope, with the links to download each output."""

    serializer_class = serializers.ReportSerializer
    filterset_fields = ["scope", "city", "country", "kind", "status"]

    def get_queryset(self):
        return ProgressReport.objects.visible_to(self.request.user).select_related("city")


@_documented(serializers.PracticeSerializer)
class PracticeViewSet(ScopedReadViewSet):
    """The practice library: published practices of the whole network and the own city's others."""

    serializer_class = serializers.PracticeSerializer
    filterset_fields = ["city", "status"]

    def get_queryset(self):
        return Practice.objects.visible_to(self.request.user).select_related("city").prefetch_related("commitments")


@_documented(serializers.PlanSerializer)
class PlanViewSet(ScopedReadViewSet):
    """Transition plans (every version) of the cities of the caller's scope."""

    serializer_class = serializers.PlanSerializer
    filterset_fields = ["city", "status"]

    def get_queryset(self):
        return TransitionPlan.objects.visible_to(self.request.user).prefetch_related("commitments")


@_documented(serializers.OpportunitySerializer)
class OpportunityViewSet(ScopedReadViewSet):
    """The funding pipeline of the cities of the caller's scope."""

    serializer_class = serializers.OpportunitySerializer
    filterset_fields = ["city", "stage"]

    def get_queryset(self):
        return (
            Opportunity.objects.visible_to(self.request.user)
            .select_related("funder")
            .prefetch_related(Prefetch("actions", queryset=Action.objects.only("pk")))
        )
