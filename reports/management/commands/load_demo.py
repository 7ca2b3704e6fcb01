from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ambassadors.demo import DEMO_PASSWORD, load_demo
from commitments.demo import load_demo_actions


class Command(BaseCommand):
    help = (
        "Load the demo: cities, ambassadors, coordinators, admin, and about six months of actions with "
        "evidence in every status. Idempotent; debug only unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off (never in production).")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts with a known password: it runs only with DEBUG=1, or with --force."
            )
        load_demo()
        load_demo_actions()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo account's password is {DEMO_PASSWORD}"))
