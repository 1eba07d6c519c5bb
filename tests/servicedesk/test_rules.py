"""The pure rules: steps of a ticket, coverage, reference numbers, search terms and suggestion ranking."""

import datetime

import pytest

from credo.servicedesk import rules
from credo.servicedesk.rules import ContractTerms

D = datetime.date


JAN_1, DEC_31 = D(2026, 1, 1), D(2026, 12, 31)


def terms(id=1, status="active", start=JAN_1, end=DEC_31, all_products=False, products=()):  # noqa: A002
    return ContractTerms(id, status, start, end, all_products, frozenset(products))


@pytest.mark.parametrize(("status", "start", "end", "today", "state"), [
    ("active", D(2026, 1, 1), D(2026, 12, 31), D(2026, 6, 1), "active"),
    ("active", D(2026, 1, 1), D(2026, 12, 31), D(2026, 12, 31), "active"),      # the expiry day is covered
    ("active", D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1), "expired"),
    ("active", D(2026, 1, 1), D(2026, 12, 31), D(2025, 12, 31), "pending"),
    ("draft", D(2026, 1, 1), D(2026, 12, 31), D(2026, 6, 1), "draft"),
    ("terminated", D(2026, 1, 1), D(2026, 12, 31), D(2026, 6, 1), "terminated"),
])
def test_contract_state(status, start, end, today, state):
    assert rules.contract_state(status, start, end, today) == state


def test_coverage_names_the_product_or_all_products_and_only_in_force():
    on = D(2026, 6, 1)
    listing = terms(id=1, products={7})
    everything = terms(id=2, all_products=True, end=D(2027, 6, 30))
    expired = terms(id=3, products={8}, end=D(2026, 5, 31))
    draft = terms(id=4, status="draft", products={9})
    contracts = [listing, everything, expired, draft]
    assert rules.covering_contract(contracts, 7, on) == 1          # naming the product beats all-products
    assert rules.covering_contract(contracts, 8, on) == 2          # expired one does not count; all-products does
    assert rules.covering_contract(contracts, None, on) == 2       # a question about nothing in particular
    assert rules.covering_contract([listing, expired, draft], 8, on) is None
    assert rules.covering_contract([listing, draft], None, on) is None
    assert rules.covering_contract([terms(id=5, products={7}, end=D(2026, 7, 1)), terms(id=6, products={7})], 7,
                                   on) == 6                        # the longest-running of two
    assert rules.covers(listing, 7, D(2026, 12, 31)) and not rules.covers(listing, 7, D(2027, 1, 1))


def test_transitions():
    assert rules.can("pause", "in_progress") and not rules.can("pause", "waiting_customer")
    assert rules.can("resolve", "waiting_customer") and not rules.can("resolve", "resolved")
    assert rules.next_status("reply", "new") == "in_progress"
    assert rules.next_status("reply", "waiting_customer") == "waiting_customer"
    assert rules.next_status("resume", "waiting_customer") == "in_progress"
    assert not rules.can("reply", "closed") and not rules.can("convert", "closed")


def test_reference_number_and_first_response():
    assert rules.reference_number(2026, 45) == "FW-2026-000045"
    assert rules.counts_as_first_response(kind="reply", author_id=3, owner_id=3, already_responded=False)
    assert rules.counts_as_first_response(kind="note", author_id=3, owner_id=3, already_responded=False)
    assert not rules.counts_as_first_response(kind="reply", author_id=4, owner_id=3, already_responded=False)
    assert not rules.counts_as_first_response(kind="reply", author_id=3, owner_id=3, already_responded=True)


def test_suggestion_terms_are_bigrams_without_function_characters_and_whole_words():
    found = rules.suggestion_terms("打印机无法开机了，型号 X200 的打印机")
    assert found[:2] == ["打印", "印机"]                               # twice in the text: first
    assert "开机" in found and "无法" in found and "x200" in found
    assert "机了" not in found and "的打" not in found
    assert rules.suggestion_terms("") == [] and rules.suggestion_terms("的了吗") == []
    assert len(rules.suggestion_terms("安装调试" * 50 + "".join(chr(0x4e00 + i * 7) for i in range(60)))) == 24


def test_query_terms_keep_words_whole_and_normalise_full_width():
    assert rules.query_terms(" 安装  ＡＢＣ 安装 ") == ["安装", "ABC"]
    assert rules.query_terms("") == []
    assert rules.split_tags("安装, 调试，上门、安装;ERP") == ["安装", "调试", "上门", "ERP"]
    assert rules.join_tags(["安装", "调试", "安装"]) == "安装, 调试"


def test_score_puts_title_hits_first():
    query = rules.query_terms("安装")
    in_title = rules.score("空调安装指南", "", "步骤", query)
    in_tags = rules.score("使用指南", "安装", "步骤", query)
    in_body = rules.score("使用指南", "", "安装前请断电", query)
    assert in_title.score > in_tags.score > in_body.score > 0
    assert (in_title.title_hits, in_body.title_hits) == (1, 0)
    assert rules.score("无关", "", "", query).score == 0
    rare = {"安装": 4, "调试": 4}
    assert rules.worth_suggesting(rules.Score(20, 1, 1), rare) and not rules.worth_suggesting(rules.Score(4, 0, 1), rare)
    assert rules.suggestion_threshold({"调试": 1}) == 5          # one term seen often: its title hit suffices


def test_rare_terms_weigh_more_and_common_ones_nothing():
    weights = rules.term_weights({"减速": 1, "电机": 3, "安装": 6, "说明": 12, "冰箱": 0}, 35)
    assert weights == {"减速": 4, "电机": 3, "安装": 2, "说明": 0, "冰箱": 0}
    assert rules.term_weights({"说明": 3}, 4) == {"说明": 1}          # a small knowledge base keeps every term
    body_only = rules.score("使用指南", "", "减速电机先加油", ["减速", "说明"], weights)
    assert body_only.score == 4
    title = rules.score("减速电机异常发热", "", "", ["减速", "说明"], weights)
    assert title.score == 20 and title.title_hits == 1


def test_generic_pairs_are_not_terms():
    found = rules.suggestion_terms("请问什么时候开发票？谢谢")
    assert "发票" in found and not {"请问", "什么", "时候", "谢谢"} & set(found)
