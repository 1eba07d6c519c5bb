"""credo import contacts FILE: import contacts of existing customers from .xlsx or .csv."""

from ._spreadsheet_command import ImportCommand


class Command(ImportCommand):
    kind = "contacts"
    help = (
        "Import contacts from an Excel workbook or a CSV file (UTF-8 or GBK); each row names its customer "
        "by the customer code. Every row is checked first; nothing is imported from a file with errors "
        "unless --skip-bad-rows is given. Exit status 2 when nothing could be imported."
    )
