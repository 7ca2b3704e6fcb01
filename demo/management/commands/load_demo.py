from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ambassadors.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from appointments.demo import load_demo_appointments
from commitments.demo import load_demo_actions
from funding.demo import load_demo_funding
from hazards.demo import load_demo_hazards
from invitations.demo import load_demo_invitations
from kinds.demo import load_demo_kinds
from practices.demo import load_demo_practices
from public.demo import load_demo_public
from reports.demo import queue_demo_reports
from terms.demo import load_demo_terms


class Command(BaseCommand):
    help = (
        "Load the demo: cities, ambassadors (commitments accepted, letters issued), coordinators, admin, "
        "about six months of actions with "
        "evidence in every status, and the practices published from them with their replications and exchanges, "
        "the funders, a transition plan for each city and a funding pipeline in every stage, each city's hazard "
        "events with the actions that answered them, the public pages of four cities (and one request waiting), "
        "then queue last "
        "month's and last quarter's progress report of every city for the Celery worker. "
        "Idempotent; debug only unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off (never in production).")
        parser.add_argument("--skip-reports", action="store_true", help="Do not queue the demo's progress reports.")

    def handle(self, *args, force, skip_reports, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts with a known password: it runs only with DEBUG=1, or with --force."
            )
        load_demo()
        load_demo_appointments()
        load_demo_actions()
        load_demo_kinds()
        load_demo_practices()
        load_demo_funding()
        load_demo_hazards()
        load_demo_public()
        load_demo_invitations()
        load_demo_terms()
        if not skip_reports:
            queue_demo_reports()
            self.stdout.write("Queued last month's and last quarter's progress reports for the Celery worker.")
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo account's password is {DEMO_PASSWORD}"))
        self.stdout.write(f"The admin and coordinators' second factor: TOTP secret {DEMO_TOTP_SECRET} (any TOTP app).")
