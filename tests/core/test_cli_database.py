"""`credo` on a database it cannot use: exit status 2 and one sentence saying what to do, never a traceback.

Each command runs as its own process (as a user runs it) against a database made for the test; the
commands of one test run side by side to keep the suite quick.
"""

import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from credo import cli

# The commands run as child processes, which read the real time, never the suite clock; the in-process tests
# here check wording only. So the clock runs of .ci/run leave this module out (tests/conftest.py).
pytestmark = pytest.mark.clock_independent("child processes")

DATES = ("--as-of", "2026-01-31")


def start(database_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "credo.settings", "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "-m", "credo.cli", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=180)
    return process.returncode, out, err


def sentence(err: str) -> str:
    """stderr holds exactly one line: the sentence."""
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"  # path is absolute: sqlite:////tmp/…


COMMANDS = {
    "credit-limit": ["credit-limit", "working-capital", "--current-assets", "1000", "--inventory", "100",
                     "--current-liabilities", "500", "--total-liabilities", "800", "--net-assets", "2000",
                     "--grade", "A", *DATES],
    "aging": ["aging", *DATES, "--format", "json"],
    "risk": ["risk", "scan", *DATES],
    "classify": ["classify", "--from", "2025-01-01", "--to", "2025-12-31"],
    "export": ["export", "customers", "{out}"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every process of this module, started at once (each one spends most of its time starting Django)."""
    tmp = tmp_path_factory.mktemp("cli")
    started = {}
    for name, args in COMMANDS.items():
        args = [a.replace("{out}", str(tmp / "customers.xlsx")) for a in args]
        started["missing", name] = start(sqlite_url(tmp / f"{name}.sqlite3"), *args)
    sqlite3.connect(tmp / "empty.sqlite3").close()
    started["empty"] = start(sqlite_url(tmp / "empty.sqlite3"), "aging", *DATES)
    # `credo migrate` works on a missing file (it creates it); here it applies only some migrations.
    started["migrate core"] = start(sqlite_url(tmp / "partial.sqlite3"), "migrate", "core", "-v", "0")
    port = closed_port()
    unreachable = f"postgres://postgres@127.0.0.1:{port}/credo"
    started["unreachable", "migrate"] = start(unreachable, "migrate")
    started["unreachable", "aging --help"] = start(unreachable, "aging", "--help")
    done = {key: finish(process) for key, process in started.items()}
    done["partial"] = finish(start(sqlite_url(tmp / "partial.sqlite3"), "risk", "scan", *DATES))
    return tmp, port, done


@pytest.mark.parametrize("name", list(COMMANDS))
def test_commands_on_a_missing_sqlite_database_say_run_migrate(runs, name):
    tmp, _port, done = runs
    status, out, err = done["missing", name]
    database = tmp / f"{name}.sqlite3"
    assert status == 2, err
    assert sentence(err) == (f"credo {name}: the SQLite database {database} does not exist: "
                             "run `credo migrate` to create it.")
    assert not out.strip()
    assert not database.exists(), "a failed command leaves no empty database file behind"
    assert not (tmp / "customers.xlsx").exists()


def test_an_empty_database_is_named(runs):
    tmp, _port, done = runs
    status, _out, err = done["empty"]
    assert status == 2
    assert sentence(err) == (f"credo aging: the SQLite database {tmp / 'empty.sqlite3'} has no tables yet: "
                             "run `credo migrate` to create them.")


def test_migrate_creates_the_missing_file_and_a_database_not_up_to_date_is_named(runs):
    tmp, _port, done = runs
    status, _out, err = done["migrate core"]
    assert status == 0, err
    status, _out, err = done["partial"]
    assert status == 2
    line = sentence(err)
    assert line.startswith(f"credo risk: the SQLite database {tmp / 'partial.sqlite3'} is not up to date (")
    assert line.endswith(" migrations not applied): run `credo migrate` first.")


def test_unreachable_postgresql_names_host_and_port(runs):
    _tmp, port, done = runs
    status, _out, err = done["unreachable", "migrate"]
    assert status == 2, err
    line = sentence(err)
    assert line.startswith(f"credo migrate: cannot reach PostgreSQL at host 127.0.0.1 port {port} (")
    assert line.endswith("): start the server or correct DATABASE_URL.")
    status, out, err = done["unreachable", "aging --help"]
    assert status == 0 and "--as-of" in out and not err


def test_help_needs_no_database(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/credo")
    cli.main(["--help"])
    assert "credo migrate" in capsys.readouterr().out


@pytest.mark.parametrize("error,sentence_", [
    ('connection failed: connection to server at "db.example", port 6543 failed: FATAL:  database "crm" does '
     'not exist', "PostgreSQL at host db.example port 6543 has no database 'crm': create it (createdb -h "
                  "db.example -p 6543 -U credo crm), then run `credo migrate`."),
    ('connection failed: connection to server at "db.example", port 6543 failed: FATAL:  password '
     'authentication failed for user "credo"', 'PostgreSQL at host db.example port 6543 refused the connection '
                                               '(password authentication failed for user "credo"): correct '
                                               'DATABASE_URL.'),
    ("Multiple connection attempts failed. All failures were:\n- host: 'localhost', port: '6543', hostaddr: "
     "'::1': connection failed: connection to server at \"::1\", port 6543 failed: Connection refused\n\tIs the "
     "server running on that host and accepting TCP/IP connections?\n- host: 'localhost', port: '6543', hostaddr: "
     "'127.0.0.1': connection failed: connection to server at \"127.0.0.1\", port 6543 failed: Connection refused",
     "cannot reach PostgreSQL at host db.example port 6543 (Connection refused): start the server or correct "
     "DATABASE_URL."),
])
def test_postgresql_connection_failures_in_one_sentence(error, sentence_):
    settings_dict = {"ENGINE": "django.db.backends.postgresql", "NAME": "crm", "USER": "credo",
                     "HOST": "db.example", "PORT": "6543"}
    assert cli._connection_failure(Exception(error), settings_dict) == sentence_
