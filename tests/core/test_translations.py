"""Every string of the interface has its Simplified Chinese translation (the default language)."""

from pathlib import Path

import credo

CATALOGS = sorted(Path(credo.__file__).parent.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def untranslated(path: Path) -> list[str]:
    """msgids whose msgstr (or every msgstr[n]) is empty, and fuzzy entries; the header is skipped."""
    missing, entry, fuzzy = [], {}, False

    def close():
        if entry.get("msgid") and (fuzzy or not any(entry.get("msgstr", []))):
            missing.append(entry["msgid"])

    current = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            entry, fuzzy, current = {}, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            current = "msgid"
            entry["msgid"] = line[7:-1]
        elif line.startswith("msgstr"):
            current = "msgstr"
            entry.setdefault("msgstr", []).append(line.split(" ", 1)[1][1:-1])
        elif line.startswith('"') and current:
            if current == "msgid":
                entry["msgid"] += line[1:-1]
            else:
                entry["msgstr"][-1] += line[1:-1]
    return missing


def test_catalogs_exist():
    assert CATALOGS


def test_every_string_is_translated():
    for path in CATALOGS:
        assert untranslated(path) == [], path



def test_compiled_catalog_is_in_use():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Overview") == "概况"
        assert translation.gettext("Record a payment") == "登记收款"
