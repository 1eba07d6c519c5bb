from django.core.management.base import BaseCommand, CommandError

from credo.sales.queries import balance_drift, document_drift, month_sales_drift


class Command(BaseCommand):
    help = ("Ledger maintenance. `credo ledger reconcile` recomputes every customer's balance, every "
            "document's open amount and every customer's goods sales per month from the postings and lists any "
            "difference (exit status 1 if there is one). `credo ledger rebuild-month-sales` recomputes the goods "
            "sales per customer and month (the classification's summary) from the invoices.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reconcile", "rebuild-month-sales"],
                            help="what to do: reconcile | rebuild-month-sales")

    def handle(self, *args, action, **options):
        if action == "rebuild-month-sales":
            from credo.sales.services import rebuild_month_sales

            rows = rebuild_month_sales()
            self.stdout.write(f"month sales rebuilt: {rows} customer-months.")
            return
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("reconcile", total=3)
            drift = document_drift()
            progress.advance(task)
            drift += balance_drift()
            progress.advance(task)
            drift += month_sales_drift()
            progress.advance(task)
        if not drift:
            self.stdout.write("ledger reconciles: no differences.")
            return
        for d in drift[:200]:
            self.stdout.write(f"{d.kind} {d.key} {d.field}: kept {d.kept}, documents say {d.expected}")
        if len(drift) > 200:
            self.stdout.write(f"… and {len(drift) - 200} more")
        raise CommandError(f"{len(drift)} differences between kept figures and documents.", returncode=1)
