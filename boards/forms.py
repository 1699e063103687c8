"""GOV.UK forms of the boards app (crispy-forms-gds); the services make the final checks."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.db.models import Q
from django.utils import timezone

from boards.models import ActionStatus, Board, BoardScope
from liaison.forms import GovukDateField
from liaison.models import Contact, District, LocalAuthority
from liaison.validators import checks_free_text


def _helper(*fields, button: str, secondary: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button, css_class="govuk-button--secondary" if secondary else ""))
    return helper


def _contact_label(contact: Contact) -> str:
    return f"{contact.name}, {contact.role.name}, {contact.organisation}"


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _contact_label(obj)


class ContactMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _contact_label(obj)


@checks_free_text(
    replaces=("short", "the arrangements it replaces"),
    cross_district_reason=("short", "the reason for a cross-district board"),
)
class BoardForm(forms.ModelForm):
    districts = forms.ModelMultipleChoiceField(
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Districts",
        help_text="One district is the norm; choose more for a cross-district board agreed with LA partners.",
        error_messages={"required": "Choose at least one district"},
    )
    local_authorities = forms.ModelMultipleChoiceField(
        queryset=LocalAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Local Authorities",
        help_text="They must sit in the board's districts.",
        error_messages={"required": "Choose the Local Authorities on the board"},
    )
    members = ContactMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Standing members",
        help_text="CCD, BDC and FIS colleagues and their Local Authority counterparts.",
    )
    established_on = GovukDateField(
        label="Date set up",
        help_text="For example, 1 4 2026. The 12 months in which the board must meet twice count from this date.",
        example="1 4 2026",
        error_messages={"required": "Enter the date the board was set up"},
    )

    class Meta:
        model = Board
        fields = [
            "title",
            "districts",
            "local_authorities",
            "scope",
            "jcp_chair",
            "la_chair",
            "erm",
            "members",
            "jcp_secretariat",
            "la_secretariat",
            "meetings_per_year",
            "cross_district_reason",
            "replaces",
            "established_on",
        ]
        field_classes = {
            "jcp_chair": ContactChoiceField,
            "la_chair": ContactChoiceField,
            "erm": ContactChoiceField,
            "jcp_secretariat": ContactChoiceField,
            "la_secretariat": ContactChoiceField,
        }
        # GOV.UK asks for a text input with a numeric keyboard rather than a number input.
        widgets = {"scope": forms.RadioSelect, "meetings_per_year": forms.TextInput(attrs={"inputmode": "numeric"})}
        error_messages = {
            "title": {"required": "Enter the board title"},
            "meetings_per_year": {
                "required": "Enter the number of meetings a year agreed with LA partners",
                "invalid": "Enter the number of meetings a year as a whole number, like 4",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Further districts of the ERM's own region(s) may be named on a cross-district board; each agrees to it.
        own = District.objects.editable_by(user)
        districts = District.objects.filter(region__in=own.values("region_id"))
        if self.instance.pk:
            districts = District.objects.filter(Q(pk__in=districts.values("pk")) | Q(boards=self.instance)).distinct()
        self.fields["districts"].help_text = (
            "One district is the norm. A further district you do not run joins once its own External Relations "
            "Manager (or the Regional ERM) agrees."
        )
        self.fields["districts"].queryset = districts.order_by("name")
        authorities = LocalAuthority.objects.filter(districts__in=districts.values("pk")).distinct().order_by("name")
        self.fields["local_authorities"].queryset = authorities
        people = (
            Contact.objects.active()
            .filter(Q(district__in=districts.values("pk")) | Q(local_authority__in=authorities.values("pk")))
            .select_related("role", "district", "local_authority", "office")
            .order_by("role__side", "role__order", "name")
        )
        for name in ("jcp_chair", "erm", "jcp_secretariat"):
            self.fields[name].queryset = people.filter(district__isnull=False)
            self.fields[name].empty_label = "Not named yet"
        for name in ("la_chair", "la_secretariat"):
            self.fields[name].queryset = people.filter(local_authority__isnull=False)
            self.fields[name].empty_label = "Not named yet"
        self.fields["members"].queryset = people
        self.fields["scope"].choices = BoardScope.choices
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("districts", small=True),
            Field.checkboxes("local_authorities", small=True),
            Field.radios("scope", legend_size=Size.SMALL),
            Fieldset(
                Field.select("jcp_chair"),
                Field.select("la_chair"),
                Field.select("erm"),
                legend="Chairs and ERM",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("jcp_secretariat"),
                Field.select("la_secretariat"),
                legend="Secretariat",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("members", small=True),
            Field.text("meetings_per_year", field_width=Fixed.TWO),
            Field.textarea("cross_district_reason", rows=3),
            Field.textarea("replaces", rows=3),
            Field("established_on"),
            button="Save board",
        )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


@checks_free_text(location=("title", "the place"))
class MeetingForm(forms.Form):
    date = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 14 10 2026",
        example="14 10 2026",
        error_messages={"required": "Enter the date of the meeting"},
    )
    start_time = forms.TimeField(
        label="Start time (optional)",
        required=False,
        help_text="For example, 10:00",
        error_messages={"invalid": "Enter a start time like 10:00 or 14:30"},
    )
    location = forms.CharField(label="Where (optional)", required=False, max_length=200)

    def __init__(self, *args, button: str = "Schedule meeting", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("date"),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.text("location", field_width=Fluid.TWO_THIRDS),
            button=button,
        )


@checks_free_text(title="title", body=("long", "the details"))
class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the title of the agenda item"})
    body = forms.CharField(label="Details (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field.textarea("body"), button="Add to the agenda"
        )


class AgendaProposalForm(AgendaItemForm):
    """An LA member proposes an item; the secretariat accepts or declines it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field.textarea("body"), button="Propose the item"
        )


