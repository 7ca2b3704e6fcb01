from django.urls import reverse

from commitments import services


def log_value(make_action, ambassador, indicator, value, *, reviewer=None, **data):
    """An action carrying one indicator value, submitted, and approved when a reviewer is given."""
    action = make_action(ambassador, **data)
    services.action_update(action=action, by=ambassador, data={}, indicator_values={indicator.pk: value})
    services.action_submit(action=action, by=ambassador)
    if reviewer is not None:
        services.action_approve(action=action, by=reviewer)
    return action


def post_files(client, action, *files):
    """Upload `files` to `action` through the evidence form, following the redirect."""
    return client.post(reverse("commitments:evidence_upload", args=[action.pk]), {"files": list(files)}, follow=True)


def page_messages(response):
    return [str(message) for message in response.context["messages"]]
