"""Chinese search of the knowledge base, run on SQLite and (with DATABASE_URL) PostgreSQL alike: a query of two
Chinese characters finds every article holding them, title hits first; suggestions rank by weighted hits of the
description's bigrams; drafts stay out for readers."""

import pytest
from django.db import connection

from credo.servicedesk import queries, rules, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(world):
    def write(title, body, tags="", published=True, category="other"):
        return services.save_article(world.service, title=title, body=body, tags=tags, published=published,
                                     category=category)

    world.body_hit = write("设备使用注意事项", "新设备到货后请勿自行安装，由工程师上门。")
    world.title_hit = write("空调安装指南", "准备工具，确认电源。")
    world.tag_hit = write("上门服务流程", "预约时间后工程师上门。", tags="安装, 上门")
    world.title_and_body = write("净水器安装与调试", "安装前关闭总阀，安装后冲洗滤芯。", category="installation")
    world.draft = write("安装草稿", "未完成", published=False)
    world.other = write("发票开具说明", "每月月底开具增值税发票。", tags="发票", category="billing")
    return world


def titles(rows):
    return [a.title for a in rows]


def test_two_chinese_characters_find_title_tags_and_body_title_first(articles):
    found = titles(queries.search_articles(articles.sales_east, "安装"))
    assert set(found) == {"设备使用注意事项", "空调安装指南", "上门服务流程", "净水器安装与调试"}, connection.vendor
    assert set(found[:2]) == {"空调安装指南", "净水器安装与调试"}          # title hits first
    assert found[0] == "净水器安装与调试"                                  # title and text beat title alone
    assert found.index("上门服务流程") < found.index("设备使用注意事项")    # tags before text only
    assert "安装草稿" in titles(queries.search_articles(articles.service, "安装"))   # editors see drafts


def test_every_word_must_be_found_and_case_and_width_do_not_matter(articles):
    assert titles(queries.search_articles(articles.service, "安装 调试")) == ["净水器安装与调试"]
    services.save_article(articles.service, title="ERP 对账接口", body="导出 Excel 对账单", published=True)
    assert titles(queries.search_articles(articles.service, "erp")) == ["ERP 对账接口"]
    assert titles(queries.search_articles(articles.service, "ｅｘｃｅｌ")) == ["ERP 对账接口"]   # full-width
    assert titles(queries.search_articles(articles.service, "对账")) == ["ERP 对账接口"]
    assert titles(queries.search_articles(articles.service, "发票", category="billing")) == ["发票开具说明"]
    assert list(queries.search_articles(articles.service, "冰箱")) == []


def test_the_sql_ranking_is_the_rule(articles):
    query = rules.query_terms("安装")
    for article in queries.search_articles(articles.service, "安装"):
        expected = rules.score(article.title, article.tags, article.body, query)
        assert (article.score, article.title_hits) == (expected.score, expected.title_hits)


def test_suggestions_for_an_intake_description(articles):
    got = titles(queries.suggest("客户新买的净水器需要安装，想预约工程师上门调试"))
    assert got[0] == "净水器安装与调试"
    assert "安装草稿" not in got and "发票开具说明" not in got
    assert titles(queries.suggest("请问本月的发票什么时候开具？"))[0] == "发票开具说明"
    assert queries.suggest("") == [] and queries.suggest("你好") == []
    assert len(queries.suggest("安装 上门 工程师 设备 调试 电源", limit=2)) == 2


def test_suggestion_scores_are_the_rule_with_rarity_weights(articles):
    from credo.servicedesk.models import Article

    text = "净水器需要安装调试，工程师上门"
    terms = rules.suggestion_terms(text)
    weights = queries.suggestion_weights(Article.objects.filter(published=True), terms)
    for article in queries.suggest(text):
        expected = rules.score(article.title, article.tags, article.body, [t for t in terms if weights[t]], weights)
        assert article.score == expected.score


def test_a_word_every_article_holds_suggests_nothing(world):
    for n in range(12):
        services.save_article(world.service, title=f"说明{n}", body=f"产品说明第{n}条", published=True)
    assert queries.suggest("产品说明") == []
