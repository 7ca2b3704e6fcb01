"""What the attack on the import found sound, kept: text a spreadsheet would run as a formula,
line breaks and decimals come back unchanged in both formats; a row refused while applying writes
nothing, a second confirmation writes nothing again, the history names the importer."""

from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import services as cs
from commitments.models import Action, Indicator
from commitments.tests.factories import ActionFactory

from .helpers import exported

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("output", ["xlsx", "csv"])
def test_every_kind_of_value_comes_back_unchanged(send, client_for, ambassador, lima, output):
    ind = Indicator.objects.filter(commitment__axis__number=3, commitment__number=1, active=True).order_by("code")
    ActionFactory(
        by=ambassador,
        title="=SUMA(1;2)",
        partners="+51 999 @ong -x",
        description="a\r\nb",
        people_reached=50,
        women_reached=20,
        indicator_values={ind[0].pk: Decimal("12.345"), ind[1].pk: Decimal("99.5")},
    )
    ActionFactory(by=ambassador, title="Otro", status="approved", indicator_values={ind[0].pk: Decimal("0.5")})
    client = client_for(ambassador)
    content = exported(client, "actions", lima, output)
    _r, job = send(client, "actions", content, name=f"a.{output}")
    job.refresh_from_db()
    assert [(r["state"], r["errors"]) for r in job.rows] == [("unchanged", {})] * 2, job.rows


def test_a_row_refused_while_applying_writes_nothing_and_twice_confirmed_writes_once(
    confirm, send, client_for, ambassador, lima, monkeypatch
):
    a = ActionFactory(by=ambassador, title="Uno")
    b = ActionFactory(by=ambassador, title="Dos")
    client = client_for(ambassador)
    content = f"id,compromiso,título\n{a.pk},3.1,Uno bis\n{b.pk},3.1,Dos bis\n,3.1,Tres\n".encode()
    _r, job = send(client, "actions", content, name="a.csv")
    job.refresh_from_db()
    assert job.can_apply, job.rows
    original = cs.action_create

    def boom(**kw):
        from django.core.exceptions import ValidationError

        raise ValidationError("boom")

    monkeypatch.setattr(cs, "action_create", boom)
    confirm(client, job)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    a.refresh_from_db()
    assert a.title == "Uno"  # the rows before the refused one were rolled back
    assert "No se importó nada." in page and "boom" in page
    job.refresh_from_db()
    assert job.status == "refused" and job.rows_written == 0
    monkeypatch.setattr(cs, "action_create", original)
    confirm(client, job)  # a refused job is not confirmed again: the file is uploaded again
    assert a.history.count() == 1 and not Action.objects.filter(title="Tres").exists()
    _r, again = send(client, "actions", content, name="a.csv")
    confirm(client, again)
    confirm(client, again)
    assert Action.objects.filter(title="Tres").count() == 1
    a.refresh_from_db()
    assert a.title == "Uno bis"
    assert a.history.first().history_user == ambassador
