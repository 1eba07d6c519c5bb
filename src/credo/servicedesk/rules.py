"""Pure rules of the service desk (no Django): the ticket's steps, which contract covers a ticket, the
reference number, and the words a knowledge-base search and an intake suggestion look for.

Chinese has no spaces between words, so a description is cut into overlapping pairs of Chinese characters
(bigrams: 打印机无法开机 → 打印 印机 机无 无法 法开 开机); a two-character word of an article is then found
by a plain substring match, which SQLite and PostgreSQL both do (icontains) without a Chinese tokenizer.
Pairs that hold a function character (的, 了, 是 …) say nothing about the subject and are dropped. Latin
words and model numbers (X200, ERP) are kept whole.
"""

import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# --- tickets ---------------------------------------------------------------------------------------------

NEW, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED, CLOSED = "new", "in_progress", "waiting_customer", "resolved", "closed"
OPEN_STATUSES = (NEW, IN_PROGRESS, WAITING_CUSTOMER)

# action → (statuses it may start from, status it leads to; None: unchanged, or in_progress from new)
TRANSITIONS = {
    "reply": ((NEW, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED), None),
    "note": ((NEW, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED), None),
    "assign": ((NEW, IN_PROGRESS, WAITING_CUSTOMER), None),
    "pause": ((NEW, IN_PROGRESS), WAITING_CUSTOMER),
    "resume": ((WAITING_CUSTOMER,), IN_PROGRESS),
    "resolve": ((NEW, IN_PROGRESS, WAITING_CUSTOMER), RESOLVED),
    "reopen": ((RESOLVED,), IN_PROGRESS),
    "close": ((RESOLVED,), CLOSED),
    "convert": ((NEW, IN_PROGRESS, WAITING_CUSTOMER, RESOLVED), CLOSED),
}


def can(action: str, status: str) -> bool:
    allowed, _to = TRANSITIONS[action]
    return status in allowed


def next_status(action: str, status: str) -> str:
    """The status after the action; a reply or note moves a new ticket to in progress."""
    _allowed, to = TRANSITIONS[action]
    if to is not None:
        return to
    if action in ("reply", "note") and status == NEW:
        return IN_PROGRESS
    return status


def reference_number(year: int, pk: int) -> str:
    """FW-2026-000045: 服务 (FW), the year of intake, the ticket's id."""
    return f"FW-{year:04d}-{pk:06d}"


def counts_as_first_response(*, kind: str, author_id: int | None, owner_id: int | None,
                             already_responded: bool) -> bool:
    """The first reply or note written by the ticket's owner stops the first-response clock (an unowned
    ticket is taken by whoever answers it first, see services.reply)."""
    return (not already_responded and kind in ("reply", "note") and author_id is not None
            and author_id == owner_id)


# --- contracts ---------------------------------------------------------------------------------------------

DRAFT, ACTIVE, TERMINATED = "draft", "active", "terminated"
PENDING, EXPIRED = "pending", "expired"  # derived from the dates of an active contract


def contract_state(status: str, starts_on: datetime.date, expires_on: datetime.date,
                   today: datetime.date) -> str:
    """draft / terminated as recorded; an active contract is pending before it starts, expired after it
    ends (the expiry day itself is covered), active in between."""
    if status != ACTIVE:
        return status
    if today < starts_on:
        return PENDING
    if today > expires_on:
        return EXPIRED
    return ACTIVE


def days_to_expiry(expires_on: datetime.date, today: datetime.date) -> int:
    return (expires_on - today).days


def expiring_soon(status: str, starts_on, expires_on, today: datetime.date, days: int) -> bool:
    return contract_state(status, starts_on, expires_on, today) == ACTIVE and 0 <= (expires_on - today).days <= days


@dataclass(frozen=True)
class ContractTerms:
    id: int
    status: str
    starts_on: datetime.date
    expires_on: datetime.date
    all_products: bool
    product_ids: frozenset


def covers(contract: ContractTerms, product_id: int | None, on: datetime.date) -> bool:
    """An active contract in force on the day covers the product when it lists it or covers all products; a
    ticket about no product in particular is covered by an all-products contract only."""
    if contract_state(contract.status, contract.starts_on, contract.expires_on, on) != ACTIVE:
        return False
    if contract.all_products:
        return True
    return product_id is not None and product_id in contract.product_ids


def covering_contract(contracts, product_id: int | None, on: datetime.date) -> int | None:
    """The id of the contract that covers the ticket: of those that do, the one naming the product before an
    all-products one, then the one running longest, then the oldest."""
    found = [c for c in contracts if covers(c, product_id, on)]
    if not found:
        return None
    found.sort(key=lambda c: (c.all_products, -c.expires_on.toordinal(), c.id))
    return found[0].id


# --- knowledge base -----------------------------------------------------------------------------------------

