"""credo import customers FILE: import customers from .xlsx or .csv (see customers/import_columns.py)."""

from ._spreadsheet_command import ImportCommand


class Command(ImportCommand):
    kind = "customers"
    help = (
        "Import customers from an Excel workbook or a CSV file (UTF-8 or GBK). Every row is checked first; "
        "the report lists each bad row with its number, column and reason. Nothing is imported from a file "
        "with errors unless --skip-bad-rows is given. Exit status 2 when nothing could be imported."
    )
