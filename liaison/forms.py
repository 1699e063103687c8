"""GOV.UK forms for the liaison network."""

from __future__ import annotations

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from liaison.models import Contact, ContactRole, District, LocalAuthority, Office, Side


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year), with messages a person can act on."""

    def __init__(self, *, example: str = "27 3 2007", error_messages: dict | None = None, **kwargs):
        self.example = example
        super().__init__(**kwargs)
        self.error_messages.update(error_messages or {})

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(str(year)) != 4:
            raise forms.ValidationError("The year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"Enter a real date, for example {self.example}") from None


class ContactForm(forms.ModelForm):
    """Add or change a contact in a network the user may edit; the organisation decides the side."""

    organisation = forms.ChoiceField(
        label="Organisation",
        help_text="The Jobcentre Plus district network or the Local Authority the contact works in.",
        error_messages={
            "required": "Choose the organisation the contact works in",
            "invalid_choice": "Choose an organisation from the list",
        },
    )

    active_from = GovukDateField(
        label="First day in this role",
        help_text="For example, 1 4 2008",
        example="1 4 2008",
        error_messages={"required": "Enter the first day in this role"},
    )

    class Meta:
        model = Contact
        fields = ["name", "job_title", "role", "office", "phone", "email", "secure_email", "active_from"]
        help_texts = {"office": "Optional: the Jobcentre Plus office or unit, in the same district."}
        error_messages = {
            "name": {"required": "Enter the contact's full name"},
            "role": {"required": "Choose the contact's role"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.gov.uk"},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        districts = list(District.objects.editable_by(user))
        authorities = list(LocalAuthority.objects.editable_by(user))
        self.fields["organisation"].choices = [
            ("", "Choose an organisation"),
            (
                "Jobcentre Plus districts",
                [(f"district:{d.pk}", f"Jobcentre Plus, {d.name}") for d in districts],
            ),
            ("Local Authorities", [(f"la:{a.pk}", a.name) for a in authorities]),
        ]
        self.fields["role"].queryset = ContactRole.objects.all()
        self.fields["role"].empty_label = "Choose a role"
        self.fields["office"].queryset = Office.objects.filter(district__in=districts).select_related("district")
        self.fields["office"].empty_label = "No particular office"
        self.fields["active_from"].initial = timezone.localdate
        if self.instance.pk:
            if self.instance.district_id:
                self.initial["organisation"] = f"district:{self.instance.district_id}"
            else:
                self.initial["organisation"] = f"la:{self.instance.local_authority_id}"
        self._districts = {d.pk: d for d in districts}
        self._authorities = {a.pk: a for a in authorities}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
            Field.select("organisation"),
            Field.select("role"),
            Field.select("office"),
            Fieldset(
                Field.text("phone", field_width=Fixed.TWENTY),
                Field.text("email", field_width=Fluid.TWO_THIRDS),
                Field.checkbox("secure_email"),
                legend="Contact details",
                legend_size=Size.MEDIUM,
            ),
            Field("active_from"),
            Button("submit", "Save contact"),
        )

    def clean_organisation(self):
        value = self.cleaned_data["organisation"]
        kind, _, raw_id = value.partition(":")
        try:
            pk = int(raw_id)
        except ValueError:
            raise forms.ValidationError("Choose an organisation from the list") from None
        if kind == "district" and pk in self._districts:
            return {"district": self._districts[pk], "local_authority": None}
        if kind == "la" and pk in self._authorities:
            return {"district": None, "local_authority": self._authorities[pk]}
        raise forms.ValidationError("Choose an organisation from the list")

    def clean(self):
        cleaned = super().clean()
        organisation, role, office = cleaned.get("organisation"), cleaned.get("role"), cleaned.get("office")
        if organisation and role:
            if role.side == Side.JCP and organisation["district"] is None:
                self.add_error("role", f"A {role.name} works for Jobcentre Plus: choose a district, or an LA role")
            if role.side == Side.LA and organisation["local_authority"] is None:
                self.add_error("role", f"A {role.name} works for a Local Authority: choose an LA, or a JCP role")
        if organisation and office and organisation["district"] != office.district:
            self.add_error("office", "Choose an office in the contact's district, or no particular office")
        return cleaned

    def _post_clean(self):
        # The organisation decides district/authority before the model's own validation runs.
        organisation = self.cleaned_data.get("organisation")
        if organisation:
            self.instance.district = organisation["district"]
            self.instance.local_authority = organisation["local_authority"]
            if organisation["local_authority"] is not None:
                self.instance.office = None
        super()._post_clean()

    def _update_errors(self, errors):
        # The model speaks of district/local_authority; on this form both are the one "organisation" question.
        if hasattr(errors, "error_dict"):
            remapped = {}
            for field, messages in errors.error_dict.items():
                if field in ("district", "local_authority"):
                    if "organisation" in self._errors:
                        continue
                    field = "organisation"
                remapped.setdefault(field, []).extend(messages)
            errors = forms.ValidationError(remapped)
        super()._update_errors(errors)

    def service_data(self) -> dict:
        data = {field: self.cleaned_data.get(field) for field in self.Meta.fields}
        data.update(self.cleaned_data["organisation"])
        if data["local_authority"] is not None:
            data["office"] = None
        return data


class ContactEndForm(forms.Form):
    last_day = GovukDateField(
        label="Last day in this role",
        help_text="For example, 31 3 2027",
        example="31 3 2027",
        error_messages={"required": "Enter the last day in this role"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_day"].initial = timezone.localdate
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("last_day"),
            Button("submit", "End this contact", css_class="govuk-button--warning"),
        )


class ConfirmContactsForm(forms.Form):
    """Tick the contacts checked as current; none is ticked to begin with, so each tick is a check made."""

    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Contacts you have checked",
        help_text="Tick each contact whose details you have checked are still right.",
        error_messages={"required": "Select at least one contact you have checked"},
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["contacts"]
        field.queryset = contacts
        field.label_from_instance = lambda c: (
            f"{c.name}, {c.role}, {c.organisation}"
            + (f" (last confirmed {c.last_confirmed:%-d %B %Y})" if c.last_confirmed else " (never confirmed)")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("contacts", legend_size=Size.MEDIUM, small=True),
            Button("submit", "Confirm these contacts are current"),
        )


def add_service_errors(form: forms.BaseForm, error: forms.ValidationError) -> None:
    """Show a service's refusal on the form that asked for it, against the field it names where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NotificationPreferencesForm(forms.Form):
    """Per kind of email: straight away, in a daily summary, or (where it may be) not at all."""

    def __init__(self, *args, kinds, current: dict[str, str], **kwargs):
        from liaison.models import Delivery

        super().__init__(*args, **kwargs)
        self.kinds = kinds
        fields = []
        for kind in kinds:
            choices = [(Delivery.NOW, "Straight away"), (Delivery.DAILY, "In a daily summary")]
            if not kind.mandatory:
                choices.append((Delivery.OFF, "Do not email me"))
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=current.get(kind.code, Delivery.NOW),
                help_text="" if not kind.mandatory else "You must act on these, so they cannot be turned off.",
                error_messages={"required": f"Choose when to get “{kind.label}”"},
            )
            fields.append(Field.radios(kind.code, legend_size=Size.SMALL, inline=True))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", "Save your choices"))
