from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm, TaskChoiceField, TaskSelectWidget
from django_celery_beat.models import PeriodicTask

from .admin_forms import BLANK_LABEL, PasswordSummaryWidget, PlaceholderAutocompleteMixin
from .mail import mails_send_again
from .models import EmailPreferences, OutgoingEmail


@admin.register(EmailPreferences)
class EmailPreferencesAdmin(PlaceholderAutocompleteMixin, admin.ModelAdmin):
    list_display = ["user", "reminders", "report_digests", "weekly_summary", "language"]
    list_filter = ["reminders", "report_digests", "weekly_summary", "language"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The log of every email: written by the app, sent by the workers. Admins read it and can
    send again an email that failed."""

    list_display = ["created_at", "key", "to", "language", "subject", "state", "attempts", "sent_at"]
    list_filter = ["state", "language", "created_at"]
    search_fields = ["key", "to", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "key",
        "recipient",
        "to",
        "language",
        "subject",
        "body",
        "state",
        "attempts",
        "created_at",
        "due_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request):
        return request.user.has_perm("core.change_outgoingemail")

    @admin.action(description=_("Enviar de nuevo"), permissions=["send_again"])
    def send_again(self, request, queryset):
        queued = mails_send_again(mail_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - queued
        self.message_user(
            request,
            ngettext("%(count)d correo en cola de nuevo.", "%(count)d correos en cola de nuevo.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d correo no se volvió a enviar: ya salió, está saliendo o no guarda su texto.",
                    "%(count)d correos no se volvieron a enviar: ya salieron, están saliendo o no guardan su texto.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class PersonChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget = PasswordSummaryWidget()


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PersonAdmin(UserAdmin):
    """Django's user admin, with valid HTML in its password summary."""

    form = PersonChangeForm


class TaskNameSelect(TaskSelectWidget):
    """celery-beat's list of tasks opens with an empty option without a text (invalid HTML)."""

    def tasks_as_choices(self):
        return (("", BLANK_LABEL), *super().tasks_as_choices()[1:])


class ScheduledTaskForm(PeriodicTaskForm):
    regtask = TaskChoiceField(
        label=PeriodicTaskForm.base_fields["regtask"].label, required=False, widget=TaskNameSelect
    )


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class ScheduledTaskAdmin(PeriodicTaskAdmin):
    form = ScheduledTaskForm
