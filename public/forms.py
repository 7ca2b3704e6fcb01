from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicPage

# The other addresses under /publico/.
RESERVED_SLUGS = {"solicitar", "solicitudes"}


class DecisionForm(forms.Form):
    """A coordinator's decision on a request: approve, or decline with a comment (the service
    requires the comment and says so at its field)."""

    APPROVE, DECLINE = "approve", "decline"
    decision = forms.ChoiceField(
        label=_("Decisión"), choices=[(APPROVE, _("Aprobar")), (DECLINE, _("Rechazar"))], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comentario (obligatorio para rechazar)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublicPageAdminForm(forms.ModelForm):
    """Django admin's form: the address and an on/off switch; public.services saves it."""

    published = forms.BooleanField(label=_("publicada"), required=False)

    class Meta:
        model = PublicPage
        fields = ["city", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Vacía: se forma con el nombre de la ciudad y el código del país (lima-pe).")
        if self.instance.pk:
            self.fields["published"].initial = self.instance.is_published

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Esa dirección es de otra página del sitio: elija otra."))
        return slug
