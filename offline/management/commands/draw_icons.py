from django.core.management.base import BaseCommand

from offline.icons import write_icons


class Command(BaseCommand):
    help = "Draw the web app manifest's icons (static/img/icons/) from the favicon's design."

    def handle(self, *args, **options):
        for path in write_icons():
            self.stdout.write(str(path))
