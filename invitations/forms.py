from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador, City, Country
from ambassadors.scope import review_scope_filter
from core.forms import ErrorsAtFieldsMixin

from .models import Invitation


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.region} ({obj.country_id})" if obj.region else f"{obj.name} ({obj.country_id})"


class InvitationForm(ErrorsAtFieldsMixin, forms.Form):
    """Invite a person. The cities offered are those of the inviter's countries; only admins see
    the coordinator's role and countries. The service checks everything again."""

    full_name = forms.CharField(label=_("Nombre completo"), max_length=200)
    email = forms.EmailField(label=_("Correo"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    language = forms.ChoiceField(
        label=_("Idioma del correo"), choices=settings.LANGUAGES, help_text=_("El correo se escribe en este idioma.")
    )
    role = forms.ChoiceField(label=_("Función"), choices=Invitation.Role.choices, widget=forms.RadioSelect)
    city = CityChoiceField(
        label=_("Ciudad"),
        queryset=City.objects.none(),
        required=False,
        help_text=_("Para un embajador o embajadora."),
        error_messages={"invalid_choice": _("Elija una ciudad de los países que usted coordina.")},
    )
    succeeds_current = forms.BooleanField(
        label=_("Sucede al embajador en funciones de la ciudad"),
        required=False,
        help_text=_("Al aceptar la invitación, el nombramiento en funciones termina y empieza el de esta persona."),
    )
    term_ends_on = forms.DateField(
        label=_("Fin del periodo"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Opcional."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Países que coordinará"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Para un coordinador o coordinadora."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["city"].queryset = City.objects.filter(review_scope_filter(user)).order_by("name", "country")
        self.fields["language"].initial = translation.get_language()
        self.fields["role"].initial = Invitation.Role.AMBASSADOR
        if not user.is_superuser:
            self.fields["role"].choices = [(Invitation.Role.AMBASSADOR, Invitation.Role.AMBASSADOR.label)]
            self.fields["role"].widget = forms.HiddenInput()
            del self.fields["countries"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        ambassador = ["city", "succeeds_current", "term_ends_on"]
        self.helper.layout = Layout(
            Fieldset(
                _("La persona"),
                "full_name",
                Div(
                    Div("email", css_class="col-12 col-sm-7"),
                    Div("language", css_class="col-12 col-sm-5"),
                    css_class="row",
                ),
                "role",
            ),
            Fieldset(_("Embajador o embajadora"), *ambassador),
            *([Fieldset(_("Coordinador o coordinadora"), "countries")] if "countries" in self.fields else []),
        )

    def details(self):
        """The keyword arguments of services.invitation_create."""
        data = self.cleaned_data
        city = data.get("city")
        succeeds = None
        if city is not None and data.get("succeeds_current"):
            succeeds = Ambassador.objects.current().filter(city=city).first()
        return {
            "email": data["email"],
            "full_name": data["full_name"],
            "language": data["language"],
            "role": data["role"],
            "city": city,
            "countries": list(data.get("countries") or ()),
            "term_ends_on": data.get("term_ends_on"),
            "succeeds": succeeds,
        }


class AcceptForm(forms.Form):
    """A person without an account: their name and a password (Django's validators)."""

    first_name = forms.CharField(
        label=_("Nombre"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Apellidos"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Contraseña"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repita la contraseña"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        first, _space, last = invitation.full_name.partition(" ")
        self.fields["first_name"].initial = first
        self.fields["last_name"].initial = last
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Las dos contraseñas no coinciden."))
        elif password1:
            someone = get_user_model()(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, someone)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
