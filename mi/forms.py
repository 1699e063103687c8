"""Forms of the management information: an organisation's figures for a quarter, an upload, the catalogue."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from liaison.forms import GovukDateField
from liaison.validators import checks_free_text
from mi.models import Direction, Measure, Side, Unit

UPLOAD_MAX_BYTES = 2 * 1024 * 1024
SUFFIX = {Unit.DAYS: "days", Unit.PERCENT: "%", Unit.COUNT: ""}


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


@checks_free_text(reason=("line", "the reason for the correction"))
class FiguresForm(forms.Form):
    """One field per measure of the organisation's side, and the reason for any correction."""

    reason = forms.CharField(
        label="Reason for any correction",
        required=False,
        help_text="Needed only when you change a figure already entered: the old value stays in the history.",
    )

    def __init__(self, *args, measures: list[Measure], entered: dict[int, object], **kwargs):
        initial = {m.code: entered.get(m.pk) for m in measures}
        super().__init__(*args, initial=initial, **kwargs)
        self.measures = measures
        fields = []
        for measure in measures:
            better = "lower" if measure.direction == Direction.LOWER else "higher"
            hint = f"{measure.get_unit_display()}, {better} is better."
            if measure.description:
                hint = f"{measure.description} {hint}"
            self.fields[measure.code] = forms.CharField(
                label=measure.name, required=False, help_text=hint, max_length=20
            )
            fields.append(Field.text(measure.code, field_width=Fixed.FIVE, suffix=SUFFIX[Unit(measure.unit)] or None))
        self.order_fields([m.code for m in measures] + ["reason"])
        self.helper = _helper(*fields, Field.text("reason", field_width=Fluid.FULL), button="Save the figures")

    def values(self) -> dict[Measure, str]:
        return {m: self.cleaned_data.get(m.code, "").strip() for m in self.measures}


class FiguresUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Columns: measure, quarter, organisation, value and, for a correction, reason. The template has "
        "them filled in for your organisations.",
        error_messages={"required": "Choose a file to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("file"), button="Upload the figures")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an XLSX file")
        return upload


@checks_free_text(name="title", description=("short", "the description"))
class MeasureForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the name of the measure"})
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    order = forms.IntegerField(
        label="Place in the list", min_value=0, max_value=999, initial=100, help_text="Lower numbers come first."
    )

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if new:
            self.fields["code"] = forms.SlugField(
                label="Short name",
                max_length=40,
                help_text="Used in uploaded files, for example hb-new-claims-days. It cannot be changed later.",
                error_messages={"required": "Enter a short name", "invalid": "Use lower-case letters, digits and -"},
            )
            self.fields["side"] = forms.ChoiceField(
                label="Whose measure it is", choices=Side.choices, widget=forms.RadioSelect,
                error_messages={"required": "Choose whose measure it is"},
            )  # fmt: skip
            self.fields["unit"] = forms.ChoiceField(
                choices=Unit.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the unit"}
            )
            self.fields["direction"] = forms.ChoiceField(
                label="Which way is better", choices=Direction.choices, widget=forms.RadioSelect,
                error_messages={"required": "Choose which way is better"},
            )  # fmt: skip
            fields = [
                Field.text("code", field_width=Fluid.ONE_HALF),
                Field.radios("side", legend_size=Size.SMALL),
                Field.radios("unit", legend_size=Size.SMALL),
                Field.radios("direction", legend_size=Size.SMALL),
            ]
        self.helper = _helper(
            Field.text("name"), *fields, Field.textarea("description"), Field.text("order", field_width=Fixed.FIVE),
            button="Save the measure",
        )  # fmt: skip


class RetireForm(forms.Form):
    on = GovukDateField(
        label="Retire from",
        help_text="Quarters starting on or after this day take no figures of the measure. Earlier ones keep theirs.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("on"), button="Retire the measure")
