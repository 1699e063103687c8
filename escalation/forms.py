"""GOV.UK forms for logging an issue and for each action on it; every action form carries the version it saw."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms

from escalation.models import LA_MANAGER_ROLES, Direction, Level, Source
from escalation.route import can_log
from liaison.models import Contact, District, IssueCategory, LocalAuthority, Role
from liaison.scoping import scope_for
from liaison.validators import checks_free_text

YES_NO = [("yes", "Yes"), ("no", "No")]


class _ContactChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name}, {obj.role.name}, {obj.organisation}"


def _authorities_by_district(districts, authorities) -> list:
    """The authorities grouped under each district they sit in (an authority in two districts is in both groups), so
    that without JavaScript the list still says which authority is in which district; with it, the page offers
    only the chosen district's group."""
    visible = {a.pk: a for a in authorities.order_by("name")}
    groups = []
    for district in districts.order_by("name").prefetch_related("local_authorities"):
        members = sorted(
            (visible[a.pk] for a in district.local_authorities.all() if a.pk in visible), key=lambda a: a.name
        )
        if members:
            groups.append((district.name, [(a.pk, a.name) for a in members]))
    return [("", "Choose an authority"), *groups]


@checks_free_text(title="title", description="long", attempts_detail=("short", "the attempts made"))
class IssueForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a short title for the issue"})
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What is happening, since when, and the effect on customers or on clearance times.",
        error_messages={"required": "Describe the issue"},
    )
    direction = forms.ChoiceField(
        label="Who is raising it with whom",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is raising the issue with whom"},
    )
    category = forms.ModelChoiceField(
        queryset=IssueCategory.objects.all(),
        empty_label="Choose a category",
        help_text="The category decides which operational contact the issue is referred to first.",
        error_messages={"required": "Choose the category of the issue"},
    )
    district = forms.ModelChoiceField(
        label="Jobcentre Plus district",
        queryset=District.objects.none(),
        empty_label="Choose a district",
        error_messages={"required": "Choose the district"},
    )
    local_authority = forms.ModelChoiceField(
        label="Local Authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Choose an authority",
        help_text="The authority most affected; its nation's bank holidays count for the deadlines.",
        error_messages={"required": "Choose the Local Authority"},
    )
    other_authorities = forms.ModelMultipleChoiceField(
        label="Other authorities affected (optional)",
        queryset=LocalAuthority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    originator = _ContactChoice(
        label="Originator",
        queryset=Contact.objects.none(),
        empty_label="Choose the person who raised it",
        help_text="The outcome is communicated to them.",
        error_messages={"required": "Choose the person who raised the issue"},
    )
    source = forms.ChoiceField(
        choices=Source.choices,
        widget=forms.RadioSelect,
        initial=Source.DAY_TO_DAY,
        error_messages={"required": "Choose where the issue came from"},
    )
    attempts_made = forms.ChoiceField(
        label="Have attempts been made to resolve it at the lowest operational level?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="If not, it is referred to the operational contact first.",
        error_messages={"required": "Say whether attempts have been made at the lowest operational level"},
    )
    attempts_detail = forms.CharField(
        label="What was tried, with whom and when",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    operational_contact = _ContactChoice(
        label="Operational contact (optional)",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="The contact the category proposes",
        help_text="Leave this to refer the issue to the contact the routing table proposes for the category.",
    )
    la_manager_role = forms.ChoiceField(
        label="Which LA manager does it go to if the LA's contact cannot resolve it? (Jobcentre Plus issues only)",
        choices=LA_MANAGER_ROLES,
        widget=forms.RadioSelect,
        initial=Role.LA_BENEFITS_MANAGER,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_for(user)
        directions = [
            (value, label)
            for value, label in Direction.choices
            if scope.national
            or (value == Direction.TO_JCP and (scope.authority_ids or scope.has_role(Role.ERM, Role.REGIONAL_ERM)))
            or (value == Direction.TO_LA and (scope.district_ids))
        ]
        self.fields["direction"].choices = directions
        if len(directions) == 1:
            self.fields["direction"].initial = directions[0][0]
        districts = District.objects.visible_to(user)
        self.fields["district"].queryset = districts
        authorities = LocalAuthority.objects.visible_to(user)
        self.fields["local_authority"].queryset = authorities
        self.fields["local_authority"].widget.choices = _authorities_by_district(districts, authorities)
        self.fields["other_authorities"].queryset = authorities
        contacts = (
            Contact.objects.visible_to(user).active().select_related("role", "district", "office", "local_authority")
        )
        self.fields["originator"].queryset = contacts.order_by("name", "pk")
        self.fields["operational_contact"].queryset = contacts.order_by("name", "pk")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title", field_width=Fluid.FULL),
            Field.textarea("description"),
            Field.radios("direction", legend_size=Size.SMALL),
            Field.select("category"),
            Field.select("district"),
            Field.select("local_authority"),
            Field.checkboxes("other_authorities", legend_size=Size.SMALL, small=True),
            Field.select("originator"),
            Field.radios("source", legend_size=Size.SMALL),
            Fieldset(
                Field.radios("attempts_made", inline=True, legend_size=Size.SMALL),
                Field.textarea("attempts_detail"),
                Field.select("operational_contact"),
                legend="The lowest operational level",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("la_manager_role", legend_size=Size.SMALL),
            Button("submit", "Log the issue"),
        )

    def clean(self):
        cleaned = super().clean()
        district, direction = cleaned.get("district"), cleaned.get("direction")
        authority = cleaned.get("local_authority")
        if (
            district
            and direction
            and not can_log(self.user, direction=direction, district=district, local_authority=authority)
        ):
            self.add_error("district", f"You cannot log this kind of issue for {district}")
        if cleaned.get("attempts_made") == "yes" and not (cleaned.get("attempts_detail") or "").strip():
            self.add_error("attempts_detail", "Say what was tried at the lowest operational level")
        return cleaned

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["attempts_made"] = data["attempts_made"] == "yes"
        if data["direction"] != Direction.TO_LA:
            data["la_manager_role"] = ""
        return data


class _ActionForm(forms.Form):
    """An action on one issue; the hidden version is the state its user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    button = "Save"
    button_class = ""

    def __init__(self, *args, issue, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        kwargs.setdefault("initial", {"version": issue.version})
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The hidden version is left out of the layouts and rendered by crispy as an unmentioned hidden field.
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(*self.layout_fields(), self.submit())

    def submit(self):
        return Button(f"{self.prefix_name}-submit", self.button, css_class=self.button_class)

    def layout_fields(self) -> list:
        return []

    def action_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


@checks_free_text(text=("long", "the note"))
class UpdateForm(_ActionForm):
    prefix_name = "update"
    button = "Record the update"
    text = forms.CharField(
        label="Update",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done or said, and by whom. At the operational level this records the attempt.",
        error_messages={"required": "Enter the update"},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("text")]


@checks_free_text(reason=("long", "the reason"))
class RereferForm(_ActionForm):
    prefix_name = "rerefer"
    button = "Re-refer the issue"
    button_class = "govuk-button--secondary"
    contact = _ContactChoice(
        label="Operational contact it goes to",
        queryset=Contact.objects.none(),
        empty_label="Choose a contact",
        error_messages={"required": "Choose the operational contact it goes to"},
    )
    reason = forms.CharField(
        label="Why it goes to them instead",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it goes to another contact"},
    )

    def __init__(self, *args, issue, candidates, **kwargs):
        super().__init__(*args, issue=issue, **kwargs)
        self.fields["contact"].queryset = candidates

    def layout_fields(self) -> list:
        return [Field.select("contact"), Field.textarea("reason")]


@checks_free_text(text=("long", "the LA's attempt"))
class LaAttemptForm(_ActionForm):
    prefix_name = "la-attempt"
    button = "Record the LA's attempt"
    button_class = "govuk-button--secondary"
    text = forms.CharField(
        label="What the LA tried, with whom and when",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the LA tried, with whom and when"},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("text")]


OTHER = "other"


@checks_free_text(reason=("long", "the reason"), other_directorate=("short", "the directorate"))
class GatewayForm(_ActionForm):
    prefix_name = "gateway"
    button = "Refer it to the COO Gateway"
    button_class = "govuk-button--secondary"
    directorate = forms.ChoiceField(
        label="National directorate the COO Gateway pursues it with",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the national directorate, or Other and name it"},
    )
    other_directorate = forms.CharField(
        label="Name the directorate",
        max_length=160,
        required=False,
        help_text="Only when it is not on the list; ask the Governmental Partnerships Team to add it.",
    )
    reason = forms.CharField(
        label="What the COO Gateway is to pursue",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the COO Gateway is to pursue"},
    )

    def __init__(self, *args, issue, directorates, **kwargs):
        super().__init__(*args, issue=issue, **kwargs)
        self.directorates = {str(d.pk): d for d in directorates}
        self.fields["directorate"].choices = [
            *((pk, d.name) for pk, d in self.directorates.items()),
            (OTHER, "Other"),
        ]

    def layout_fields(self) -> list:
        return [
            Field.radios("directorate", legend_size=Size.SMALL),
            Field.text("other_directorate", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason"),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("directorate") == OTHER and not (cleaned.get("other_directorate") or "").strip():
            self.add_error("other_directorate", "Name the directorate, or choose one from the list")
        return cleaned

    def action_data(self) -> dict:
        chosen = self.cleaned_data["directorate"]
        return {
            "directorate": self.directorates.get(chosen),
            "other_directorate": self.cleaned_data["other_directorate"] if chosen == OTHER else "",
            "reason": self.cleaned_data["reason"],
        }


@checks_free_text(name="title")
class DirectorateForm(forms.Form):
    name = forms.CharField(
        label="Name of the national directorate",
        max_length=160,
        error_messages={"required": "Enter the directorate's name"},
    )

    def __init__(self, *args, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("name", field_width=Fluid.TWO_THIRDS), Button("submit", button))


@checks_free_text(reason=("long", "the reason"))
class EscalateForm(_ActionForm):
    prefix_name = "escalate"
    button = "Escalate"
    button_class = "govuk-button--secondary"
    reason = forms.CharField(
        label="Why it cannot be resolved at this level",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why it cannot be resolved at this level"},
    )
    la_manager_role = forms.ChoiceField(
        label="Send it to",
        choices=LA_MANAGER_ROLES,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, issue, next_level: str | None, **kwargs):
        super().__init__(*args, issue=issue, **kwargs)
        if next_level:
            self.button = f"Escalate to {Level(next_level).label}"
        if next_level == Level.LA_MANAGER:
            self.fields["la_manager_role"].initial = issue.la_manager_role or Role.LA_BENEFITS_MANAGER
            fields = [Field.textarea("reason"), Field.radios("la_manager_role", legend_size=Size.SMALL)]
        else:
            del self.fields["la_manager_role"]
            fields = [Field.textarea("reason")]
        self.helper.layout = Layout(*fields, self.submit())


@checks_free_text(outcome="long")
class ResolveForm(_ActionForm):
    prefix_name = "resolve"
    button = "Record the outcome"
    outcome = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was decided or done. You then communicate it to the originator.",
        error_messages={"required": "Enter the outcome"},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("outcome")]


@checks_free_text(message=("long", "the message"))
class CommunicateForm(_ActionForm):
    prefix_name = "communicate"
    button = "Email the outcome and close the issue"
    contacts = forms.ModelMultipleChoiceField(
        label="Also send it to (optional)",
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The originator always receives it. Choose the partner or Jobcentre Plus operational contacts.",
    )
    message = forms.CharField(
        label="Message to add (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, issue, candidates, **kwargs):
        super().__init__(*args, issue=issue, **kwargs)
        field = self.fields["contacts"]
        field.queryset = candidates
        field.label_from_instance = lambda c: f"{c.name}, {c.role.name}, {c.organisation}"
        if issue.operational_contact_id and not self.is_bound:
            self.initial["contacts"] = [issue.operational_contact_id]

    def layout_fields(self) -> list:
        return [Field.checkboxes("contacts", legend_size=Size.SMALL, small=True), Field.textarea("message")]


@checks_free_text(reason=("long", "the reason"))
class ReopenForm(_ActionForm):
    prefix_name = "reopen"
    button = "Reopen the issue"
    button_class = "govuk-button--warning"
    reason = forms.CharField(
        label="Why it is being reopened",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the issue is being reopened"},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("reason")]
