"""The kinds of work that run service-level clocks, registered by the apps that own them (complaints, the
service desk) so the sla app can name a clock's subject and link to it without importing those apps.

    registry.register(Kind.COMPLAINT, describe=lambda ids: {id: "CP000017 …"}, url=lambda id: "/complaints/17/")
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    describe: Callable[[list[int]], dict[int, str]]      # subject ids → a short text (number and title)
    url: Callable[[int], str]                             # subject id → its page
    # Extra people to tell, beyond the default chain (credo.sla.recipients): (clocks, level) → {clock id: user ids}.
    recipients: Callable | None = None


_kinds: dict[str, SubjectKind] = {}


def register(kind: str, *, describe, url, recipients=None) -> SubjectKind:
    _kinds[kind] = SubjectKind(kind, describe, url, recipients)
    return _kinds[kind]


def get(kind: str) -> SubjectKind | None:
    return _kinds.get(kind)


def describe(kind: str, ids: list[int]) -> dict[int, str]:
    entry = _kinds.get(kind)
    return entry.describe(ids) if entry else {}


def url(kind: str, subject_id: int) -> str:
    entry = _kinds.get(kind)
    return entry.url(subject_id) if entry else ""
