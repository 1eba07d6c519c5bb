"""Text a person or a client sends: no control characters. A NUL cannot be stored in PostgreSQL at all, and
the other C0 characters are never wanted; multi-line text (notes, findings, reasons) keeps its tabs and
line breaks. The API (credo.core.api_inputs) and the forms (credo.core.forms) both refuse through here."""

import re

from django.utils.translation import gettext as _

_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why the text is refused (translated), or None when it is fine."""
    found = (_MULTILINE if multiline else _SINGLE_LINE).search(text)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if multiline:
        return _("Control characters (here %(code)s) are not allowed; line breaks and tabs are.") % {"code": code}
    return _("Write this on one line: line breaks, tabs and other control characters (here %(code)s) are "
             "not allowed.") % {"code": code}
