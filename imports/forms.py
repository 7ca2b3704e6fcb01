from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .reading import MAX_BYTES, MAX_ROWS, check_upload


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Hoja de cálculo"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=format_lazy(
            _("XLSX o CSV con las columnas de la exportación; hasta {size} y {rows} filas."),
            size=lazy(filesizeformat, str)(MAX_BYTES),
            rows=MAX_ROWS,
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        check_upload(uploaded)
        return uploaded
