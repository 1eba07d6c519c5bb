"""credo export customers FILE: the customers a user may see, filtered as on the list page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation

from credo.core.models import Territory
from credo.core.roles import has_perm
from credo.customers import exporting
from credo.customers.import_columns import choice_labels, header_key
from credo.customers.models import Lifecycle
from credo.customers.queries import CustomerFilter

from ._spreadsheet_command import SpreadsheetCommand, acting_user, fail, progress_bar


class Command(SpreadsheetCommand):
    help = (
        "Export customers to FILE (.xlsx or .csv, UTF-8 with BOM) with the import template's columns, so "
        "the file imports again. Only customers the --user may see; filters as on the customer list."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="where to write: a name ending in .xlsx or .csv")
        parser.add_argument(
            "--q", default="", metavar="TEXT", help="search: name, code, phone or credit code"
        )
        parser.add_argument("--kind", default="", help="retail, business, dealer or internal (or the label)")
        parser.add_argument("--importance", default="", help="key, general or scattered (or the label)")
        parser.add_argument(
            "--lifecycle", default="", choices=["", *Lifecycle.values], help="potential, new or old"
        )
        parser.add_argument("--territory", default="", metavar="CODE", help="territory code or name")
        parser.add_argument("--manager", default="", metavar="USERNAME", help="account manager's username")
        parser.add_argument("--tag", default="", help="customers with this tag")
        parser.add_argument(
            "--active",
            default="1",
            choices=["1", "0", "all"],
            help="1: active customers (default), 0: merged/inactive ones, all: both",
        )
        self.add_common_arguments(parser)

    def _choice(self, field, value):
        if not value:
            return ""
        code = choice_labels(field).get(header_key(value))
        if code is None:
            fail(f"--{field} {value!r}: not a known {field}.")
        return code

    def _filter(self, options) -> CustomerFilter:
        territory = None
        if options["territory"]:
            text = options["territory"]
            found = list(Territory.objects.filter(Q(code=text) | Q(name=text)).values_list("pk", flat=True))
            if len(found) != 1:
                fail(
                    f"--territory {text!r}: {'no' if not found else 'more than one'} territory with this code or name."
                )
            territory = found[0]
        manager = None
        if options["manager"]:
            manager = (
                get_user_model()
                .objects.filter(username=options["manager"])
                .values_list("pk", flat=True)
                .first()
            )
            if manager is None:
                fail(f"--manager {options['manager']!r}: no such user.")
        return CustomerFilter(
            q=options["q"].strip()[:100],
            kind=self._choice("kind", options["kind"]),
            importance=self._choice("importance", options["importance"]),
            lifecycle=options["lifecycle"],
            territory=territory,
            manager=manager,
            tag=options["tag"].strip(),
            active="" if options["active"] == "all" else options["active"],
        )

    def handle(self, *args, file, user, language, verbosity, **options):
        with translation.override(language):
            acting = acting_user(user)
            if not has_perm(acting, "customer.export"):
                fail(f"{acting.username}: this role may not export customers.")
            path = Path(file)
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in exporting.FORMATS:
                fail(f"{file}: the name must end in .xlsx or .csv.")
            if not path.parent.is_dir():
                fail(f"{path.parent}: no such folder.")
            queryset = exporting.customers_for_export(acting, self._filter(options))
            total = queryset.count()
            with progress_bar(verbosity) as progress:
                task = progress.add_task("导出 exporting", total=total)

                def counted(rows):
                    for i, row in enumerate(rows):
                        if i:
                            progress.advance(task)
                        yield row

                rows = counted(exporting.customer_rows(queryset, language))
                if fmt == "csv":
                    with path.open("w", encoding="utf-8", newline="") as out:
                        for chunk in exporting.csv_chunks(rows):
                            out.write(chunk)
                else:
                    exporting.write_xlsx(
                        rows, str(path), sheet="客户" if language.startswith("zh") else "Customers"
                    ).close()
            if verbosity:
                self.stdout.write(f"Wrote {total} customers to {path} (as {acting.username}).")
