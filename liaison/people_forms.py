"""GOV.UK forms for people and access: inviting, accepting an invitation, changing a role."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms

from liaison.access import GrantArea, role_needs_scope
from liaison.models import District, LocalAuthority, Region, Role

NATIONAL = "national"


def area_choices(area: GrantArea) -> list:
    """Where a role can be given, grouped: districts, local authorities, regions, national."""
    districts = District.objects.all() if area.everything else District.objects.filter(id__in=area.district_ids)
    authorities = (
        LocalAuthority.objects.all() if area.everything else LocalAuthority.objects.filter(id__in=area.authority_ids)
    )
    regions = Region.objects.all() if area.everything else Region.objects.filter(id__in=area.region_ids)
    choices = [("", "Choose where")]
    if districts:
        choices.append(("Jobcentre Plus districts", [(f"district:{d.pk}", d.name) for d in districts]))
    if authorities:
        choices.append(("Local Authorities", [(f"la:{la.pk}", la.name) for la in authorities]))
    if regions:
        choices.append(("Regions and countries", [(f"region:{r.pk}", r.name) for r in regions]))
    if area.everything:
        choices.append((NATIONAL, "National (ODN, GPT, administrators)"))
    return choices


def parse_area(role: str, value: str) -> dict:
    """The district, LA or region a chosen area names, checked against the kind of role."""
    needed = role_needs_scope(role)
    kind, _, pk = value.partition(":")
    found = {"district": None, "region": None, "local_authority": None}
    model = {"district": District, "la": LocalAuthority, "region": Region}.get(kind)
    field = {"district": "district", "la": "local_authority", "region": "region"}.get(kind)
    if model is not None and pk.isdigit():
        found[field] = model.objects.filter(pk=int(pk)).first()
    if needed is None:
        if value != NATIONAL:
            raise forms.ValidationError({"area": f"A {Role(role).label} is a national role: choose National"})
        return found
    if field != needed or found[field] is None:
        label = {"district": "a district", "local_authority": "a Local Authority", "region": "a region"}[needed]
        raise forms.ValidationError({"area": f"A {Role(role).label} works for {label}: choose one"})
    return found


class RoleAndAreaMixin:
    def _role_and_area(self, area: GrantArea) -> None:
        self.fields["role"].choices = [("", "Choose a role")] + [(value, Role(value).label) for value in area.roles()]
        self.fields["area"].choices = area_choices(area)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") and cleaned.get("area"):
            try:
                cleaned.update(parse_area(cleaned["role"], cleaned["area"]))
            except forms.ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return cleaned


ROLE_FIELD = {
    "label": "Role",
    "error_messages": {"required": "Choose the role", "invalid_choice": "Choose a role you can give"},
}
AREA_FIELD = {
    "label": "Where",
    "help_text": "The district, Local Authority or region the role covers.",
    "error_messages": {"required": "Choose where the role applies", "invalid_choice": "Choose a place in your area"},
}


class InvitationForm(RoleAndAreaMixin, forms.Form):
    name = forms.CharField(label="Full name", max_length=150, error_messages={"required": "Enter their full name"})
    email = forms.EmailField(
        label="Email address",
        help_text="Their work email address. The invitation link goes to it.",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    role = forms.ChoiceField(**ROLE_FIELD)
    area = forms.ChoiceField(**AREA_FIELD)

    def __init__(self, *args, area: GrantArea, **kwargs):
        super().__init__(*args, **kwargs)
        self._role_and_area(area)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.select("role"),
            Field.select("area"),
            Button("submit", "Send the invitation"),
        )


class RoleChangeForm(RoleAndAreaMixin, forms.Form):
    role = forms.ChoiceField(**ROLE_FIELD)
    area = forms.ChoiceField(**AREA_FIELD)

    def __init__(self, *args, area: GrantArea, **kwargs):
        super().__init__(*args, **kwargs)
        self._role_and_area(area)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("role"), Field.select("area"), Button("submit", "Change the role"))


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        help_text="At least 8 characters; not a common password, not all numbers, not like your name.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Confirm the password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("password1", field_width=Fluid.ONE_HALF),
            Field.text("password2", field_width=Fluid.ONE_HALF),
            Button("submit", "Accept and create your account"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", "The passwords do not match")
        return cleaned
