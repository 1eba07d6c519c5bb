from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credo.core.auth import create_token


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="what the token is for, e.g. the calling system")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}; create one with `credo createuser`.", returncode=2)
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token would not work.", returncode=2)
        self.stdout.write(create_token(user, name))
