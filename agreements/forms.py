"""GOV.UK forms for signing and verifying."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms


class SignForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="Enter your Liaison password again to confirm it is you signing.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
        strip=False,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("password", field_width=Fluid.ONE_HALF),
            Field.text("printed_name", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("declaration", small=True),
            "shown_sha256",
            Button("submit", "Sign this document"),
        )


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


__all__ = ["SignForm", "Size", "VerifyForm"]
