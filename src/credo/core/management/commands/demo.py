"""credo demo --customers N [--if-empty] [--seed S]: load demo data (organisation, logins, customers)."""

import io
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from credo.claims import demo as claims_demo
from credo.classification import queries as classification_queries
from credo.classification import services as classification
from credo.collection import demo as collection_demo
from credo.complaints import demo as complaints_demo
from credo.core import demo as org_demo
from credo.core.clock import business_today
from credo.core.roles import Role
from credo.credit import demo as credit_demo
from credo.customers import demo as customer_demo
from credo.customers.models import Customer
from credo.improvement import demo as improvement_demo
from credo.rating import demo as rating_demo
from credo.risk.scan import run_scan
from credo.sales import demo as ledger_demo
from credo.segments import demo as segments_demo
from credo.segments import services as segments
from credo.servicedesk import demo as servicedesk_demo
from credo.servqual import demo as servqual_demo
from credo.visits import demo as visits_demo
from credo.visits.planning import generate_plan
from credo.worktime import demo as calendar_demo

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
        parser.add_argument("--invoices-per-customer", type=int, default=ledger_demo.DEFAULT_INVOICES, metavar="K",
                            help="invoices in the demo year per customer made, on average (potential customers get "
                                 "none, key customers more), with their orders, receipts and allocations "
                                 f"(default {ledger_demo.DEFAULT_INVOICES}; 0: no ledger)")

    def handle(self, *args, customers, if_empty, seed, verbosity, invoices_per_customer, **options):
        if customers < 0:
            raise CommandError(f"--customers must be 0 or more, not {customers}.", returncode=2)
        if invoices_per_customer < 0:
            raise CommandError(f"--invoices-per-customer must be 0 or more, not {invoices_per_customer}.",
                               returncode=2)
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
            ledger_task = progress.add_task("账务 ledger", total=customers, visible=invoices_per_customer > 0)
            with transaction.atomic(), org_demo.bulk_session():
                org = org_demo.ensure_organisation()
                calendar = calendar_demo.generate()
                before = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                result = customer_demo.generate(org, customers, seed=seed,
                                                progress=lambda k: progress.advance(task, k))
                ledger, ledger_started = ledger_demo.LedgerResult(), time.perf_counter()
                if invoices_per_customer and result.customers:
                    ledger = ledger_demo.generate(
                        Customer.objects.filter(pk__gt=before), seed=seed,
                        invoices_per_customer=invoices_per_customer,
                        progress=lambda k: progress.advance(ledger_task, k))
                collection = collection_demo.CollectionDemoResult()
                rating, credit = rating_demo.RatingDemoResult(), credit_demo.CreditDemoResult()
                if invoices_per_customer and result.customers:
                    collection = collection_demo.generate()
                    rating = rating_demo.generate()
                    credit = credit_demo.generate()
                    period = classification_queries.default_period()
                    pyramid = classification.compute_snapshot(None, "pyramid", *period)
                    classification.compute_snapshot(None, "abc", *period)
                    plan = generate_plan(business_today().replace(day=1), actor="demo")
                    visit_history = visits_demo.generate()
                    complaint_count = complaints_demo.generate()
                    claim_count = claims_demo.generate()
                    improvement = improvement_demo.generate()  # before the value segments: recovery costs count
                    potentials = segments_demo.generate(*period)
                    value = segments.compute_segments(None, *period)
                    service_desk = servicedesk_demo.generate()
                    survey_answers = servqual_demo.generate()
                ledger_seconds = time.perf_counter() - ledger_started
        risk = run_scan(notify=False) if invoices_per_customer and result.customers else None
        if result.customers:
            org_demo.analyze(*customer_demo.loaded_models(), *ledger_demo.loaded_models())
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
        if ledger.invoices or ledger.balances:
            self.stdout.write(
                f"Ledger: {ledger.products} products, {ledger.orders} orders ({ledger.order_lines} lines), "
                f"{ledger.invoices} invoices ({ledger.invoice_lines} lines), {ledger.receipts} receipts, "
                f"{ledger.allocations} allocations, {ledger.balances} balance rows ({ledger.rows()} rows) "
                f"in {ledger_seconds:.1f} s."
            )
        if collection.cases:
            self.stdout.write(f"Collection: {collection.cases} cases opened, {collection.letters} dunning letters "
                              f"written by the dunning run as of today, {collection.worked} cases worked by hand.")
        if rating.rated or credit.profiles:
            self.stdout.write(f"Credit: {rating.statements} financial statements, {rating.investigations} "
                              f"investigations, {rating.rated} customers rated; {credit.profiles} credit profiles, "
                              f"{credit.stops} credit stops, {credit.applications} applications waiting.")
        if invoices_per_customer and result.customers:
            self.stdout.write(f"Classes: pyramid and ABC snapshots for {period[0]} – {period[1]} "
                              f"({pyramid.totals}); visit plan for this month: {plan.visits} visits and "
                              f"{plan.calls} calls for {plan.persons} people; {visit_history} visits and calls "
                              f"done in the last 12 months.")
            self.stdout.write(f"Complaints: {complaint_count} taken in over the last year, at every step, some "
                              f"late, some repeats; {claim_count} claims on quality and delivery complaints (some "
                              "settled as credit notes, some waiting for approval, one rejected).")
            self.stdout.write(f"Value segments: {value.totals} (MV most valuable, MG most growable, M maintain, "
                              f"BZ below zero), {potentials} customers with an estimated potential.")
            self.stdout.write(f"Service desk: {service_desk.tickets} service requests in the last year "
                              f"({service_desk.open_tickets} open), {service_desk.contracts} service contracts, "
                              f"{service_desk.articles} knowledge articles.")
            self.stdout.write(f"Service improvement: {improvement.promises} service promises, {improvement.actions} "
                              f"improvement actions, {improvement.recoveries} service recoveries.")
            self.stdout.write(f"SERVQUAL: two campaigns (last quarter analysed, this quarter open and anonymous) "
                              f"with {survey_answers} answers through one-time links and from paper or phone.")
        if risk is not None:
            self.stdout.write(f"Risk: {sum(risk.new.values())} risk signals on {risk.customers} customers scanned.")
        if calendar.holidays or calendar.make_up_days:
            self.stdout.write(f"Business calendar: {calendar.holidays} holidays and {calendar.make_up_days} make-up "
                              "working days of 2026 (the State Council's schedule) and 2027 (an estimate).")

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
