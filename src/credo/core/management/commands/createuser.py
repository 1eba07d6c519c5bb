"""credo createuser USERNAME --role ROLE [--team TEAM] [--password P] [--display-name NAME]

The password comes from --password, else the CREDO_PASSWORD environment variable, else a prompt (twice)
when there is a terminal. Bad input (unknown role or team, existing user, weak password) is refused
with a message and exit status 2; nothing is created then.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from credo.core import audit
from credo.core.models import AuditEntry, Profile, Team
from credo.core.roles import Role


def _fail(message: str):
    raise CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Create a login with its role (and team): salesperson, sales_manager, credit_controller, …"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="one of: " + ", ".join(Role.values))
        parser.add_argument("--team", default="", help="team name (e.g. 华东销售部) or id")
        parser.add_argument("--password", default=None,
                            help="the password (else $CREDO_PASSWORD, else asked for on the terminal)")
        parser.add_argument("--display-name", default="", help="name shown in the application, e.g. 张伟")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, team, password, display_name, email, verbosity, **options):
        user_model = get_user_model()
        username = username.strip()
        if not username:
            _fail("Give a username.")
        if role not in Role.values:
            _fail(f"Unknown role {role!r}. Roles: {', '.join(Role.values)}.")
        if user_model.objects.filter(username=username).exists():
            _fail(f"User {username!r} already exists.")
        team_obj = None
        if team:
            team_obj = Team.objects.filter(name=team).first()
            if team_obj is None and team.isdigit():
                team_obj = Team.objects.filter(pk=int(team)).first()
            if team_obj is None:
                known = ", ".join(Team.objects.order_by("name").values_list("name", flat=True)) or "none yet"
                _fail(f"Unknown team {team!r}. Teams: {known}.")
        password = self._password(password, username)
        candidate = user_model(username=username, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            _fail("Password refused: " + " ".join(exc.messages))

        admin = role == Role.ADMINISTRATOR
        with transaction.atomic():
            user = user_model.objects.create_user(username=username, email=email, password=password,
                                                  is_staff=admin, is_superuser=admin)
            Profile.objects.create(user=user, role=role, team=team_obj, display_name=display_name.strip())
            note = ""
            if role == Role.SALES_MANAGER and team_obj is not None and team_obj.manager_id is None:
                team_obj.manager = user
                team_obj.save(update_fields=["manager"])
                note = f"; now manager of {team_obj.name}"
            elif role == Role.SALES_MANAGER and team_obj is not None:
                note = f"; {team_obj.name} keeps its manager {team_obj.manager.get_username()}"
            audit.record(None, AuditEntry.Action.CREATE, user, object_repr=username,
                         after={"username": username, "role": role, "team": team_obj.name if team_obj else None},
                         reason="credo createuser")
        if verbosity:
            label = Role(role).label
            self.stdout.write(f"Created user {username} ({label}{', ' + team_obj.name if team_obj else ''}){note}.")

    def _password(self, given, username) -> str:
        if given:
            return given
        from_env = os.environ.get("CREDO_PASSWORD")
        if from_env:
            return from_env
        if not sys.stdin or not sys.stdin.isatty():
            _fail("Give a password: --password, the CREDO_PASSWORD environment variable, or run on a terminal.")
        first = getpass.getpass(f"Password for {username}: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            _fail("The passwords do not match.")
        if not first:
            _fail("The password cannot be empty.")
        return first
