import datetime
import os
import shutil
import subprocess
import sys
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


def _hide_system_fonts(mp: pytest.MonkeyPatch) -> None:
    """As on a machine where only pip installed anything: no fonts-noto-cjk, no fontconfig match."""
    mp.delenv(letter_pdf.FONT_ENV, raising=False)
    mp.setattr(letter_pdf, "_FONT_CANDIDATES", ())
    mp.setattr(letter_pdf, "_fc_match", lambda: None)


@pytest.fixture(scope="module")
def packaged_font_only():
    """Letters in this module are set in the font that comes with the Python dependencies alone."""
    with pytest.MonkeyPatch.context() as mp:
        _hide_system_fonts(mp)
        find_cjk_font.cache_clear()
        yield find_cjk_font()
    find_cjk_font.cache_clear()


@pytest.fixture
def no_font_lookup_cache():
    find_cjk_font.cache_clear()
    yield
    find_cjk_font.cache_clear()


def make_content(invoices, total, title="律师函"):
    return LetterContent(
        company_name="示例贸易有限公司",
        company_address="上海市浦东新区世纪大道100号 20楼",
        company_phone="021-5888 0000",
        sender="法务部",
        title=title,
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


def gray_pixels(pdf: Path, dpi: int = 50) -> bytes:
    """Page 1 rendered by poppler as 8-bit gray, one byte per pixel (PGM; poppler says -gray, not -pgm)."""
    result = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True
    )
    # e.g. "Syntax Error: Embedded font file may be invalid" for a font poppler cannot read.
    assert not result.stderr, result.stderr.decode()
    magic, width, height, maxval, pixels = result.stdout.split(maxsplit=4)
    assert magic == b"P5" and int(maxval) == 255
    assert len(pixels) == int(width) * int(height)
    return pixels


@pytest.fixture(scope="module")
def letter(poppler, packaged_font_only, tmp_path_factory) -> Path:
    amounts = ("10000.00", "2000.50", "345.17")
    content = make_content([invoice(i, a) for i, a in enumerate(amounts, 1)], Decimal("12345.67"))
    path = tmp_path_factory.mktemp("letter") / "letter.pdf"
    path.write_bytes(render_letter(content))
    return path


@pytest.fixture(scope="module")
def long_letter(poppler, packaged_font_only, tmp_path_factory) -> Path:
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
        # A subset (tag "ABCDEF+") of the packaged Noto Sans SC, with a ToUnicode map.
        assert name.endswith("+NotoSansSC"), name
        assert (emb, sub, uni) == ("yes", "yes", "yes")


def test_letter_is_small(letter):
    # The font file is 8 MB; the letter embeds only the glyphs it uses.
    assert letter.stat().st_size < 100_000


def test_page_renders_to_non_blank_image(letter, tmp_path):
    run("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(letter), str(tmp_path / "p"))
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    pixels = gray_pixels(letter)
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 0.01 * len(pixels)


def test_chinese_characters_render_as_their_own_glyphs(letter, packaged_font_only, tmp_path):
    """Two letters that differ in one character of the title render differently: with a font that lacked
    the glyphs, both would show the same empty boxes (or nothing) there."""
    other = tmp_path / "other.pdf"
    amounts = ("10000.00", "2000.50", "345.17")
    content = make_content([invoice(i, a) for i, a in enumerate(amounts, 1)], Decimal("12345.67"), title="催款函")
    other.write_bytes(render_letter(content))
    assert "催款函" in run("pdftotext", str(other), "-")
    mine, theirs = gray_pixels(letter, dpi=100), gray_pixels(other, dpi=100)
    assert len(mine) == len(theirs)
    differing = sum(1 for a, b in zip(mine, theirs, strict=True) if abs(a - b) > 64)
    # "律师" and "催款" at 20 pt: a few hundred pixels of ink apart; elsewhere the pages are the same.
    assert 100 < differing < 0.02 * len(mine)


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


def test_wrap_breaks_chinese_between_characters_not_only_at_spaces(packaged_font_only):
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


def test_missing_configured_font_is_a_clear_error(monkeypatch, no_font_lookup_cache):
    monkeypatch.setenv(letter_pdf.FONT_ENV, "/nonexistent/font.ttc,2")
    with pytest.raises(RuntimeError, match="CREDO_PDF_FONT"):
        find_cjk_font()


def test_default_font_comes_with_the_python_dependencies(monkeypatch, no_font_lookup_cache):
    import pylopdf_fonts_zh_cn

    _hide_system_fonts(monkeypatch)
    path, index = find_cjk_font()
    assert Path(path) == pylopdf_fonts_zh_cn.sans_path() and index == 0
    assert Path(path).name == "NotoSansSC-Regular.otf"


def test_the_packaged_font_comes_before_the_system_font(monkeypatch, no_font_lookup_cache, tmp_path):
    import pylopdf_fonts_zh_cn

    system = tmp_path / "NotoSansCJKsc-Regular.otf"
    system.symlink_to(pylopdf_fonts_zh_cn.sans_path())
    monkeypatch.delenv(letter_pdf.FONT_ENV, raising=False)
    monkeypatch.setattr(letter_pdf, "_FONT_CANDIDATES", (str(system),))
    assert find_cjk_font()[0] == str(pylopdf_fonts_zh_cn.sans_path())


def test_configured_font_comes_first(monkeypatch, no_font_lookup_cache, tmp_path):
    import pylopdf_fonts_zh_cn

    configured = tmp_path / "mine.otf"
    configured.symlink_to(pylopdf_fonts_zh_cn.sans_path())
    monkeypatch.setenv(letter_pdf.FONT_ENV, str(configured))
    assert find_cjk_font() == (str(configured), 0)


def test_without_the_font_package_the_system_font_is_used(monkeypatch, no_font_lookup_cache, tmp_path):
    import pylopdf_fonts_zh_cn

    system = tmp_path / "NotoSansCJKsc-Regular.otf"
    system.symlink_to(pylopdf_fonts_zh_cn.sans_path())
    monkeypatch.delenv(letter_pdf.FONT_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # import fails, as if not installed
    monkeypatch.setattr(letter_pdf, "_FONT_CANDIDATES", (str(system),))
    assert find_cjk_font() == (str(system), 0)


def test_no_font_found_says_what_to_install(monkeypatch, no_font_lookup_cache):
    _hide_system_fonts(monkeypatch)
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)
    with pytest.raises(RuntimeError, match="fonts-noto-cjk") as exc:
        find_cjk_font()
    assert "pip install pylopdf-fonts-zh-cn" in str(exc.value)
    assert "CREDO_PDF_FONT" in str(exc.value)
