"""Render dunning letters (Chinese) to PDF with fpdf2.

The font is Noto Sans SC (SIL Open Font License 1.1), which comes with the Python dependencies: the
PyPI package ``pylopdf-fonts-zh-cn`` ships ``NotoSansSC-Regular.otf``, so no system package is
needed.  Lookup order (``find_cjk_font``): ``CREDO_PDF_FONT`` if set, then that packaged font, then
Debian's ``fonts-noto-cjk`` (or whatever ``fc-match`` finds for "Noto Sans CJK SC").  These fonts are
CFF-based OpenType (a .otf, or a .ttc collection); fpdf2 reads them through fontTools and embeds a
subset as a CIDFontType0C font, so a letter stays small (tens of KB) and shows Chinese on machines
without the font.  No bold face is loaded: one font keeps render time and file size down, and emphasis
is drawn as "faux bold" (fill + thin stroke of the glyph outlines).

fpdf2's own line breaking only breaks at spaces, falling back to characters when a line
has none; a Chinese paragraph containing one space ("请于 2026年3月1日 前付清") would break at
that space and leave a half-empty line.  ``_wrap`` therefore breaks between any two CJK
characters, keeps runs of Latin letters/digits (amounts, invoice numbers) together and
keeps closing punctuation off the start of a line.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import shutil
import subprocess
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal

from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, TextMode

FONT_ENV = "CREDO_PDF_FONT"
# The Python package that ships the default font (a dependency in pyproject.toml).
FONT_PACKAGE = "pylopdf-fonts-zh-cn"
_FONT_DIR = "/usr/share/fonts/opentype/noto/"
_FONT_CANDIDATES = (
    _FONT_DIR + "NotoSansCJK-Regular.ttc",
    _FONT_DIR + "NotoSansCJKsc-Regular.otf",
    _FONT_DIR + "NotoSerifCJK-Regular.ttc",
    _FONT_DIR + "NotoSerifCJKsc-Regular.otf",
)
_FONT = "cjk"
_COLUMNS = ("发票号", "开票日期", "到期日", "逾期天数", "未付金额")


@dataclass(frozen=True)
class LetterInvoice:
    number: str
    invoice_date: datetime.date
    due_date: datetime.date
    days_overdue: int
    open_amount: Decimal


@dataclass(frozen=True)
class LetterContent:
    company_name: str
    company_address: str
    company_phone: str
    sender: str
    title: str
    number: str
    letter_date: datetime.date
    customer_name: str
    customer_address: str
    salutation: str
    paragraphs: tuple[str, ...]
    invoices: tuple[LetterInvoice, ...]
    total: Decimal
    pay_by: datetime.date | None
    signature: str


def format_date(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_amount(amount: Decimal) -> str:
    return f"{'-' if amount < 0 else ''}¥{abs(amount):,.2f}"


# --- font lookup -------------------------------------------------------------------------


def _covers_chinese(font: TTFont) -> bool:
    return ord("催") in (font.getBestCmap() or {})


def _pick_face(path: str, index: int | None = None) -> tuple[str, int] | None:
    """Return (path, index) of a face in ``path`` that covers Chinese, preferring the SC face."""
    if not path.lower().endswith((".ttc", ".otc")):
        with TTFont(path, lazy=True) as font:
            return (path, 0) if _covers_chinese(font) else None
    with TTCollection(path, lazy=True) as collection:
        if index is None:
            families = [f["name"].getDebugName(1) or "" for f in collection.fonts]
            # "Noto Sans Mono CJK SC" also says SC; prefer the proportional face.
            ranked = sorted(
                range(len(families)),
                key=lambda i: ("SC" not in families[i].split(), "Mono" in families[i], i),
            )
            index = ranked[0]
        return (path, index) if _covers_chinese(collection.fonts[index]) else None


def _fc_match() -> tuple[str, int] | None:
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(
        ["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    path, _, index = result.stdout.strip().rpartition(":")
    if result.returncode or not os.path.isfile(path):
        return None
    # fc-match always answers with *some* font, often one without Chinese glyphs.
    return _pick_face(path, int(index) if index.isdigit() else None)


def _packaged_font() -> tuple[str, int] | None:
    """Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package, if it is installed."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        return None
    path = str(sans_path())
    return _pick_face(path) if os.path.isfile(path) else None


def _system_font() -> tuple[str, int] | None:
    """Debian's fonts-noto-cjk, or what fontconfig finds for Noto Sans CJK SC."""
    for path in _FONT_CANDIDATES:
        if os.path.isfile(path) and (found := _pick_face(path)):
            return found
    return _fc_match()


@functools.cache
def find_cjk_font() -> tuple[str, int]:
    """(path, face index) of a Simplified Chinese font to embed."""
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured:
        path, comma, index = configured.rpartition(",")
        if not (comma and index.strip().isdigit()):
            path, index = configured, ""
        if not os.path.isfile(path):
            raise RuntimeError(f"{FONT_ENV}={configured!r}: font file not found")
        if index:
            return path, int(index)
        return _pick_face(path) or (path, 0)
    if found := _packaged_font() or _system_font():
        return found
    raise RuntimeError(
        f"No Chinese font found for PDF letters: install Credo's dependencies (pip install {FONT_PACKAGE}), "
        "or the Debian package fonts-noto-cjk, or set "
        f"{FONT_ENV} to a font file path (optionally with ',<index>' for a face in a .ttc collection)."
    )