@checks_free_text(reason=("short", "the reason"))
class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept: add it to the agenda"), ("decline", "Decline it")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether to accept or decline the item"},
    )
    reason = forms.CharField(
        label="Reason (needed to decline)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("decision"), Field.textarea("reason"), button="Save the decision")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for declining the item")
        return data


@checks_free_text(text=("long", "your comment"))
class MinutesCommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment on the draft minutes",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("text"), button="Send the comment")


@checks_free_text(other_attendees=("short", "the other attendees"))
class HoldMeetingForm(forms.Form):
    attended = ContactMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who attended",
        error_messages={"required": "Select who attended the meeting"},
    )
    apologies = ContactMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who sent apologies",
    )
    other_attendees = forms.CharField(
        label="Anyone else who attended (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, with their organisation.",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = people
        self.fields["apologies"].queryset = people
        self.helper = _helper(
            Field.checkboxes("attended", small=True, legend_size=Size.MEDIUM),
            Field.checkboxes("apologies", small=True, legend_size=Size.MEDIUM),
            Field.textarea("other_attendees"),
            button="Record the meeting as held",
        )

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("attended") or []) & set(cleaned.get("apologies") or [])
        if both:
            names = ", ".join(sorted(c.name for c in both))
            self.add_error("apologies", f"{names} cannot both attend and send apologies")
        return cleaned


@checks_free_text(minutes="minutes")
class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Draft minutes: they are approved at the board's next meeting.",
        error_messages={"required": "Enter the minutes"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("minutes"), button="Save draft minutes")


@checks_free_text(description="short")
class ActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what is to be done"},
    )
    owner = ContactChoiceField(
        queryset=Contact.objects.none(), label="Owner", error_messages={"required": "Choose who owns the action"}
    )
    due_date = GovukDateField(
        label="Due date",
        help_text="For example, 30 11 2026",
        example="30 11 2026",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].empty_label = "Choose an owner"
        self.helper = _helper(
            Field.textarea("description"), Field.select("owner"), Field("due_date"), button="Add action"
        )


@checks_free_text(update=("short", "the progress note"))
class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.RadioSelect, label="Status")
    update = forms.CharField(label="Progress note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, inline=True), Field.textarea("update"), button="Save"
        )


@checks_free_text(title="title", description="long")
class GoodPracticeForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a short title"})
    description = forms.CharField(
        label="What works and how to do it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the good practice"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field.textarea("description"), button="Share"
        )


# A search runs one filter per word: without limits, thousands of words crash SQLite ("Expression tree is too
# large") or pin PostgreSQL. Longer text is refused with a message; words beyond the first few are ignored.
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8


