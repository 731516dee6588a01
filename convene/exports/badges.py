"""Roster badges as a PDF to print: 8 a page (2 across, 4 down) on A4 or Letter, each with
the person's name, delegation and role, the QR of their personal link and its badge code.

Rendered by WeasyPrint (imported only here, as for the minutes). Nothing is cut: a long
name or delegation gets a smaller type and wraps (anywhere, if a word is longer than the
line), within bounds chosen so that the longest the roster allows (a 60-character name, a
200-character delegation) still fits its badge; tests/integration/test_badges.py checks
every word of such badges lies inside its own badge.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import segno
from markupsafe import escape

from convene.domain.errors import N_, TooMany
from convene.exports.pdf import PdfUnavailable

#: where the ``convene`` package is, for the child process that renders
_ROOT = str(Path(__file__).resolve().parents[2])
PER_PAGE = 8
COLUMNS = 2


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float
    height_mm: float
    #: the sheet's margin, where most printers cannot print
    margin_mm: float = 5.0

    @property
    def badge_mm(self) -> tuple[float, float]:
        rows = PER_PAGE // COLUMNS
        return (
            (self.width_mm - 2 * self.margin_mm) / COLUMNS,
            (self.height_mm - 2 * self.margin_mm) / rows,
        )


PAPERS = {
    "a4": Paper("A4", 210.0, 297.0),
    "letter": Paper("letter", 215.9, 279.4),
}

#: inside a badge: its padding, and the QR's side
PADDING_MM = 4.0
QR_MM = 26.0
#: DejaVu Sans' average advance (of a mix of letters, capitals and spaces), in ems, taken
#: a little wide so that words wrapping early still leave the text its lines.
_EM_PER_CHAR = 0.62
_PT_PER_MM = 72 / 25.4


def _type_size(text: str, width_mm: float, lines: int, largest: float, smallest: float) -> float:
    """The largest type (pt) from ``largest`` down to ``smallest`` at which ``text`` fits in
    ``lines`` lines of ``width_mm``; the longest words also fit a line each."""
    length = max(len(text), 1)
    longest_word = max((len(w) for w in text.split()), default=1)
    by_lines = width_mm * lines / (_EM_PER_CHAR * length)
    by_word = width_mm / (_EM_PER_CHAR * max(longest_word, 1))
    size = min(by_lines, by_word) * _PT_PER_MM
    return round(max(smallest, min(largest, size)), 1)


def _qr_png(link: str) -> str:
    """The link's QR as a PNG of one pixel a module (no quiet zone: the badge's white
    around it is wider than four modules), as a data URI; drawn without smoothing."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", border=0, scale=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _badge(entry: dict, link: str, role_label: str, text_mm: float, place: str) -> str:
    name, delegation = entry["name"], entry["delegation"]
    name_pt = _type_size(name, text_mm, 2, 22.0, 11.0)
    delegation_pt = _type_size(delegation, text_mm, 3, 13.0, 6.5)
    return (
        f'<div class="badge" style="{place}">'
        f'<p class="name" style="font-size:{name_pt}pt">{escape(name)}</p>'
        f'<p class="delegation" style="font-size:{delegation_pt}pt">{escape(delegation)}</p>'
        f'<img class="qr" alt="" src="{_qr_png(link)}">'
        '<div class="code">'
        f'<p class="role">{escape(role_label)}</p>'
        f'<p class="code-value">{escape(entry["code"])}</p>'
        "</div></div>"
    )


