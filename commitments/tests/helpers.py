from django.db import transaction
from django.urls import reverse

from commitments import services
from commitments.models import Action


def post_files(client, action, *files):
    """Upload `files` to `action` through the evidence form, following the redirect."""
    return client.post(reverse("commitments:evidence_upload", args=[action.pk]), {"files": list(files)}, follow=True)


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def workflow_step(step, action, *, author, reviewer):
    """One step of an action's life for the tally tests: submit, approve, return, withdraw,
    delete (a draft, if still there), or unapprove (an approval taken back, through
    services._move, which every status change goes through)."""
    if step == "submit":
        services.action_submit(action=action, by=author)
    elif step == "approve":
        services.action_approve(action=action, by=reviewer)
    elif step == "return":
        services.action_return(action=action, by=reviewer, comment="Revise las cifras.")
    elif step == "withdraw":
        services.action_withdraw(action=action, by=author)
    elif step == "delete":
        if Action.objects.filter(pk=action.pk).exists():
            services.action_delete(action=action, by=author)
    else:
        with transaction.atomic():
            services._move(action, by=reviewer, allowed_from=[Action.Status.APPROVED], to_status="returned")