@checks_free_text(title="title", description="long")
class DevelopmentForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a short title"})
    description = forms.CharField(
        label="What is changing and what boards should know",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the development"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description"),
            button="Publish to every board",
        )


class GoodPracticeSearchForm(forms.Form):
    q = forms.CharField(
        label="Search good practice",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer"},
    )

    def terms(self) -> list[str]:
        return self.cleaned_data["q"].split()[:SEARCH_MAX_WORDS]


@checks_free_text(note="short")
class TransitionCompleteForm(forms.Form):
    completed_on = GovukDateField(
        label="Date it was done",
        help_text="For example, 31 3 2026",
        example="31 3 2026",
        error_messages={"required": "Enter the date it was done"},
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate
        self.helper = _helper(Field("completed_on"), Field.textarea("note"), button="Tick off")


EMAIL_INVALID = "Enter an email address in the correct format, like name@example.gov.uk"


@checks_free_text(la_members=("short", "the Local Authority members"), comments="long")
class ReturnForm(forms.Form):
    """The Appendix 3 stencil, numbered as on paper."""

    board_title = forms.CharField(label="Board title", max_length=200)
    district_office = forms.CharField(label="1. Name of Jobcentre Plus District Office", max_length=300)
    la_members = forms.CharField(
        label="2. Name(s) of local authority joint board members",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line.",
    )
    jcp_chair = forms.CharField(label="3. Jobcentre Plus Chair", max_length=200)
    la_chair = forms.CharField(label="3. Local Authority Chair", max_length=200)
    erm_name = forms.CharField(label="4. District ERM name", max_length=120)
    erm_phone = forms.CharField(label="4. District ERM telephone number", max_length=20)
    erm_email = forms.EmailField(label="4. District ERM email address")
    first_meeting_date = GovukDateField(
        label="5. Date of first JCP/LA Joint Board meeting",
        help_text="For example, 20 4 2026",
        example="20 4 2026",
    )
    scope = forms.ChoiceField(
        label="6. Scope of Joint Board meeting(s)", choices=BoardScope.choices, widget=forms.RadioSelect
    )
    jcp_secretariat_name = forms.CharField(label="7. JCP secretariat name", max_length=120)
    jcp_secretariat_email = forms.EmailField(label="7. JCP secretariat email address")
    la_secretariat_name = forms.CharField(label="7. LA secretariat name", max_length=120)
    la_secretariat_email = forms.EmailField(label="7. LA secretariat email address")
    comments = forms.CharField(
        label="8. Any other comments (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    previous = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required:
                label = str(field.label).split(". ", 1)[-1]
                field.error_messages["required"] = f"Enter the {label[0].lower()}{label[1:]}"
                if name == "scope":
                    field.error_messages["required"] = "Choose the scope of the board"
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = EMAIL_INVALID
        self.helper = _helper(
            Field.text("board_title", field_width=Fluid.TWO_THIRDS),
            Field.text("district_office", field_width=Fluid.TWO_THIRDS),
            Field.textarea("la_members"),
            Fieldset(
                Field.text("jcp_chair", field_width=Fluid.TWO_THIRDS),
                Field.text("la_chair", field_width=Fluid.TWO_THIRDS),
                legend="3. Names of Joint Board Chairs",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.text("erm_name", field_width=Fluid.TWO_THIRDS),
                Field.text("erm_phone", field_width=Fixed.TWENTY),
                Field.text("erm_email", field_width=Fluid.TWO_THIRDS),
                legend="4. Name and contact details of the Jobcentre Plus District ERM",
                legend_size=Size.SMALL,
            ),
            Field("first_meeting_date"),
            Field.radios("scope", legend_size=Size.SMALL),
            Fieldset(
                Field.text("jcp_secretariat_name", field_width=Fluid.TWO_THIRDS),
                Field.text("jcp_secretariat_email", field_width=Fluid.TWO_THIRDS),
                Field.text("la_secretariat_name", field_width=Fluid.TWO_THIRDS),
                Field.text("la_secretariat_email", field_width=Fluid.TWO_THIRDS),
                legend="7. Name and contact details of Joint Board secretariat colleagues",
                legend_size=Size.SMALL,
            ),
            Field.textarea("comments"),
            Field("previous"),
            button="Submit the return",
        )
