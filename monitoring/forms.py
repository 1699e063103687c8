"""GOV.UK forms of monitoring: choosing areas, opening an exercise, recording samples one by one or by file."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from liaison.forms import GovukDateField
from liaison.models import LocalAuthority
from liaison.validators import checks_free_text
from monitoring.models import Standard, StandardKind
from monitoring.querysets import eligible_monitors
from monitoring.uploads import MAX_ROWS

UPLOAD_MAX_BYTES = 5 * 1024 * 1024


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class _StandardChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Standard) -> str:
        return f"{obj.code}: {obj.title}"


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


@checks_free_text(local_risk=("short", "the local risk"))
class AreaForm(forms.Form):
    standard = _StandardChoice(
        queryset=Standard.objects.none(), empty_label="Choose a standard",
        error_messages={"required": "Choose the standard to monitor"},
    )  # fmt: skip
    local_risk = forms.CharField(
        label="Local risk it is aligned with",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Name the local risk this area is aligned with"},
    )
    monitor = _UserChoice(
        label="Who monitors it", queryset=get_user_model().objects.none(), empty_label="Choose a person",
        error_messages={"required": "Choose who monitors this area"},
    )  # fmt: skip

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        # A timeliness standard without a threshold (FRD-2 until one is set) has nothing to measure yet.
        self.fields["standard"].queryset = (
            Standard.objects.filter(Q(board__isnull=True) | Q(board=board))
            .annotate(threshold_count=Count("thresholds"))
            .exclude(kind=StandardKind.TIMELINESS, threshold_count=0)
            .order_by("board_id", "code")
        )
        self.fields["standard"].help_text = (
            "A standard with no measurable target yet, such as FRD-2, can be chosen once it has a threshold. "
            "Your board can add a local standard with its own target."
        )
        self.fields["monitor"].queryset = eligible_monitors(board)
        self.fields["monitor"].help_text = (
            "A monitoring officer or manager of the board's districts or Local Authorities, JCP or LA side"
            + (
                ", or the Regional ERM and the region's monitoring officers (the Country/Region ERM manages a "
                "district of this board)."
                if board.districts.filter(managed_by_region=True).exists()
                else "."
            )
        )
        self.helper = _helper(
            Field.select("standard"), Field.textarea("local_risk"), Field.select("monitor"), button="Add area"
        )


@checks_free_text(agreed_size_reason=("short", "the reason for the smaller size"))
class ExerciseForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        label="Local Authority", queryset=LocalAuthority.objects.none(), empty_label="Choose an authority",
        help_text="Its nation's bank holidays are not working days.",
        error_messages={"required": "Choose the Local Authority"},
    )  # fmt: skip
    sampled_from = GovukDateField(
        label="First day sampled", help_text="For example, 8 1 2024", example="8 1 2024",
        error_messages={"required": "Enter the first day sampled"},
    )  # fmt: skip
    sampled_to = GovukDateField(
        label="Last day sampled", help_text="For example, 12 1 2024", example="12 1 2024",
        error_messages={"required": "Enter the last day sampled"},
    )  # fmt: skip
    throughput = forms.IntegerField(
        label="Throughput", min_value=0, max_value=10_000_000,
        help_text="The relevant cases in the sampled period. The sample is 2.5% of them, rounded up.",
        error_messages={"required": "Enter the number of relevant cases", "invalid": "Enter a whole number"},
    )  # fmt: skip
    agreed_size = forms.IntegerField(
        label="Smaller agreed sample size (optional)", required=False, min_value=1, max_value=10_000_000,
        help_text="Only where a large BDC has agreed a smaller manageable size.",
    )  # fmt: skip
    agreed_size_reason = forms.CharField(
        label="Reason for the smaller size", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = board.local_authorities.order_by("name")
        self.helper = _helper(
            Field.select("local_authority"),
            Field("sampled_from"),
            Field("sampled_to"),
            Field.text("throughput", field_width=Fixed.TEN),
            Field.text("agreed_size", field_width=Fixed.TEN),
            Field.textarea("agreed_size_reason"),
            button="Start the exercise",
        )


class SampleForm(forms.Form):
    case_reference = forms.CharField(
        max_length=40,
        help_text="The office's case reference: never a National Insurance number or a name.",
        error_messages={"required": "Enter the case reference"},
    )
    started_on = GovukDateField(
        label="Start date", example="8 1 2024", help_text="For example, 8 1 2024",
        error_messages={"required": "Enter the start date"},
    )  # fmt: skip
    ended_on = GovukDateField(
        label="End date (leave empty if the case is still open)", example="10 1 2024", required=False,
        help_text="For example, 10 1 2024",
    )  # fmt: skip
    compliant = forms.ChoiceField(
        label="Did the case comply?", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, compliance: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("case_reference", field_width=Fluid.ONE_THIRD), Field("started_on"), Field("ended_on")]
        if compliance:
            fields.append(Field.radios("compliant", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["compliant"]
        self.helper = _helper(*fields, button="Add the case")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if "compliant" in data:
            data["compliant"] = {"yes": True, "no": False}.get(data["compliant"])
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text=f"Columns: case_reference, start_date, end_date (and compliant: yes or no, for compliance "
        f"standards). Dates as YYYY-MM-DD or DD/MM/YYYY. Up to {MAX_ROWS:,} rows.",
        error_messages={"required": "Choose a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("file"), button="Upload the file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an XLSX file")
        return upload


@checks_free_text(statement="long")
class AttestationForm(forms.Form):
    part = forms.ChoiceField(
        label="Which part you attest", widget=forms.RadioSelect, required=False,
        error_messages={"required": "Say which part you attest"},
    )  # fmt: skip
    statement = forms.CharField(
        label="What you attest", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you attest"},
    )  # fmt: skip

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        if parts:
            self.fields["part"].choices = [(p.value, p.label) for p in parts]
            self.fields["part"].required = True
            self.fields[
                "part"
            ].help_text = "The Partnership Agreement lists this standard for administration and again for fraud."
            self.helper = _helper(Field.radios("part"), Field.textarea("statement"), button="Record the attestation")
        else:
            del self.fields["part"]
            self.helper = _helper(Field.textarea("statement"), button="Record the attestation")


THRESHOLD_ROWS = 3
ORDINALS = ["first", "second", "third"]


PERCENT_ERRORS = {
    "required": "Enter the percentage of cases",
    "invalid": "Enter the percentage as a whole number",
    "min_value": "Enter a percentage from 1 to 100",
    "max_value": "Enter a percentage from 1 to 100",
}
DAYS_ERRORS = {
    "required": "Enter the number of working days",
    "invalid": "Enter the working days as a whole number",
    "min_value": "Enter working days from 1 to 365",
    "max_value": "Enter working days from 1 to 365",
}


def _percent_field(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1, max_value=100, error_messages=PERCENT_ERRORS)


def _days_field(label: str, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=1, max_value=365, error_messages=DAYS_ERRORS)


@checks_free_text(title=("line", "the title"))
class StandardForm(forms.Form):
    """A new standard: a board's local one (PA 3.1.6), or a national one kept by GPT."""

    code = forms.CharField(
        max_length=20, help_text="A short code of your own, for example LOC-1.",
        error_messages={"required": "Enter a short code for the standard, like LOC-1"},
    )  # fmt: skip
    title = forms.CharField(
        label="What the standard measures", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what the standard measures"},
    )  # fmt: skip
    kind = forms.ChoiceField(
        label="Kind of standard", choices=StandardKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of standard"},
    )  # fmt: skip
    compliance_target = forms.IntegerField(
        label="Compliance target (%)", required=False, min_value=1, max_value=100,
        help_text="Compliance standards only: the share of cases that must comply.", error_messages=PERCENT_ERRORS,
    )  # fmt: skip

    def __init__(self, *args, local: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.local = local
        fieldsets = []
        for n in range(1, THRESHOLD_ROWS + 1):
            self.fields[f"percent_{n}"] = _percent_field("Percentage of cases", required=False)
            self.fields[f"days_{n}"] = _days_field("Within this many working days", required=False)
            fieldsets.append(
                Fieldset(
                    Field.text(f"percent_{n}", field_width=Fixed.THREE),
                    Field.text(f"days_{n}", field_width=Fixed.THREE),
                    legend=f"{ORDINALS[n - 1].capitalize()} threshold{'' if n == 1 and local else ' (optional)'}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = _helper(
            Field.text("code", field_width=Fixed.TEN),
            Field.textarea("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("compliance_target", field_width=Fixed.THREE),
            # A heading, not a fieldset: each threshold is a fieldset already, and nested legends are read twice.
            HTML(
                '<h2 class="govuk-heading-m">Timeliness standards</h2>'
                '<p class="govuk-hint">The target, as a percentage of cases within a number of working days.</p>'
            ),
            *fieldsets,
            button="Add the standard",
        )

    def clean(self):
        data = super().clean()
        thresholds = []
        row_of_days: dict[int, int] = {}
        for n in range(1, THRESHOLD_ROWS + 1):
            percent, days = data.get(f"percent_{n}"), data.get(f"days_{n}")
            if f"percent_{n}" in self.errors or f"days_{n}" in self.errors:
                continue
            if percent is None and days is not None:
                self.add_error(f"percent_{n}", f"Enter the percentage of cases for the {ORDINALS[n - 1]} threshold")
            elif days is None and percent is not None:
                self.add_error(f"days_{n}", f"Enter the working days for the {ORDINALS[n - 1]} threshold")
            elif days in row_of_days:
                # On the row that repeats, so that the error summary links to the field to change.
                self.add_error(
                    f"days_{n}",
                    f"The {ORDINALS[n - 1]} threshold needs a different number of working days from the "
                    f"{ORDINALS[row_of_days[days] - 1]}",
                )
            elif percent is not None:
                row_of_days[days] = n
                thresholds.append((percent, days))
        data["thresholds"] = thresholds
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"], "title": data["title"], "kind": data["kind"],
            "compliance_target": data.get("compliance_target"), "thresholds": data["thresholds"],
        }  # fmt: skip

    def add_service_errors(self, error) -> None:
        """The service's threshold errors belong to the first threshold's fields."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error({"thresholds": "percent_1"}.get(field, field) if field != "__all__" else None, messages)


@checks_free_text(title=("line", "the title"))
class StandardChangeForm(forms.Form):
    """A standard's wording and, for a compliance standard, its target (the kind and code never change)."""

    title = forms.CharField(
        label="What the standard measures", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter what the standard measures"},
    )  # fmt: skip
    compliance_target = forms.IntegerField(
        label="Compliance target (%)", required=False, min_value=1, max_value=100,
        help_text="The share of cases that must comply. Completed exercises keep the target they were judged by.",
        error_messages=PERCENT_ERRORS,
    )  # fmt: skip

    def __init__(self, *args, compliance: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.textarea("title")]
        if compliance:
            fields.append(Field.text("compliance_target", field_width=Fixed.THREE))
        else:
            del self.fields["compliance_target"]
        self.helper = _helper(*fields, button="Save the standard")


class ThresholdForm(forms.Form):
    percent = _percent_field("Percentage of cases")
    days = _days_field("Within this many working days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("percent", field_width=Fixed.THREE), Field.text("days", field_width=Fixed.THREE),
            button="Save the threshold",
        )  # fmt: skip


class SampleCloseForm(forms.Form):
    ended_on = GovukDateField(
        label="End date", example="10 1 2024", help_text="The day the case was completed. For example, 10 1 2024",
        error_messages={"required": "Enter the end date"},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("ended_on"), button="Record the end date")


class CaseShapeForm(forms.Form):
    shape = forms.CharField(
        label="Shape of your case references",
        help_text=(
            "Write # for a digit and @ for a letter; other letters, digits, - and / stand for themselves. Separate "
            "several shapes with commas, for example HB/######, CTB-@@####. Leave it empty to accept any reference."
        ),
        max_length=200,
        required=False,
    )
    example = forms.CharField(
        label="An example of a case reference", help_text="For example HB/123456.", max_length=40, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("shape", field_width=Fluid.TWO_THIRDS),
            Field.text("example", field_width=Fluid.ONE_THIRD),
            button="Save the shape",
        )