def badges_html(
    entries: Iterable[dict],
    link: Callable[[str], str],
    role_label: Callable[[str], str],
    paper: str = "a4",
    title: str = "",
) -> str:
    """The badges' HTML (the PDF's source). ``entries``: the ``roster.credentials``
    command's; ``link``: a token's personal link; ``role_label``: a role in words."""
    sheet = PAPERS[paper]
    width, height = sheet.badge_mm
    text_mm = width - 2 * PADDING_MM
    places = [
        f"left:{(i % COLUMNS) * width:.2f}mm;top:{(i // COLUMNS) * height:.2f}mm"
        for i in range(PER_PAGE)
    ]
    badges = [
        _badge(e, link(e["token"]), role_label(e["role"]), text_mm, places[i % PER_PAGE])
        for i, e in enumerate(entries)
    ]
    pages = [badges[i : i + PER_PAGE] for i in range(0, len(badges), PER_PAGE)] or [[]]
    style = f"""
@page {{ size: {sheet.name}; margin: {sheet.margin_mm}mm; }}
* {{ box-sizing: border-box; margin: 0; padding: 0; }}
body {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; color: #000; }}
.page {{ position: relative; width: {2 * width:.2f}mm; height: {4 * height:.2f}mm;
  page-break-after: always; }}
.page:last-child {{ page-break-after: auto; }}
.badge {{ position: absolute; width: {width:.2f}mm; height: {height:.2f}mm;
  padding: {PADDING_MM}mm; border: 0.2mm dashed #999; }}
.name {{ font-weight: bold; line-height: 1.1; overflow-wrap: anywhere; }}
.delegation {{ line-height: 1.15; margin-top: 1mm; overflow-wrap: anywhere; }}
.qr {{ position: absolute; left: {PADDING_MM}mm; bottom: {PADDING_MM}mm;
  width: {QR_MM}mm; height: {QR_MM}mm; }}
.qr {{ image-rendering: pixelated; }}
.code {{ position: absolute; left: {PADDING_MM + QR_MM + 4}mm; bottom: {PADDING_MM}mm; }}
.role {{ font-size: 9pt; text-transform: uppercase; letter-spacing: 0.05em; }}
.code-value {{ font-family: "DejaVu Sans Mono", monospace; font-size: 16pt;
  font-weight: bold; letter-spacing: 0.08em; }}
"""
    body = "".join(f'<div class="page">{"".join(page)}</div>' for page in pages)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>"
    )


#: badge PDFs made at once by one server process (each renderer is about 340 MB at 1,500
#: badges): another request meanwhile is refused (429) rather than queued
RENDERS_AT_ONCE = 2
_renders = threading.BoundedSemaphore(RENDERS_AT_ONCE)

#: the longest a badge PDF may take (1,500 badges take about 20 s; docs/performance.md)
RENDER_TIMEOUT_S = 600


@contextmanager
def rendering() -> Iterator[None]:
    """One of the RENDERS_AT_ONCE places for a badge PDF, held while it is made; TooMany
    (429) when every place is taken."""
    if not _renders.acquire(blocking=False):
        raise TooMany(N_("Badges are being made already; try again in a minute."), retry_after=30)
    try:
        yield
    finally:
        _renders.release()


def badges_pdf(entries: list[dict], link, role_label, paper: str = "a4", title: str = "") -> bytes:
    """The badges as PDF, made in a child process: drawing 1,500 QR codes and laying them
    out holds a core for about 20 s, which in the server's one process would stall every
    phone's live connection; the child's pipe is cooperative under gevent and eventlet.
    What it needs (the links included) goes through that pipe, never the command line."""
    job = {
        "paper": paper,
        "title": title,
        "badges": [
            {
                "name": e["name"],
                "delegation": e["delegation"],
                "role": role_label(e["role"]),
                "code": e["code"],
                "link": link(e["token"]),
            }
            for e in entries
        ],
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "convene.exports.badges"],
            input=json.dumps(job).encode(),
            env={**os.environ, "PYTHONPATH": _ROOT},
            capture_output=True,
            timeout=RENDER_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        reason = error.__class__.__name__
        raise PdfUnavailable(f"the badge PDF could not be made ({reason})") from None
    if done.returncode == 3:
        raise PdfUnavailable(done.stderr.decode(errors="replace").strip()[-300:])
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise RuntimeError(f"the badge PDF renderer failed (exit {done.returncode})")
    return done.stdout


def render_pdf(html: str) -> bytes:
    """WeasyPrint on ``html``, in this process (the child's job)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a system library is missing
        raise PdfUnavailable(
            "PDF export needs WeasyPrint and its system libraries (Pango); "
            f"they are not installed here ({error.__class__.__name__}: {error})."
        ) from error
    return weasyprint.HTML(string=html).write_pdf()


def pages_for(count: int) -> int:
    return max(1, math.ceil(count / PER_PAGE))


def main() -> int:
    """``python -m convene.exports.badges``: the job (JSON) on stdin, the PDF on stdout."""
    job = json.loads(sys.stdin.buffer.read())
    people = [{**badge, "token": badge["link"]} for badge in job["badges"]]  # links made
    html = badges_html(people, lambda link: link, lambda role: role, job["paper"], job["title"])
    try:
        pdf = render_pdf(html)
    except PdfUnavailable as error:
        print(error, file=sys.stderr)
        return 3
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
