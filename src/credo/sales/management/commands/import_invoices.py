"""credo import invoices FILE: post invoices from .xlsx or .csv (template: sales/import_columns.py)."""

from credo.sales.import_commands import LedgerImportCommand


class Command(LedgerImportCommand):
    kind = "invoices"
    help = (
        "Post invoices from an Excel workbook or a CSV file (UTF-8 or GBK) through the ledger services. Every row "
        "is checked first; the report lists each bad row with its number, column and reason. Nothing is posted "
        "from a file with errors unless --skip-bad-rows is given. Exit status 2 when nothing could be posted."
    )
