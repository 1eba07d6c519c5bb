"""credo import receipts FILE: post receipts from .xlsx or .csv (template: sales/import_columns.py)."""

from credo.sales.import_commands import LedgerImportCommand


class Command(LedgerImportCommand):
    kind = "receipts"
    help = (
        "Post receipts from an Excel workbook or a CSV file (UTF-8 or GBK) through the ledger services, each "
        "applied to its invoice_number first, then FIFO to the oldest open invoices. Every row is checked first; "
        "nothing is posted from a file with errors unless --skip-bad-rows is given. Exit status 2 when nothing "
        "could be posted."
    )
