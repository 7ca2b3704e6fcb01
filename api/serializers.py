"""What the API shows: explicit serializers, read-only, so the schema says exactly what comes back.
Writes validate with the site's own forms (api/writes.py) and call the same services."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ambassadors.models import City
from axes.models import Axis
from commitments.models import Action, Commitment, Evidence, FocusArea, Indicator, IndicatorValue, Target, TargetStatus
from funding.models import Opportunity, TransitionPlan
from practices.models import Practice
from reports.models import ProgressReport
from reports.views import OUTPUT_TYPES


class DetailSerializer(serializers.Serializer):
    """An error that concerns the whole request (401, 403, 404, 429)."""

    detail = serializers.CharField()


class AxisSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Axis
        fields = ["id", "number", "name", "description", "colour"]


class FocusAreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = FocusArea
        fields = ["id", "name", "active"]


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "commitment",
            "code",
            "name",
            "unit",
            "kind",
            "direction",
            "aggregation",
            "sdg_indicator",
            "active",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "axis", "code", "number", "title", "text", "active", "focus_areas", "indicators"]


class CitySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = City
        fields = ["id", "name", "region", "country", "latitude", "longitude", "population", "time_zone"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "code", "value"]


class LinkSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "title", "original_name", "content_type", "size", "url", "uploaded_at", "download_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, evidence):
        """The site's scoped download view (a file), or None (a link: its url is the address)."""
        if not evidence.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("commitments:evidence_download", args=[evidence.pk]))


class FundSerializer(serializers.ModelSerializer):
    """A funding opportunity that would finance the action."""

    funder = serializers.CharField(source="funder_label", read_only=True)

    class Meta:
        model = Opportunity
        fields = ["id", "title", "funder", "amount", "currency", "amount_awarded", "stage", "deadline"]


class ActionSerializer(serializers.ModelSerializer):
    commitment_code = serializers.CharField(source="commitment.code", read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)
    author = serializers.CharField(source="ambassador.user.get_username", read_only=True)
    indicator_values = IndicatorValueSerializer(many=True, read_only=True)
    links = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    funds = FundSerializer(source="opportunities", many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "city",
            "city_name",
            "commitment",
            "commitment_code",
            "author",
            *Action.AUTHOR_FIELDS,
            "focus_areas",
            "cities_involved",
            "status",
            "submitted_at",
            "decided_at",
            "created_at",
            "updated_at",
            "indicator_values",
            "links",
            "evidence",
            "funds",
        ]
        read_only_fields = fields

    @extend_schema_field(LinkSerializer(many=True))
    def get_links(self, action):
        return [{"url": e.url, "title": e.title} for e in action.evidence.all() if not e.file]

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, action):
        files = [e for e in action.evidence.all() if e.file]
        return EvidenceSerializer(files, many=True, context=self.context).data


class TargetSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    current_value = serializers.FloatField(read_only=True, allow_null=True)
    expected_value = serializers.FloatField(read_only=True, allow_null=True)
    progress_percent = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=TargetStatus.choices, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "city",
            "indicator",
            "indicator_code",
            "horizon",
            "baseline",
            "baseline_year",
            "target_value",
            "due_on",
            "current_value",
            "expected_value",
            "progress_percent",
            "status",
            "updated_at",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    # Null for a country's or the network's report (scope), which name no city.
    city_name = serializers.CharField(source="city.name", read_only=True, allow_null=True)
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "scope",
            "city",
            "city_name",
            "country",
            "kind",
            "period_start",
            "period_end",
            "language",
            "status",
            "generated_at",
            "downloads",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(), help_text="Output (pdf, html, xlsx, csv) → URL")
    )
    def get_downloads(self, report):
        """The site's download view of each output the report has (a ready report only)."""
        if report.status != ProgressReport.Status.READY:
            return {}
        request = self.context["request"]
        return {
            output: request.build_absolute_uri(reverse("reports:report_download", args=[report.pk, output]))
            for output, (field, _type) in OUTPUT_TYPES.items()
            if getattr(report, field)
        }


class PracticeSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    summary = serializers.CharField(read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "city",
            "city_name",
            "title",
            "summary",
            "problem",
            "what_was_done",
            "results",
            "lessons",
            "how_to_replicate",
            "commitments",
            "status",
            "featured",
            "published_at",
        ]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = TransitionPlan
        fields = [
            "id",
            "city",
            "version",
            "status",
            "diagnosis_summary",
            "diagnosis_on",
            "strategy",
            "commitments",
            "submitted_at",
            "approved_at",
        ]
        read_only_fields = fields


class OpportunitySerializer(serializers.ModelSerializer):
    funder = serializers.CharField(source="funder_label", read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "city",
            "funder",
            "title",
            "deadline",
            "amount",
            "currency",
            "amount_awarded",
            "identified_on",
            "stage",
            "decided_on",
            "actions",
        ]
        read_only_fields = fields


# Input -------------------------------------------------------------------------------------

# The most items a list in a write may hold: more than any form offers (a commitment's focus
# areas and indicators, the network's cities), far fewer than a request body may carry (2.5 MB
# holds 300,000 ids, which took seconds to check and more SQL variables than SQLite allows).
MAX_ITEMS = 1000


class BoundedListField(serializers.ListField):
    """A ListField that refuses a list longer than max_length before checking its items (DRF
    checks every item first, then the length)."""

    def to_internal_value(self, data):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class LinkInputSerializer(serializers.Serializer):
    url = serializers.CharField(allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)


class IndicatorValueInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=None, decimal_places=None, allow_null=True, coerce_to_string=False)


class ActionWriteSerializer(serializers.Serializer):
    """What an ambassador sends to log or change an action. Only the types are checked here: the
    site's own forms then check the rest, with the messages the pages show."""

    commitment = serializers.IntegerField(required=False, help_text="Required to create.")
    kind = serializers.ChoiceField(choices=Action.Kind.choices, required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    started_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True)
    people_reached = serializers.IntegerField(required=False, allow_null=True)
    women_reached = serializers.IntegerField(required=False, allow_null=True)
    men_reached = serializers.IntegerField(required=False, allow_null=True)
    other_reached = serializers.IntegerField(required=False, allow_null=True)
    youth_reached = serializers.IntegerField(required=False, allow_null=True)
    disability_reached = serializers.IntegerField(required=False, allow_null=True)
    indigenous_reached = serializers.IntegerField(required=False, allow_null=True)
    afro_reached = serializers.IntegerField(required=False, allow_null=True)
    partners = serializers.CharField(required=False, allow_blank=True)
    good_practice = serializers.BooleanField(required=False)
    focus_areas = BoundedListField(child=serializers.IntegerField(), max_length=MAX_ITEMS, required=False)
    cities_involved = BoundedListField(child=serializers.IntegerField(), max_length=MAX_ITEMS, required=False)
    indicator_values = IndicatorValueInputSerializer(many=True, max_length=MAX_ITEMS, required=False)
    links = LinkInputSerializer(many=True, max_length=MAX_ITEMS, required=False)
    confirm_kind_change = serializers.BooleanField(required=False)


class ReviewInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, help_text="Required to return an action.")


class TargetWriteSerializer(serializers.Serializer):
    """A city's target on an indicator for a horizon; checked then by the site's target form."""

    city = serializers.IntegerField(required=False, help_text="Required to create; a city of the caller's scope.")
    indicator = serializers.IntegerField(required=False)
    horizon = serializers.ChoiceField(choices=Target._meta.get_field("horizon").choices, required=False)
    baseline = serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False, required=False)
    baseline_year = serializers.IntegerField(required=False)
    target_value = serializers.DecimalField(
        max_digits=None, decimal_places=None, coerce_to_string=False, required=False
    )
    due_on = serializers.DateField(required=False)
