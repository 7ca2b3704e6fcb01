from django.core.management.base import BaseCommand, CommandError

from ambassadors.gazetteer import LATIN_AMERICA_AND_CARIBBEAN, POPULATION_DATASETS, load_gazetteer


class Command(BaseCommand):
    help = "Load the countries of Latin America and the Caribbean and their cities from GeoNames. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            action="append",
            dest="countries",
            metavar="CODE",
            help="ISO 3166 code of a country to load (repeatable). Default: all of them.",
        )
        parser.add_argument(
            "--min-population",
            type=int,
            default=15000,
            choices=POPULATION_DATASETS,
            help="Smallest city to load (GeoNames datasets). Default: 15000.",
        )

    def handle(self, *args, countries, min_population, **options):
        codes = [code.upper() for code in countries] if countries else sorted(LATIN_AMERICA_AND_CARIBBEAN)
        try:
            counts = load_gazetteer(country_codes=codes, min_population=min_population)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "{countries_created} countries and {cities_created} cities created, "
                "{cities_updated} cities updated.".format(**counts)
            )
        )
