"""credo demo --customers N [--if-empty] [--seed S]: load demo data (organisation, logins, customers)."""

import io
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from credo.core import demo as org_demo
from credo.core.roles import Role
from credo.customers import demo as customer_demo
from credo.customers.models import Customer

DEFAULT_CUSTOMERS = 5000


class Command(BaseCommand):
    help = ("Load demo data: regions and cities, sales teams, one login per role (shared demo password) "
            "and N customers with contacts, bank accounts and account-manager history.")

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS, metavar="N",
                            help=f"how many customers to add (default {DEFAULT_CUSTOMERS})")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing if there are customers already (for `make run`)")
        parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same data")

    def handle(self, *args, customers, if_empty, seed, verbosity, **options):
        if customers < 0:
            raise CommandError(f"--customers must be 0 or more, not {customers}.", returncode=2)
        existing = Customer.objects.count()
        if if_empty and existing:
            if verbosity:
                self.stdout.write(f"The database already has {existing} customers; no demo data loaded.")
            return
        started = time.perf_counter()
        console = Console(stderr=True)
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, disable=verbosity == 0 or customers == 0,
                      transient=False) as progress:
            task = progress.add_task("客户 customers", total=customers)
            with transaction.atomic(), org_demo.bulk_session():
                org = org_demo.ensure_organisation()
                result = customer_demo.generate(org, customers, seed=seed,
                                                progress=lambda k: progress.advance(task, k))
        if result.customers:
            org_demo.analyze(*customer_demo.loaded_models())
        elapsed = time.perf_counter() - started
        if verbosity == 0:
            return
        self.stdout.write(self._logins_table(org))
        kept = [login.username for login in org.logins if not login.new]
        if kept and len(kept) == len(org.logins):
            self.stdout.write("These logins existed already and keep their passwords.")
        else:
            self.stdout.write(f"Password for every demo login: {org_demo.DEMO_PASSWORD}"
                              + (f" (except {', '.join(kept)}, which existed already)" if kept else ""))
        self.stdout.write(
            f"Added {result.customers} customers, {result.contacts} contacts, {result.bank_accounts} bank accounts, "
            f"{result.former_names} former names, {result.assignments} assignments, {result.events} timeline events "
            f"({result.rows()} rows) in {elapsed:.1f} s on {connection.vendor}."
        )

    def _logins_table(self, org) -> str:
        table = Table(title="Demo logins")
        for column in ("username", "role", "team", "name"):
            table.add_column(column)
        for login in org.logins:
            role = Role(login.role).label if login.role in Role.values else login.role
            table.add_row(login.username, str(role), login.team, login.display_name)
        buffer = io.StringIO()
        Console(file=buffer, width=100, color_system=None).print(table)
        return buffer.getvalue().rstrip("\n")
