"""Shared parts of `credo import …` and `credo export …`: the acting user, the language, progress bars.

(A leading underscore keeps Django from listing this module as a command.)
"""

import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from credo.core.roles import Role
from credo.customers import importing, spreadsheets

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def fail(message: str):
    raise CommandError(message, returncode=2)


def acting_user(username: str | None):
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            fail(f"No active user with the username {username!r}.")
        return user
    user = users.filter(Q(is_superuser=True) | Q(profile__role=Role.ADMINISTRATOR)).order_by("pk").first()
    if user is None:
        fail(
            "No administrator exists: create one (credo createuser NAME --role administrator) or name a user "
            "with --user."
        )
    return user


class _Progress(Progress):
    """Shows itself with the first step of the work (or a task whose size is known), not on entering the
    ``with``: a command stopped before any work, e.g. by a database not migrated (credo.cli), leaves no
    empty "0/?" bar above its one-line message."""

    _shown = False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        if self._shown:
            super().stop()

    def _show(self) -> None:
        if not self._shown:
            self._shown = True
            super().start()

    def add_task(self, *args, **kwargs):
        task = super().add_task(*args, **kwargs)
        if self._tasks[task].total is not None:
            self._show()
        return task

    def update(self, task_id, **kwargs) -> None:
        super().update(task_id, **kwargs)
        self._show()

    def advance(self, task_id, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._show()


def progress_bar(verbosity: int) -> Progress:
    return _Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=verbosity == 0,
        transient=False,
    )


def render(renderable, width=120) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue().rstrip("\n")


class SpreadsheetCommand(BaseCommand):
    def add_common_arguments(self, parser):
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="act as this user: their scope, permissions and name in the audit trail "
            "(default: the first administrator)",
        )
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default=settings.LANGUAGE_CODE,
            help=f"language of the report, headers and labels (default {settings.LANGUAGE_CODE})",
        )


class ImportCommand(SpreadsheetCommand):
    kind = "customers"
    stages = {"validate": "校验 validating", "import": "导入 importing"}

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            metavar="FILE",
            help="an Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK) whose first row holds the "
            "template's column headers, in Chinese or English",
        )
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="import the good rows and leave out bad ones (default: import nothing if any row is bad)",
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="import rows that look like existing customers or contacts (same name or phone)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
        self.add_common_arguments(parser)

    def handle(
        self, *args, file, user, skip_bad_rows, allow_duplicates, dry_run, language, verbosity, **options
    ):
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
                    report = importing.import_file(
                        acting,
                        handle,
                        path.name,
                        self.kind,
                        skip_bad_rows=skip_bad_rows,
                        allow_duplicates=allow_duplicates,
                        dry_run=dry_run,
                        progress=advance,
                    )
                except PermissionDenied as exc:
                    fail(f"{acting.username}: {exc}")
            self.print_report(report, verbosity)
            if report.blocked:
                fail(
                    f"{path.name}: {len(report.problems)} problem(s) in {report.bad_rows or 'the file'}"
                    f"{' row(s)' if report.bad_rows else ''}; nothing was imported."
                    + ("" if report.fatal else " Correct the file, or use --skip-bad-rows.")
                )

    def print_report(self, report, verbosity):
        if verbosity == 0 and not report.problems:
            return
        if report.problems:
            table = Table(title=f"{report.filename}: problems")
            for title in ("row", "column", "problem"):
                table.add_column(title)
            for p in report.problems:
                table.add_row(
                    str(p.row or "—"), p.column or "—", ("[dup] " if p.duplicate else "") + p.message
                )
            self.stdout.write(render(table))
        if report.unknown_columns:
            self.stdout.write("Ignored unknown columns: " + ", ".join(report.unknown_columns))
        self.stdout.write(
            f"{report.filename}: {report.rows_read} rows read, {report.rows_ok} without problems, "
            f"{report.bad_rows} with problems, {report.imported} imported "
            f"in {report.seconds:.1f} s{' (dry run)' if report.dry_run else ''}."
        )
