"""Every form's fields draw as valid HTML (core.forms.ConformingBoundField, the FORM_RENDERER's)."""

import datetime

from django import forms


class LinkForm(forms.Form):
    url = forms.URLField(label="Enlace", help_text="La dirección completa.", assume_scheme="https")


class DatedForm(forms.Form):
    day = forms.DateField(
        label="Día", help_text="El día en que empezó.", initial=datetime.date.today, show_hidden_initial=True
    )


def test_a_typed_value_that_is_no_url_is_kept_in_a_text_input_with_a_url_keyboard():
    form = LinkForm({"url": "acta de la reunión"})
    assert not form.is_valid()
    html = str(form["url"])
    assert 'type="text"' in html and 'inputmode="url"' in html
    assert 'value="acta de la reunión"' in html


def test_a_url_or_an_empty_field_stays_a_url_input():
    assert 'type="url"' in str(LinkForm({"url": "https://omcs.org/acta"})["url"])
    assert 'type="url"' in str(LinkForm()["url"])
    assert "inputmode" not in str(LinkForm()["url"])


def test_the_hidden_copy_of_an_initial_value_carries_no_aria():
    html = str(DatedForm()["day"])
    visible, hidden = html.split('<input type="hidden"')
    assert 'aria-describedby="id_day_helptext"' in visible
    assert "aria-" not in hidden
