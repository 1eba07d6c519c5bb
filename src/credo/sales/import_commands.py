"""The shared part of `credo import invoices|receipts FILE`: arguments, acting user, progress, report.

Reuses the customer import command's helpers (acting user, progress bar, report table).
"""

import argparse
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.utils import translation

from credo.customers import spreadsheets
from credo.customers.management.commands._spreadsheet_command import (
    ImportCommand,
    acting_user,
    fail,
    progress_bar,
)

from . import importing
from .import_columns import COLUMNS


def template_text(kind: str) -> str:
    lines = ["Columns (Chinese or English header; * = required column):"]
    for column in COLUMNS[kind]:
        mark = "*" if column.required else " "
        example = f" e.g. {column.example}" if column.example else ""
        lines.append(f"  {column.field}{mark}  {column.zh} / {column.en}: {column.help}{example}")
    return "\n".join(lines)


class LedgerImportCommand(ImportCommand):
    kind = "invoices"
    stages = {"validate": "校验 validating", "import": "过账 posting"}

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = template_text(self.kind)
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE",
                            help="an Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK) whose first row holds the "
                                 "template's column headers, in Chinese or English")
        parser.add_argument("--skip-bad-rows", action="store_true",
                            help="post the good rows and leave out bad ones (default: post nothing if any row is bad)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, post nothing")
        self.add_common_arguments(parser)

    def handle(self, *args, file, user, skip_bad_rows, dry_run, language, verbosity, **options):
        with translation.override(language):
            path = Path(file)
            if spreadsheets.extension(path.name) not in spreadsheets.EXTENSIONS:
                fail(f"{file}: unsupported file type; use .xlsx or .csv.")
            if not path.is_file():
                fail(f"{file}: no such file.")
            acting = acting_user(user)
            with progress_bar(verbosity) as progress, path.open("rb") as handle:
                tasks = {}

                def advance(stage, step, total):
                    if stage not in tasks:
                        tasks[stage] = progress.add_task(self.stages.get(stage, stage), total=total)
                    progress.advance(tasks[stage], step)

                try:
                    report = importing.import_file(acting, handle, path.name, self.kind, skip_bad_rows=skip_bad_rows,
                                                   dry_run=dry_run, progress=advance)
                except PermissionDenied as exc:
                    fail(f"{acting.username}: {exc}")
            self.print_report(report, verbosity)
            if report.blocked or (not report.imported and not dry_run):
                fail(
                    f"{path.name}: {len(report.problems)} problem(s) in {report.bad_rows or 'the file'}"
                    f"{' row(s)' if report.bad_rows else ''}; nothing was posted."
                    + ("" if report.fatal else " Correct the file, or use --skip-bad-rows.")
                )
