import datetime
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF

from credo.collection import letter_pdf
from credo.collection.letter_pdf import LetterContent, LetterInvoice, find_cjk_font, render_letter

D = datetime.date


@pytest.fixture(scope="module")
def poppler():
    if not shutil.which("pdftotext"):
        if os.environ.get("CI"):
            pytest.fail("poppler-utils (pdftotext, pdffonts, pdftoppm, pdfinfo) must be installed under CI")
        pytest.skip("poppler-utils not installed")


def make_content(invoices, total):
    return LetterContent(
        company_name="示例贸易有限公司",
        company_address="上海市浦东新区世纪大道100号 20楼",
        company_phone="021-5888 0000",
        sender="法务部",
        title="律师函",
        number="CS-2026-000123-W",
        letter_date=D(2026, 3, 5),
        customer_name="华东某某有限公司",
        customer_address="江苏省南京市玄武区中山路88号",
        salutation="尊敬的 华东某某有限公司：",
        paragraphs=(
            "根据我司记录，截至 2026年3月5日，贵公司仍有下列发票逾期未付，"
            f"未付金额合计 ¥{total:,.2f}。我司已多次以电话、电子邮件及书面方式提醒贵公司付款，至今仍未收到上述款项。",
            "如贵公司未能在下述期限内付清全部款项，我司将通过法律途径追讨欠款，并要求贵公司承担由此产生的一切费用。",
        ),
        invoices=tuple(invoices),
        total=total,
        pay_by=D(2026, 3, 20),
        signature="示例贸易有限公司 法务部",
    )


def invoice(i, amount):
    return LetterInvoice(f"INV-2025-{i:05d}", D(2025, 10, 1), D(2025, 11, 1), 124, Decimal(amount))


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def letter(poppler, tmp_path_factory) -> Path:
    amounts = ("10000.00", "2000.50", "345.17")
    content = make_content([invoice(i, a) for i, a in enumerate(amounts, 1)], Decimal("12345.67"))
    path = tmp_path_factory.mktemp("letter") / "letter.pdf"
    path.write_bytes(render_letter(content))
    return path


@pytest.fixture(scope="module")
def long_letter(poppler, tmp_path_factory) -> Path:
    invoices = [invoice(i, "100.00") for i in range(1, 121)]
    path = tmp_path_factory.mktemp("letter") / "long.pdf"
    path.write_bytes(render_letter(make_content(invoices, Decimal("12000.00"))))
    return path


def test_text_is_extractable(letter):
    text = run("pdftotext", str(letter), "-")
    for expected in ("华东某某有限公司", "律师函", "INV-2025-00002", "¥12,345.67", "¥2,000.50", "合计"):
        assert expected in text
    assert "请于 2026年3月20日 前付清上述款项。" in text


def test_metadata(letter):
    info = run("pdfinfo", str(letter))
    assert "示例贸易有限公司" in info
    assert "Credo" in info
    assert "Pages:           1" in info


def test_font_is_embedded(letter):
    rows = run("pdffonts", str(letter)).splitlines()[2:]
    assert rows, "no fonts in PDF"
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert "CJK" in name
        assert (emb, sub) == ("yes", "yes")


def test_page_renders_to_non_blank_image(letter, tmp_path):
    run("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(letter), str(tmp_path / "p"))
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # PGM: a short text header, then one byte per pixel (poppler's option is -gray, not -pgm).
    pgm = subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-f", "1", "-l", "1", str(letter)], capture_output=True, check=True
    ).stdout
    magic, width, height, maxval, pixels = pgm.split(maxsplit=4)
    assert magic == b"P5" and int(maxval) == 255
    assert len(pixels) == int(width) * int(height)
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 0.01 * len(pixels)


def test_many_invoices_break_pages_and_repeat_header(long_letter):
    info = run("pdfinfo", str(long_letter))
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages > 1
    text = run("pdftotext", str(long_letter), "-")
    assert "INV-2025-00120" in text
    assert "¥12,000.00" in text
    assert text.count("逾期天数") == pages
    last_page = run("pdftotext", "-f", str(pages), "-l", str(pages), str(long_letter), "-")
    assert "示例贸易有限公司 法务部" in last_page


def test_wrap_breaks_chinese_between_characters_not_only_at_spaces():
    path, index = find_cjk_font()
    pdf = FPDF()
    pdf.add_font("cjk", fname=path, collection_font_number=index)
    pdf.set_font("cjk", size=11)
    text = "请于 " + "贵公司仍有下列发票逾期未付" * 6 + " ¥12,345.67。"
    lines = letter_pdf._wrap(pdf, text, 100)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pdf.get_string_width(line) <= 100 for line in lines)
    assert pdf.get_string_width(lines[0]) > 90
    assert "¥12,345.67。" in lines[-1]


def test_missing_configured_font_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(letter_pdf.FONT_ENV, "/nonexistent/font.ttc,2")
    find_cjk_font.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="CREDO_PDF_FONT"):
            find_cjk_font()
    finally:
        find_cjk_font.cache_clear()


def test_no_font_found_says_what_to_install(monkeypatch):
    monkeypatch.delenv(letter_pdf.FONT_ENV, raising=False)
    monkeypatch.setattr(letter_pdf, "_FONT_CANDIDATES", ())
    monkeypatch.setattr(letter_pdf.shutil, "which", lambda name: None)
    find_cjk_font.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            find_cjk_font()
    finally:
        find_cjk_font.cache_clear()
