from django.urls import reverse


def post_files(client, action, *files):
    """Upload `files` to `action` through the evidence form, following the redirect."""
    return client.post(reverse("commitments:evidence_upload", args=[action.pk]), {"files": list(files)}, follow=True)


def page_messages(response):
    return [str(message) for message in response.context["messages"]]
