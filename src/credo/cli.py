"""`credo` — the command line: a thin entry point over Django's management commands.

  credo migrate                      apply database migrations
  credo serve [ADDR:PORT]            serve on 127.0.0.1:8000 (development server)
  credo demo --customers N           load demo data
  credo import customers|contacts FILE [--skip-bad-rows]
  credo import invoices|receipts FILE [--skip-bad-rows] [--user NAME]
  credo export customers FILE [--user NAME] [--q TEXT] …
  credo createuser NAME --role ROLE [--team TEAM]
  credo token NAME                   create an API token
  credo unlock NAME [--address IP]   lift a sign-in pause (audited); --address IP alone: that address; --list
  credo ledger reconcile             prove every balance against the documents
  credo ledger rebuild-month-sales   recompute the goods sales per customer and month from the invoices
  credo aging --as-of DATE --format json|xlsx
  credo dunning run [--as-of DATE]   check promises, open cases, write the dunning letters due (once)
  credo credit rerate [--as-of DATE] re-rate every customer due this quarter
  credo credit-limit METHOD …        a credit limit, step by step (working-capital | sales-volume | …)
  credo credit-control reviews|scan  annual limit reviews; late-payment credit stops over the ledger
  credo risk scan [--as-of DATE]     compute the risk signals and classes of every customer
  credo classify --from D --to D     pyramid or ABC snapshot of a period (--method, --format json)
  credo segments --from D --to D     value segments: profit after costs, 80/20 check, review list
  credo analysis REPORT              an analysis report (--format json|xlsx)
  credo visits plan --month YYYY-MM  everyone's visits and calls for the month
  credo calendar holiday|workday DATE …   add holidays / make-up working days (调休); remove DATE …; show --year Y
  credo sla due --from "YYYY-MM-DD HH:MM" --hours H   when H business hours from then run out (--format json)
  credo sla scan [--as-of "YYYY-MM-DD HH:MM"]         warn and record service-level breaches (--format json)
  credo servqual score FILE --weights tangibles=W,…,empathy=W   SERVQUAL gaps and scores of a CSV (--format text)
  credo <any Django command>         e.g. credo shell, credo createsuperuser

The database is DATABASE_URL (see credo/settings.py). A command run on a database that is missing or
not migrated, or on a PostgreSQL server that cannot be reached, exits with status 2 and one sentence
saying what to do (`credo migrate`, start the server …), never with a traceback.
"""

import os
import re
import sys
import threading

# Two-word commands map to one management command each.
PAIRS = {
    ("import", "customers"): "import_customers",
    ("import", "contacts"): "import_contacts",
    ("export", "customers"): "export_customers",
    ("import", "invoices"): "import_invoices",
    ("import", "receipts"): "import_receipts",
}
ALIASES = {"serve": "serve", "demo": "demo", "createuser": "createuser", "token": "token"}
# Commands spelled with a dash on the command line; Django command names cannot contain one.
DASHED = {"credit-limit": "credit_limit", "credit-control": "credit_control"}


def translate(argv: list[str]) -> list[str]:
    if argv and argv[0] in DASHED:
        return [DASHED[argv[0]], *argv[1:]]
    if len(argv) >= 2 and (argv[0], argv[1]) in PAIRS:
        return [PAIRS[(argv[0], argv[1])], *argv[2:]]
    if argv and argv[0] in ("import", "export"):
        kinds = sorted(k for verb, k in PAIRS if verb == argv[0])
        print(f"credo {argv[0]}: say what to {argv[0]}: {' | '.join(kinds)}", file=sys.stderr)
        raise SystemExit(2)
    return argv


# --- the database a command runs on -----------------------------------------------------------
#
# Every command but these needs a migrated database. The check runs when a command first connects, so a
# command still names a bad option first and one that never touches the database (--help) needs none.
NO_MIGRATED_DATABASE_NEEDED = frozenset({
    "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations", "optimizemigration",
    "check", "shell", "dbshell", "inspectdb", "createcachetable", "flush", "sqlflush", "sqlsequencereset",
    "makemessages", "compilemessages", "collectstatic", "findstatic", "diffsettings", "startapp",
    "startproject", "test", "testserver", "sendtestemail", "help", "version",
})
# The development server opens its first connection in a thread of its own: check before starting it.
CHECK_BEFORE_START = frozenset({"serve", "runserver"})


class CannotRun(Exception):
    """The database (or its settings) keeps the command from running: the one sentence to print, status 2."""


