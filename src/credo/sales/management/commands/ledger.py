from django.core.management.base import BaseCommand, CommandError

from credo.sales.queries import balance_drift, document_drift


class Command(BaseCommand):
    help = ("Ledger maintenance. `credo ledger reconcile` recomputes every customer's balance and every "
            "document's open amount from the postings and lists any difference (exit status 1 if there is one).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reconcile"], help="what to do: reconcile")

    def handle(self, *args, action, **options):
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("reconcile", total=2)
            drift = document_drift()
            progress.advance(task)
            drift += balance_drift()
            progress.advance(task)
        if not drift:
            self.stdout.write("ledger reconciles: no differences.")
            return
        for d in drift[:200]:
            self.stdout.write(f"{d.kind} {d.key} {d.field}: kept {d.kept}, documents say {d.expected}")
        if len(drift) > 200:
            self.stdout.write(f"… and {len(drift) - 200} more")
        raise CommandError(f"{len(drift)} differences between kept figures and documents.", returncode=1)
