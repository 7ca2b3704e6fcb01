import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from commitments.scale import PASSWORD, SeedRefused, seed_database


class Command(BaseCommand):
    help = (
        "Fill a dedicated benchmark database with realistic data at scale: the biggest cities of the "
        "region with an ambassador each, coordinators, and actions in every status with their history, "
        f"values, funds and targets. Accounts scale.amb.<n>, scale.coord.<cc>, scale.coord.all; password {PASSWORD}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=1000, help="Cities, biggest first (default 1000).")
        parser.add_argument(
            "--actions",
            type=int,
            default=10000,
            help="Approved actions (default 10000); about 8 %% more in other statuses.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--years", type=int, default=4, help="Years of history up to today (default 4).")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data ends (YYYY-MM-DD, default today): to reproduce a seed on another day.",
        )
        parser.add_argument(
            "--flush", action="store_true", help="Delete everything but the catalogue, countries and cities first."
        )

    def handle(self, *args, cities, actions, seed, years, today, flush, **options):
        started = time.monotonic()
        try:
            counts = seed_database(
                cities=cities,
                actions=actions,
                seed=seed,
                years=years,
                flush_first=flush,
                today=today,
                log=self.stdout.write,
            )
        except SeedRefused as error:
            raise CommandError(str(error)) from error
        width = max(len(table) for table in counts)
        for table, count in counts.items():
            self.stdout.write(f"  {table:<{width}}  {count:>12,}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {time.monotonic() - started:.1f} s."))