# --- layout ------------------------------------------------------------------------------

_NO_LINE_START = set("，。、；：！？）》」』”’〕】,.;:!?)%")
_NO_LINE_END = set("（《「『“‘〔【(¥$")
# Runs of printable ASCII (numbers, amounts, e-mail addresses) are never split.
_TOKEN = re.compile(r"[!-~¥]+| +|.")


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    if "\n" in text:
        return [line for part in text.split("\n") for line in _wrap(pdf, part, width)]
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    lines, line = [], ""
    for token in tokens:
        if line and pdf.get_string_width(line + token.rstrip(" ")) > width:
            lines.append(line.rstrip(" "))
            line = token.lstrip(" ")
        else:
            line += token
    # A single token wider than the line is left to fpdf2's multi_cell to split.
    return [*lines, line.rstrip(" ")]


class _LetterPDF(FPDF):
    letter_number = ""

    def footer(self) -> None:
        self.set_y(-13)
        with self.local_context(font_size_pt=8, text_color=110):
            self.cell(0, 5, f"{self.letter_number}　第 {self.page_no()} 页，共 {{nb}} 页", align="C")


def _bold(pdf: FPDF) -> AbstractContextManager[None]:
    # Stroke width proportional to the font size, in document units.
    return pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=pdf.font_size_pt * 0.035 / pdf.k)


def _paragraph(pdf: FPDF, text: str, height: float = 7, indent: bool = True) -> None:
    text = ("\u3000\u3000" if indent else "") + text
    # multi_cell pads the text by c_margin on both sides; the 0.01 keeps fpdf2 from
    # re-breaking a line that we measured as just fitting.
    lines = _wrap(pdf, text, pdf.epw - 2 * pdf.c_margin - 0.01)
    pdf.multi_cell(0, height, "\n".join(lines), new_x="LMARGIN", new_y="NEXT")


def _invoice_table(pdf: FPDF, content: LetterContent) -> None:
    heading = FontFace(fill_color=(232, 232, 232))
    total_style = FontFace(fill_color=(245, 245, 245))
    align = ("LEFT", "CENTER", "CENTER", "RIGHT", "RIGHT")
    pdf.set_font(_FONT, size=9.5)
    with (
        pdf.local_context(draw_color=150, line_width=0.2),
        pdf.table(
            col_widths=(30, 20, 20, 14, 24),
            text_align=align,
            headings_style=heading,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=6,
            padding=(0.8, 2),
            repeat_headings=1,
        ) as table,
    ):
        row = table.row()
        for name in _COLUMNS:
            row.cell(name)
        for invoice in content.invoices:
            table.row(
                (
                    invoice.number,
                    invoice.invoice_date.isoformat(),
                    invoice.due_date.isoformat(),
                    str(invoice.days_overdue),
                    format_amount(invoice.open_amount),
                )
            )
        row = table.row(style=total_style)
        row.cell("合计", colspan=4, align="RIGHT")
        row.cell(format_amount(content.total))


def render_letter(content: LetterContent) -> bytes:
    font_path, font_index = find_cjk_font()
    pdf = _LetterPDF(format="A4", unit="mm")
    pdf.letter_number = content.number
    pdf.set_margins(left=22, top=18, right=22)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.set_title(f"{content.title} {content.number}")
    pdf.set_author(content.company_name)
    pdf.set_creator("Credo")
    pdf.set_lang("zh-CN")
    pdf.add_font(_FONT, fname=font_path, collection_font_number=font_index)
    pdf.add_page()

    # Letterhead
    pdf.set_font(_FONT, size=18)
    with _bold(pdf):
        pdf.cell(0, 9, content.company_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=8.5)
    with pdf.local_context(text_color=90):
        for label, value in (("地址", content.company_address), ("电话", content.company_phone)):
            if value:
                pdf.cell(0, 4.5, f"{label}：{value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.local_context(line_width=0.5):
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(5)

    pdf.set_font(_FONT, size=10)
    pdf.cell(0, 5.5, f"编号：{content.number}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5.5, f"日期：{format_date(content.letter_date)}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5.5, f"发函部门：{content.sender}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(_FONT, size=11)
    pdf.cell(0, 6, content.customer_name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10)
    _paragraph(pdf, content.customer_address, height=5.5, indent=False)
    pdf.ln(7)

    pdf.set_font(_FONT, size=20)
    with _bold(pdf), pdf.local_context(char_spacing=2):
        pdf.cell(0, 10, content.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)

    pdf.set_font(_FONT, size=11)
    _paragraph(pdf, content.salutation, indent=False)
    for text in content.paragraphs:
        _paragraph(pdf, text)
        pdf.ln(1.5)
    pdf.ln(2)

    _invoice_table(pdf, content)
    pdf.ln(4)
    pdf.set_font(_FONT, size=11)
    if content.pay_by:
        with _bold(pdf):
            _paragraph(pdf, f"请于 {format_date(content.pay_by)} 前付清上述款项。")

    # Signature block, kept on one page, with room above it for the company seal.
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.ln(16)
    pdf.cell(0, 7, content.signature, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, format_date(content.letter_date), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