def _where(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"the SQLite database {settings_dict['NAME']}"
    return f"the PostgreSQL database {settings_dict['NAME']!r} at {_host_port(settings_dict)}"


def _host_port(settings_dict: dict) -> str:
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or "5432"
    return f"host {host} port {port}"


def _sqlite_files(settings_dict: dict) -> list[str]:
    name = str(settings_dict["NAME"])
    return [name, name + "-wal", name + "-shm", name + "-journal"]


def _unapplied_migrations(connection) -> tuple[int, bool]:
    """(migrations not applied, whether any was ever applied) on an open connection."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return len(plan), bool(executor.loader.applied_migrations)


def check_migrated(connection, created_file: bool = False) -> None:
    """Raise CannotRun unless every migration of this Credo is applied to `connection`."""
    missing, any_applied = _unapplied_migrations(connection)
    if not missing:
        return
    where = _where(connection.settings_dict)
    if created_file:
        # Connecting made an empty SQLite file: take it away again, the command did nothing.
        connection.close()
        for path in _sqlite_files(connection.settings_dict):
            if os.path.exists(path):
                os.remove(path)
        raise CannotRun(f"{where} does not exist: run `credo migrate` to create it.")
    if not any_applied:
        raise CannotRun(f"{where} has no tables yet: run `credo migrate` to create them.")
    count = f"{missing} migration{'s' if missing != 1 else ''}"
    raise CannotRun(f"{where} is not up to date ({count} not applied): run `credo migrate` first.")


def _connection_failure(error, settings_dict: dict) -> str:
    """The sentence for an error raised while connecting."""
    text = str(error).strip()
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return (f"cannot open {_where(settings_dict)} ({text}): check that its folder exists and is writable, "
                "or set DATABASE_URL.")
    # psycopg: 'connection failed: connection to server at "h", port p failed: REASON', one line per address
    # tried; REASON starts with FATAL when the server answered.
    reasons = [m.group(1).strip() for m in re.finditer(r"failed: (?!connection to server)(.+)", text)]
    reason = reasons[-1] if reasons else text.splitlines()[0]
    where = _host_port(settings_dict)
    if not reason.startswith("FATAL"):
        return f"cannot reach PostgreSQL at {where} ({reason}): start the server or correct DATABASE_URL."
    reason = re.sub(r"^FATAL:\s*", "", reason)
    if match := re.search(r'database "(.+)" does not exist', reason):
        user = settings_dict.get("USER") or "postgres"
        host, port = settings_dict.get("HOST") or "localhost", settings_dict.get("PORT") or "5432"
        return (f"PostgreSQL at {where} has no database {match.group(1)!r}: create it "
                f"(createdb -h {host} -p {port} -U {user} {match.group(1)}), then run `credo migrate`.")
    return f"PostgreSQL at {where} refused the connection ({reason}): correct DATABASE_URL."


def _describe(error) -> str | None:
    """The sentence for a database error that reached the entry point, or None for any other error."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if connection.connection is None:
        return _connection_failure(error, connection.settings_dict)
    # A missing table or column that a migration would make (e.g. a connection opened in another thread).
    try:
        connection.close()
        check_migrated(connection)
    except CannotRun as not_ready:
        return str(not_ready)
    except Exception:
        return None  # the original error is the one to show
    return None


def _watch_first_connection(created_file: bool) -> None:
    from django.db import DEFAULT_DB_ALIAS
    from django.db.backends.signals import connection_created

    checked = threading.Event()

    def check(sender, connection, **kwargs):
        if connection.alias != DEFAULT_DB_ALIAS or checked.is_set():
            return
        checked.set()
        check_migrated(connection, created_file=created_file)

    connection_created.connect(check, weak=False, dispatch_uid="credo.cli.check_migrated")


def run(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credo.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError, ProgrammingError

    args = translate(argv)
    command = args[0]
    try:
        settings_dict = settings.DATABASES["default"]
    except ImproperlyConfigured as error:  # e.g. a DATABASE_URL of an unknown kind
        raise CannotRun(str(error)) from error
    sqlite = settings_dict["ENGINE"].endswith("sqlite3")
    created_file = sqlite and not os.path.exists(settings_dict["NAME"])
    try:
        if command in CHECK_BEFORE_START and not {"-h", "--help"} & set(args):
            import django
            from django.db import connection

            django.setup()
            connection.ensure_connection()
            check_migrated(connection, created_file=created_file)
            connection.close()
        elif command not in NO_MIGRATED_DATABASE_NEEDED:
            _watch_first_connection(created_file)
        execute_from_command_line(["credo", *args])
    except (OperationalError, ProgrammingError) as error:
        # Connecting failed, or a table is missing: say what to do. Any other database error is a bug to show.
        if not (sentence := _describe(error)):
            raise
        raise CannotRun(sentence) from error


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return
    try:
        run(argv)
    except CannotRun as not_ready:
        print(f"credo {argv[0]}: {not_ready}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
