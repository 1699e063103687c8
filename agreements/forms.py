"""GOV.UK forms for preparing documents, choosing the End of Year statement, signing, verifying and recording
evaluations; services check the rest."""

from __future__ import annotations

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from agreements.models import (
    YEAR_STATEMENT_TEXTS,
    DocumentKind,
    LocalAgreementKind,
    RequestChannel,
    RequestKind,
    YearStatement,
)
from agreements.signing import NOT_MET_REASON_MAX
from liaison.forms import GovukDateField
from liaison.models import District, LocalAuthority
from liaison.validators import checks_free_text


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


def _year_field(label: str, help_text: str, required: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": required,
            "invalid": "Enter the year as 4 numbers, like 2008",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year up to 2100",
        },
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="Enter your Liaison password again to confirm it is you signing.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
        strip=False,
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows now.",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )
    printed_name = forms.CharField(
        label="Printed name",
        help_text="Your full name as it should be printed under your signature.",
        max_length=200,
        error_messages={"required": "Enter your printed name"},
    )
    declaration = forms.BooleanField(
        label="I have read the text above and I sign it on behalf of my organisation",
        error_messages={"required": "Confirm that you have read the text and sign it"},
    )
    shown_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, ask_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_code:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = "Enter the code from your authenticator app"
        else:
            del self.fields["code"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("password", field_width=Fluid.ONE_HALF),
            *([Field.text("code", field_width=Fixed.FIVE)] if ask_code else []),
            Field.text("printed_name", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("declaration", small=True),
            "shown_sha256",
            Button("submit", "Sign this document"),
        )


@checks_free_text(not_met_reason=("short", "the reason"))
class StatementForm(forms.Form):
    """A signer chooses the End of Year statement before signing (see `signing.statement_choice`).

    Its ids carry a `statement-` prefix so that its hidden hash never shares an id with the sign form's on one page.
    """

    statement = forms.ChoiceField(
        label="Which statement applies to the year?",
        choices=[(value, YEAR_STATEMENT_TEXTS[YearStatement(value)]) for value in YearStatement.values],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of the three statements",
            "invalid_choice": "Choose one of the three statements",
        },
    )
    not_met_reason = forms.CharField(
        label="If not met: why, briefly",
        help_text="Needed only when the aims, objectives and standards were not met. The reason becomes part of the "
        "text, and a review action is opened for the Joint Board when both have signed.",
        required=False,
        max_length=NOT_MET_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The reason must be {NOT_MET_REASON_MAX} characters or fewer"},
    )
    shown_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, document, **kwargs):
        kwargs.setdefault("auto_id", "statement-%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("statement", document.statement)
            self.initial.setdefault("not_met_reason", document.not_met_reason)
        self.initial["shown_sha256"] = document.content_sha256
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("statement", legend_size=Size.SMALL),
            Field.textarea("not_met_reason", rows=3),
            "shown_sha256",
            # Its own name, so that its id differs from the sign button on the same page.
            Button("choose", "Change the statement" if document.statement else "Add this statement to the text"),
        )


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PrepareForm(forms.Form):
    """Prepare a Statement of Intent (a period of whole years) or an End of Year Sign-off (one year) for a board."""

    agreement = forms.ModelChoiceField(
        queryset=None,
        label="Partnership Agreement",
        empty_label=None,
        error_messages={"required": "Choose the Partnership Agreement", "invalid_choice": "Choose an agreement"},
    )
    signing_authority = AuthorityChoiceField(
        queryset=None,
        label="Local Authority",
        help_text="Its LA Benefits Manager signs for the Local Authority.",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the Local Authority that signs",
            "invalid_choice": "Choose a Local Authority of this Joint Board",
        },
    )
    on_behalf_of_all = forms.BooleanField(
        label="This Local Authority signs on behalf of all Local Authorities in the Joint Board",
        required=False,
    )
    delivery_centre = forms.CharField(
        label="Name of Benefit Delivery Centre and/or district",
        max_length=300,
        error_messages={"required": "Enter the name of the Benefit Delivery Centre and/or district"},
    )

    def __init__(self, *args, board, agreements, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["agreement"].queryset = agreements
        authorities = board.local_authorities.order_by("name")
        self.fields["signing_authority"].queryset = authorities
        names = ", ".join(a.name for a in authorities)
        self.fields[
            "on_behalf_of_all"
        ].help_text = f"PA 5.2. The document then lists every Local Authority it covers: {names}."
        if kind == DocumentKind.STATEMENT_OF_INTENT:
            self.fields["first_year"] = _year_field(
                "From April of", "The year the period starts, for example 2008.", "Enter the year the period starts"
            )
            self.fields["last_year"] = _year_field(
                "To March of", "The year the period ends, for example 2011.", "Enter the year the period ends"
            )
            years = [Field.text("first_year", field_width=Fixed.FOUR), Field.text("last_year", field_width=Fixed.FOUR)]
        else:
            self.fields["first_year"] = _year_field(
                "The year from April of",
                "The sign-off covers April of this year to March of the next, for example 2008 for April 2008 to "
                "March 2009.",
                "Enter the year the sign-off covers",
            )
            years = [Field.text("first_year", field_width=Fixed.FOUR)]
        self.helper = _helper(
            Field.select("agreement"),
            Field.radios("signing_authority", legend_size=Size.SMALL),
            Field.checkbox("on_behalf_of_all", small=True),
            Field.text("delivery_centre", field_width=Fluid.TWO_THIRDS),
            *years,
            button="Prepare for signing",
        )

    def clean(self):
        data = super().clean()
        first = data.get("first_year")
        last = data.get("last_year", first + 1 if first else None)
        if first and last:
            if last <= first:
                self.add_error("last_year", "The period must end in a later year than it starts")
            else:
                data["period_start"] = datetime.date(first, 4, 1)
                data["period_end"] = datetime.date(last, 3, 31)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "agreement": data["agreement"],
            "signing_authority": data["signing_authority"],
            "on_behalf_of_all": data["on_behalf_of_all"],
            "delivery_centre": data["delivery_centre"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
        }


class NewVersionForm(forms.Form):
    delivery_centre = forms.CharField(
        label="Name of Benefit Delivery Centre and/or district",
        max_length=300,
        error_messages={"required": "Enter the name of the Benefit Delivery Centre and/or district"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("delivery_centre", field_width=Fluid.TWO_THIRDS), button="Make a new version for signing"
        )


@checks_free_text(notes="long")
class EvaluationForm(forms.Form):
    evaluated_on = GovukDateField(
        label="Date of the evaluation",
        help_text="For example, 2 4 2009.",
        example="2 4 2009",
        error_messages={"required": "Enter the date of the evaluation"},
    )
    notes = forms.CharField(
        label="Findings",
        help_text="What the evaluation found and any changes agreed (PA 5.4).",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("evaluated_on"), Field.textarea("notes", rows=5), button="Record the evaluation")


class VerifyForm(forms.Form):
    pdf = forms.FileField(
        label="Signed PDF",
        help_text="A PDF downloaded from Liaison, up to 10 MB.",
        error_messages={"required": "Choose the PDF to check"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("pdf"), Button("submit", "Check the PDF"))

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("The PDF must be smaller than 10 MB")
        return upload


class AgreementVersionForm(forms.Form):
    """The next Partnership Agreement, prepared from the one in force."""

    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter the agreement's title"},
    )
    version = forms.CharField(
        label="Version",
        help_text="As the document names it, for example FINAL VERSION 1.0.",
        max_length=50,
        error_messages={"required": "Enter the version"},
    )
    period_start = GovukDateField(
        label="First day of the agreement",
        help_text="For example, 1 4 2026.",
        example="1 4 2026",
        error_messages={"required": "Enter the agreement's first day"},
    )
    period_end = GovukDateField(
        label="Last day of the agreement",
        help_text="For example, 31 3 2029.",
        example="31 3 2029",
        error_messages={"required": "Enter the agreement's last day"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.FULL),
            Field.text("version", field_width=Fluid.ONE_THIRD),
            Field("period_start"),
            Field("period_end"),
            button="Prepare the new version",
        )

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] <= data["period_start"]:
            self.add_error("period_end", "The last day must be after the first day")
        return data


@checks_free_text(title="title", text=("document", "the section's text"))
class SectionForm(forms.Form):
    title = forms.CharField(label="Heading", max_length=200, required=False)
    text = forms.CharField(
        label="Text",
        help_text="Start a line with a dash and a space (- ) for a bullet point.",
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, *args, heading: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.textarea("text", rows=12)]
        if heading:
            self.fields["title"].required = True
            self.fields["title"].error_messages["required"] = "Enter the section's heading"
            fields.insert(0, Field.text("title", field_width=Fluid.FULL))
        else:
            del self.fields["title"]
        self.helper = _helper(*fields, button="Save the section")


class PublishForm(forms.Form):
    published_on = GovukDateField(
        label="Date of publication",
        help_text="From this date the text is fixed and staff are asked to record that they have read it.",
        example="1 4 2026",
        error_messages={"required": "Enter the date of publication"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("published_on"), button="Publish this version")


# Local agreements, request procedures and contingency arrangements.


@checks_free_text(
    title="title",
    text=("document", "what is agreed"),
    invoked_when=("medium", "when it is invoked"),
    jcp_actions=("medium", "what Jobcentre Plus does"),
    la_actions=("medium", "what the Local Authorities do"),
)
class LocalAgreementForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of agreement is it?",
        choices=LocalAgreementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of agreement it is"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    text = forms.CharField(
        label="What is agreed",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Say what is agreed"},
    )
    local_authorities = forms.ModelMultipleChoiceField(
        label="Local Authorities it covers",
        queryset=LocalAuthority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    districts = forms.ModelMultipleChoiceField(
        label="Districts it covers",
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    review_on = GovukDateField(
        label="Review by (optional)",
        help_text="The board is alerted when this date passes. For example, 31 3 2027.",
        example="31 3 2027",
        required=False,
    )
    invoked_when = forms.CharField(
        label="When it is invoked (contingency plans)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    jcp_actions = forms.CharField(
        label="What Jobcentre Plus does (contingency plans)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    la_actions = forms.CharField(
        label="What the Local Authorities do (contingency plans)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decided_by = forms.CharField(label="Who decides to invoke it (contingency plans)", required=False, max_length=200)

    def __init__(self, *args, board, revising: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authorities"].queryset = board.local_authorities.order_by("name")
        self.fields["districts"].queryset = board.districts.order_by("name")
        fields = [
            Field.text("title", field_width=Fluid.FULL),
            Field.textarea("text", rows=8),
            Field.checkboxes("local_authorities", small=True),
            Field.checkboxes("districts", small=True),
            Field("review_on"),
            Field.textarea("invoked_when", rows=3),
            Field.textarea("jcp_actions", rows=3),
            Field.textarea("la_actions", rows=3),
            Field.text("decided_by", field_width=Fluid.TWO_THIRDS),
        ]
        if revising:
            del self.fields["kind"]
        else:
            fields.insert(0, Field.radios("kind", legend_size=Size.SMALL, small=True))
        self.helper = _helper(*fields, button="Save the new version" if revising else "Propose the agreement")


class AgreeForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="At which meeting did the board agree it?",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the meeting at which it was agreed"},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda meeting: f"{meeting.date:%-d %B %Y}"
        self.helper = _helper(Field.radios("meeting", legend_size=Size.SMALL, small=True), button="Record as agreed")


@checks_free_text(reason=("short", "the reason"))
class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), button="Withdraw it")


class ProcedureForm(forms.Form):
    request_kind = forms.ChoiceField(
        label="Which kind of request?",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of request"},
    )
    other_kind = forms.CharField(label="Name of the request, if other", required=False, max_length=120)
    channel = forms.ChoiceField(
        label="How is it made?",
        choices=RequestChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the request is made"},
    )
    address = forms.CharField(
        label="Secure email address, telephone number or form",
        max_length=200,
        error_messages={"required": "Enter where the request goes"},
    )
    target_working_days = forms.IntegerField(
        label="Answered within (working days)",
        min_value=1,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the target in working days",
            "invalid": "Enter the target as a whole number of working days",
            "min_value": "The target must be at least 1 working day",
            "max_value": "The target must be 60 working days or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("request_kind", legend_size=Size.SMALL, small=True),
            Field.text("other_kind", field_width=Fluid.TWO_THIRDS),
            Field.radios("channel", legend_size=Size.SMALL, small=True),
            Field.text("address", field_width=Fluid.TWO_THIRDS),
            Field.text("target_working_days", field_width=Fixed.FIVE),
            button="Add the request",
        )


@checks_free_text(reason=("medium", "the reason"))
class InvokeForm(forms.Form):
    reason = forms.CharField(
        label="Why is the plan invoked?",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the plan is invoked"},
    )
    local_authorities = forms.ModelMultipleChoiceField(
        label="For which Local Authorities?",
        queryset=LocalAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the Local Authorities it is invoked for"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authorities"].queryset = plan.local_authorities.order_by("name")
        self.helper = _helper(
            Field.textarea("reason", rows=3),
            Field.checkboxes("local_authorities", small=True),
            button="Invoke the plan",
        )


@checks_free_text(lessons=("medium", "what was learnt"))
class StandDownForm(forms.Form):
    lessons = forms.CharField(
        label="What was learnt?",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was learnt, for the next plan"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("lessons", rows=3), button="Stand it down")


@checks_free_text(title="title", text=("document", "the steer"))
class SteerForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    text = forms.CharField(
        label="The national steer",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the national steer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.FULL), Field.textarea("text", rows=8), button="Publish the steer"
        )