TITLE_WEIGHT, TAG_WEIGHT, BODY_WEIGHT = 5, 3, 1
MAX_QUERY_TERMS = 8
MAX_SUGGESTION_TERMS = 24
MIN_SUGGESTION_SCORE = 8   # e.g. one rare pair in the title, or a rare pair in the tags and the text

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9A-Za-z][0-9A-Za-z._+-]*[0-9A-Za-z]|[0-9A-Za-z]")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
_TAG_SPLIT = re.compile(r"[,，、;；\n]+")
# Characters that carry no subject: particles, pronouns, the commonest verbs and adverbs.
STOP_CHARACTERS = frozenset("的了是我你他她它们在有和与及或吗呢吧啊呀哦嗯就也都又很太最把被给这那哪个些么什怎您谢麻烦"
                            "不没要可以着")


# Pairs that a description says about anything: asking, time, need. They match half the knowledge base.
STOP_BIGRAMS = frozenset({"咨询", "请问", "问题", "什么", "时候", "怎么", "如何", "为何", "客户", "我们", "你们", "公司",
                          "现在", "已经", "情况", "一下", "谢谢", "麻烦", "需要", "希望", "能否", "是否", "时间",
                          "今天", "明天", "昨天", "上次", "这次", "处理", "帮忙", "看看", "联系", "告诉", "知道"})
COMMON_SHARE = 0.3          # a term in more than this share of the articles says nothing (from COMMON_MIN articles)
COMMON_MIN = 10


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become half-width), one space between words, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def split_tags(text: str) -> list[str]:
    seen, out = set(), []
    for tag in _TAG_SPLIT.split(normalise(text or "")):
        tag = tag.strip()
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return out


def join_tags(tags) -> str:
    return ", ".join(split_tags(",".join(tags) if not isinstance(tags, str) else tags))


def query_terms(query: str) -> list[str]:
    """The words of a search box: separated by spaces, each found as typed (安装 finds 安装调试指南)."""
    seen, out = set(), []
    for word in normalise(query).split(" "):
        key = word.lower()
        if word and key not in seen:
            seen.add(key)
            out.append(word)
    return out[:MAX_QUERY_TERMS]


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def suggestion_terms(text: str, limit: int = MAX_SUGGESTION_TERMS) -> list[str]:
    """The terms of an intake description worth looking up: Chinese bigrams without a function character and
    Latin words or model numbers of two characters or more; the most frequent first, then in order of
    appearance; at most `limit`."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    position = 0
    for match in _RUNS.finditer(normalise(text)):
        run = match.group()
        if _CJK_RUN.match(run):
            terms = [b for b in _bigrams(run) if not (set(b) & STOP_CHARACTERS) and b not in STOP_BIGRAMS]
        else:
            terms = [run.lower()] if len(run) >= 2 else []
        for term in terms:
            counts[term] += 1
            first.setdefault(term, position)
            position += 1
    ranked = sorted(counts, key=lambda t: (-counts[t], first[t]))
    return ranked[:limit]


def term_weights(document_counts: dict[str, int], total: int) -> dict[str, int]:
    """How much a term of a description counts, by how rare it is in the knowledge base (an integer inverse
    document frequency): 4 for a term in one article in twenty or fewer, down to 1; 0 for a term found in more
    than COMMON_SHARE of the articles (once there are COMMON_MIN of them) or in none."""
    weights = {}
    for term, count in document_counts.items():
        if count == 0 or (total >= COMMON_MIN and count > COMMON_SHARE * total):
            weights[term] = 0
        else:
            share = count / max(total, 1)
            weights[term] = 4 if share <= 0.05 else 3 if share <= 0.1 else 2 if share <= 0.2 else 1
    return weights


@dataclass(frozen=True)
class Score:
    score: int
    title_hits: int
    terms_hit: int


def score(title: str, tags: str, body: str, terms, weights: dict[str, int] | None = None) -> Score:
    """How well an article answers the terms: each term found in the title counts TITLE_WEIGHT, in the tags
    TAG_WEIGHT, in the text BODY_WEIGHT (case-insensitive), times the term's weight (1 without weights).
    queries.py computes the same sum in SQL."""
    title, tags, body = (title or "").lower(), (tags or "").lower(), (body or "").lower()
    total = title_hits = hit = 0
    for term in terms:
        t, w = term.lower(), (weights or {}).get(term, 1)
        in_title, in_tags, in_body = t in title, t in tags, t in body
        total += w * (TITLE_WEIGHT * in_title + TAG_WEIGHT * in_tags + BODY_WEIGHT * in_body)
        title_hits += in_title
        hit += in_title or in_tags or in_body
    return Score(total, title_hits, hit)


def suggestion_threshold(weights: dict[str, int]) -> int:
    """The score an article needs to be suggested: MIN_SUGGESTION_SCORE, or less for a description so short
    that it cannot reach it (all its terms in an article's title)."""
    best = sum(w * TITLE_WEIGHT for w in weights.values())
    return max(1, min(MIN_SUGGESTION_SCORE, best))


def worth_suggesting(found: Score, weights: dict[str, int]) -> bool:
    """One pair found only in an article's text is chance; suggest what scores the threshold."""
    return found.score >= suggestion_threshold(weights)
