"""credo import_dealer_stock FILE --user NAME

Dealer stock at month ends from an .xlsx or .csv file (columns 客户编号, 商品编号, 月份, 库存金额[, 数量]);
all or nothing. Exit 1 with the problems listed when a row is wrong; bad options exit 2.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from credo.analysis import services
from credo.core.command_options import bad, user_option


class Command(BaseCommand):
    help = "Import dealer stock (month-end) from .xlsx/.csv."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--user", default="", metavar="NAME", help="who records the stock (required)")

    def handle(self, *args, **options):
        if not options["user"]:
            bad("--user: required (the stock is recorded in that user's name, for the customers they may see).")
        user = user_option(options["user"], "analysis.view", "record dealer stock")
        try:
            fileobj = open(options["file"], "rb")  # noqa: SIM115
        except OSError as exc:
            bad(f"FILE {options['file']!r}: {exc.strerror or exc}")
        try:
            with fileobj:
                count = services.import_stock(user, fileobj, options["file"])
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                self.stderr.write(message)
            raise CommandError("nothing imported.", returncode=1) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"{count} stock rows recorded.")
