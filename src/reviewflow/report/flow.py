"""PRISMA 2020 flow diagram (templates v1 and v2) rendered as a deterministic SVG 1.1 string."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["flow_svg", "fmt_n", "stage_key", "AWAITING_LABELS"]

# Geometry (integers only, so the output never depends on float formatting).
FONT = 12
LINE = 16
PAD = 9
INDENT = 14
CHAR_W10 = 66  # average glyph width of a 12 px sans-serif font, in tenths of a pixel
ROW_GAP = 40
MARGIN = 10

PHASE_X, PHASE_W = MARGIN, 34
C1_X, C1_W = 62, 280  # main column, left boxes
C2_X, C2_W = C1_X + C1_W + 48, 290  # main column, right boxes
C3_X, C3_W = C2_X + C2_W + 52, 240  # other methods, left boxes
C4_X, C4_W = C3_X + C3_W + 48, 260  # other methods, right boxes
NOTE_GAP, NOTE_W = 30, 240
PREV_W, PREV_GAP = 220, 40  # an updated review's "Previous studies" column, left of the main one
GLUE = "\x00"  # joins "(n = 1,234)" into one word while wrapping; never reaches the output

FILL_BOX, STROKE = "#ffffff", "#333333"
FILL_MAIN_TITLE, FILL_OTHER_TITLE = "#ffd966", "#d9d9d9"
FILL_PHASE, STROKE_PHASE = "#c5d9f1", "#4a7ebb"
FILL_NOTE, STROKE_NOTE = "#fff4e0", "#b7791f"

# Canonical stage names for `awaiting` and status entries, with their diagram text and row.
AWAITING_LABELS: dict[str, str] = {
    "import": "Awaiting readable exports",
    "dedup": "Awaiting duplicate decisions",
    "title_abstract": "Awaiting title/abstract decisions",
    "retrieval": "Awaiting full-text retrieval",
    "fulltext": "Awaiting full-text decisions",
    "extraction": "Awaiting data extraction",
    "appraisal": "Awaiting quality appraisal",
    "synthesis": "Awaiting coding",
}
_STAGE_ALIASES: dict[str, str] = {
    "search": "import", "sources": "import", "identification": "import", "identified": "import",
    "dedup": "dedup", "deduplication": "dedup", "duplicates": "dedup",
    "title_abstract": "title_abstract", "titleabstract": "title_abstract", "ta": "title_abstract",
    "screen": "title_abstract", "screening": "title_abstract", "screened": "title_abstract",
    "retrieval": "retrieval", "fulltext_retrieval": "retrieval", "sought": "retrieval",
    "fulltext": "fulltext", "full_text": "fulltext", "ft": "fulltext", "assessed": "fulltext",
    "eligibility": "fulltext", "assessment": "fulltext",
    "extraction": "extraction", "extract": "extraction", "data_extraction": "extraction",
    "appraisal": "appraisal", "casp": "appraisal", "quality": "appraisal",
    "synthesis": "synthesis", "coding": "synthesis", "themes": "synthesis",
}
_STAGE_ROW: dict[str, int] = {
    "import": 0, "dedup": 0, "title_abstract": 1, "retrieval": 2, "fulltext": 3,
    "extraction": 4, "appraisal": 4, "synthesis": 4,
}
_METHOD_LABELS: dict[str, str] = {
    "websites": "Websites", "website": "Websites", "organisations": "Organisations",
    "organizations": "Organisations", "citation_searching": "Citation searching",
    "citations": "Citation searching", "citation": "Citation searching",
}


def stage_key(stage: object) -> str:
    """Map a stage name such as 'Title/abstract' or 'screening' to its canonical key."""
    raw = str(stage).strip().lower()
    norm = "".join(ch if ch.isalnum() else "_" for ch in raw).strip("_")
    while "__" in norm:
        norm = norm.replace("__", "_")
    return _STAGE_ALIASES.get(norm, _STAGE_ALIASES.get(norm.replace("_", ""), norm))


def _as_int(value: object) -> int | None:
    """Return value as an int when it is a whole number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def fmt_n(value: object) -> str:
    """Format a count with thousands separators ('7,574'); an en dash when unknown."""
    n = _as_int(value)
    return f"{n:,}" if n is not None else "\u2013"


def _n(text: str, value: object) -> str:
    """Return 'text (n = value)', the count glued so that wrapping never splits it."""
    return f"{text} {_count(value)}"


def _count(value: object) -> str:
    """Return '(n = value)' glued into one word for wrapping."""
    return f"(n{GLUE}={GLUE}{fmt_n(value)})"


def _total(values: object) -> int | None:
    """Sum the integer values of a mapping; None when it holds none."""
    if not isinstance(values, Mapping):
        return None
    nums = [n for n in (_as_int(v) for v in values.values()) if n is not None]
    return sum(nums) if nums else (0 if not values else None)


def _ordered(values: object, order: object) -> list[tuple[str, object]]:
    """Items of a mapping: keys in the labels' order first, then the rest in their own order."""
    if not isinstance(values, Mapping):
        return []
    keys = [k for k in (order if isinstance(order, Mapping) else {}) if k in values]
    keys += [k for k in values if k not in keys]
    return [(str(k), values[k]) for k in keys]


def _label(labels: object, key: str, default: str | None = None) -> str:
    """Look a display label up in a mapping, falling back to default or the key."""
    if isinstance(labels, Mapping) and labels.get(key) not in (None, ""):
        return str(labels[key])
    return default if default is not None else key


@dataclass
class _Box:
    """One box of the diagram: text lines (kind, text) laid out inside a rectangle."""

    lines: list[tuple[str, str]]
    width: int
    fill: str = FILL_BOX
    stroke: str = STROKE
    dashed: bool = False
    center: bool = False
    x: int = 0
    y: int = 0
    min_height: int = 0
    rows: list[tuple[str, int, str]] = field(default_factory=list)

    def layout(self) -> int:
        """Wrap the lines to the box width and return the box height."""
        self.rows = []
        for kind, text in self.lines:
            indent = INDENT if kind == "item" else 0
            avail = self.width - 2 * PAD - indent
            width = max(8, avail * 10 // CHAR_W10)
            wrapped = textwrap.wrap(text, width=width, break_long_words=True,
                                    break_on_hyphens=False) or [""]
            for i, part in enumerate(p.replace(GLUE, " ") for p in wrapped):
                extra = INDENT if (i and kind in ("item", "text") and not self.center) else 0
                self.rows.append((kind, indent + extra, part))
        return self.height

    @property
    def height(self) -> int:
        """Box height after layout."""
        return max(self.min_height, 2 * PAD + LINE * len(self.rows))

    def svg(self) -> list[str]:
        """SVG elements for the box and its text."""
        dash = ' stroke-dasharray="5,3"' if self.dashed else ""
        tip = "\n".join(text.replace(GLUE, " ") for _, text in self.lines)
        out = ["<g>", f"<title>{escape(tip)}</title>",
               f'<rect x="{self.x}" y="{self.y}" width="{self.width}" height="{self.height}" '
               f'rx="3" ry="3" fill="{self.fill}" stroke="{self.stroke}" '
               f'stroke-width="1.2"{dash}/>']
        offset = (self.height - 2 * PAD - LINE * len(self.rows)) // 2
        for i, (kind, indent, text) in enumerate(self.rows):
            base = self.y + offset + PAD + LINE * (i + 1) - 4
            weight = ' font-weight="bold"' if kind == "head" else ""
            style = ' font-style="italic"' if kind == "note" else ""
            if self.center:
                tx = self.x + self.width // 2
                anchor = ' text-anchor="middle"'
            else:
                tx = self.x + PAD + indent
                anchor = ""
            out.append(f'<text x="{tx}" y="{base}"{anchor}{weight}{style}>{escape(text)}</text>')
        out.append("</g>")
        return out


def _arrow(points: Iterable[tuple[int, int]]) -> str:
    """A polyline with an arrow head at its last point."""
    pts = " ".join(f"{x},{y}" for x, y in points)
    return (f'<polyline points="{pts}" fill="none" stroke="{STROKE}" stroke-width="1.4" '
            'marker-end="url(#rf-arrowhead)"/>')


_PHASES = {0: "Identification", 1: "Screening", 4: "Included"}


def _phase_min(label: str) -> int:
    """Smallest height that holds a rotated side label."""
    return len(label) * 9 + 20


def _phase(label: str, top: int, bottom: int) -> list[str]:
    """A blue side label spanning top..bottom, text rotated."""
    height = max(bottom - top, _phase_min(label))
    cx, cy = PHASE_X + PHASE_W // 2, top + height // 2
    return [
        "<g>",
        f'<rect x="{PHASE_X}" y="{top}" width="{PHASE_W}" height="{height}" rx="6" ry="6" '
        f'fill="{FILL_PHASE}" stroke="{STROKE_PHASE}" stroke-width="1.2"/>',
        f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-weight="bold" font-size="13" '
        f'transform="rotate(-90 {cx} {cy})">{escape(label)}</text>',
        "</g>",
    ]


def _awaiting_rows(awaiting: object) -> dict[int, list[str]]:
    """Group non-zero awaiting counts by diagram row: {row: ['Awaiting ... (n = k)']}."""
    rows: dict[int, list[str]] = {}
    if not isinstance(awaiting, Mapping):
        return rows
    for stage, value in awaiting.items():
        n = _as_int(value)
        if not n:
            continue
        key = stage_key(stage)
        text = AWAITING_LABELS.get(key, "Awaiting " + str(stage).replace("_", " "))
        rows.setdefault(_STAGE_ROW.get(key, 4), []).append(_n(text, n))
    return rows


def _reason_lines(excluded: object, reasons: object) -> list[tuple[str, str]]:
    """The 'Reports excluded:' box lines, one per reason, in the config's order."""
    items = _ordered(excluded, reasons)
    if not items:
        return [("head", _n("Reports excluded", 0 if isinstance(excluded, Mapping) else None))]
    lines = [("head", "Reports excluded:")]
    lines += [("item", _n(_label(reasons, code), n)) for code, n in items]
    return lines


def flow_svg(counts: dict, labels: dict) -> str:
    """Render the PRISMA 2020 flow diagram for counts.json as a standalone SVG 1.1 string."""
    counts = counts if isinstance(counts, Mapping) else {}
    labels = labels if isinstance(labels, Mapping) else {}
    databases = labels.get("databases") or {}
    reasons = labels.get("reasons") or {}
    rules = labels.get("automation_rules") or {}
    registers = {str(r) for r in (labels.get("registers") or [])}
    other = counts.get("other_methods")
    has_other = isinstance(other, Mapping)
    screened_too = False
    previous = counts.get("previous")
    update = isinstance(previous, Mapping)     # PRISMA 2020's template for updated reviews
    dx = PREV_W + PREV_GAP if update else 0
    new = "new " if update else ""

    identified = counts.get("identified")
    db_items = [(k, v) for k, v in _ordered(identified, databases) if k not in registers]
    reg_items = [(k, v) for k, v in _ordered(identified, databases) if k in registers]
    known = isinstance(identified, Mapping)
    db_total = sum(_as_int(v) or 0 for _, v in db_items) if known else None
    reg_total = sum(_as_int(v) or 0 for _, v in reg_items) if known else None

    # Main column (databases and registers).
    ident_lines = [("head", "Records identified from*:"), ("text", _n("Databases", db_total))]
    ident_lines += [("item", _n(_label(databases, k), v)) for k, v in db_items]
    ident_lines.append(("text", _n("Registers", reg_total)))
    ident_lines += [("item", _n(_label(databases, k), v)) for k, v in reg_items]

    removed_lines = [
        ("head", "Records removed before screening:"),
        ("text", _n("Duplicate records removed", counts.get("duplicates_removed"))),
        ("text", _n("Records marked as ineligible by automation tools",
                    counts.get("automation_excluded"))),
    ]
    removed_lines += [("item", _n(str(rule), n)) for rule, n in _ordered(rules, {})]
    removed_lines.append(("text", _n("Records removed for other reasons",
                                     counts.get("other_removed"))))

    automation = _as_int(counts.get("automation_excluded")) or 0
    excluded_lines = [("head", "Records excluded**"),
                      ("text", _count(counts.get("screen_excluded")))]

    grid: dict[tuple[int, str], _Box] = {
        (0, "c1"): _Box(ident_lines, C1_W),
        (0, "c2"): _Box(removed_lines, C2_W),
        (1, "c1"): _Box([("head", "Records screened"),
                         ("text", _count(counts.get("screened")))], C1_W),
        (1, "c2"): _Box(excluded_lines, C2_W),
        (2, "c1"): _Box([("head", "Reports sought for retrieval"),
                         ("text", _count(counts.get("sought")))], C1_W),
        (2, "c2"): _Box([("head", "Reports not retrieved"),
                         ("text", _count(counts.get("not_retrieved")))], C2_W),
        (3, "c1"): _Box([("head", "Reports assessed for eligibility"),
                         ("text", _count(counts.get("assessed")))], C1_W),
        (3, "c2"): _Box(_reason_lines(counts.get("fulltext_excluded"), reasons), C2_W),
        (4, "c1"): _Box([("head", _n(f"{new}studies included in review".capitalize(), counts.get("included"))),
                         ("head", _n(f"Reports of {new}included studies",
                                     counts.get("reports_included")))], C1_W),
    }
    rows = 5
    if update:
        total = counts.get("total") if isinstance(counts.get("total"), Mapping) else {}
        grid[(5, "c1")] = _Box([("head", _n("Total studies included in review", total.get("studies"))),
                                ("head", _n("Reports of total included studies", total.get("reports")))], C1_W)
        rows = 6
    titles = [(_Box([("head", f"Identification of {new}studies via databases and registers")],
                     C2_X + C2_W - C1_X, fill=FILL_MAIN_TITLE, center=True), C1_X + dx)]

    right = C2_X + C2_W
    if has_other:
        methods = other.get("identified")
        method_labels = labels.get("methods") or {}
        other_ident = [("head", "Records identified from:")]
        other_ident += [("text", _n(_label(method_labels, k, _METHOD_LABELS.get(
            k.lower(), k.replace("_", " ").capitalize())), v)) for k, v in
            _ordered(methods, method_labels)]
        if len(other_ident) == 1:
            other_ident.append(("text", _n("Citation searching", 0)))
        grid[(0, "c3")] = _Box(other_ident, C3_W)
        screened_too = "screened" in other
        if screened_too:
            # Our citation searching screens its records like the databases' (the template has no boxes
            # for it: added here, marked with a dagger in the footnotes).
            grid[(0, "c4")] = _Box([
                ("head", "Records removed before screening†:"),
                ("text", _n("Duplicate records removed", other.get("duplicates_removed"))),
                ("text", _n("Records marked as ineligible by automation tools", other.get("automation_excluded"))),
                ("text", _n("Records removed for other reasons", other.get("other_removed")))], C4_W)
            grid[(1, "c3")] = _Box([("head", "Records screened†"), ("text", _count(other.get("screened")))],
                                   C3_W)
            grid[(1, "c4")] = _Box([("head", "Records excluded†"),
                                    ("text", _count(other.get("screen_excluded")))], C4_W)
        grid[(2, "c3")] = _Box([("head", "Reports sought for retrieval"),
                                ("text", _count(other.get("sought")))], C3_W)
        grid[(2, "c4")] = _Box([("head", "Reports not retrieved"),
                                ("text", _count(other.get("not_retrieved")))], C4_W)
        grid[(3, "c3")] = _Box([("head", "Reports assessed for eligibility"),
                                ("text", _count(other.get("assessed")))], C3_W)
        grid[(3, "c4")] = _Box(_reason_lines(other.get("fulltext_excluded"), reasons), C4_W)
        titles.append((_Box([("head", f"Identification of {new}studies via other methods")],
                            C4_X + C4_W - C3_X, fill=FILL_OTHER_TITLE, center=True), C3_X + dx))
        right = C4_X + C4_W
    right += dx
    prev_box = None
    if update:
        label = str(previous.get("label") or "")
        prev_lines = [("head", _n("Studies included in previous version of review", previous.get("studies"))),
                      ("head", _n("Reports of studies included in previous version of review",
                                  previous.get("reports")))]
        if label:
            prev_lines.append(("text", label))
        prev_box = _Box(prev_lines, PREV_W)
        titles.append((_Box([("head", "Previous studies")], PREV_W, fill=FILL_OTHER_TITLE, center=True), C1_X))

    notes = _awaiting_rows(counts.get("awaiting"))
    note_x = right + NOTE_GAP
    for row, texts in notes.items():
        grid[(row, "note")] = _Box([("note", t) for t in texts], NOTE_W, fill=FILL_NOTE,
                                   stroke=STROKE_NOTE, dashed=True)
    if notes:
        right = note_x + NOTE_W
    xs = {"c1": C1_X + dx, "c2": C2_X + dx, "c3": C3_X + dx, "c4": C4_X + dx, "note": note_x}
    if prev_box is not None:
        grid[(0, "prev")] = prev_box
        xs["prev"] = C1_X

    # Vertical layout: title row, then the five rows of boxes.
    y = MARGIN
    title_h = max(box.layout() for box, _ in titles)
    for box, x in titles:
        box.x, box.y, box.min_height = x, y, title_h
    y += title_h + 24
    row_top: dict[int, int] = {}
    row_h: dict[int, int] = {}
    for row in range(rows):
        boxes = [(col, b) for (r, col), b in sorted(grid.items()) if r == row]
        height = max(b.layout() for _, b in boxes)
        if row in (0, 4):  # one-row phases: leave room for the rotated side label
            height = max(height, _phase_min(_PHASES[row]))
        for col, b in boxes:
            b.x, b.y = xs[col], y
        row_top[row], row_h[row] = y, height
        y += height + ROW_GAP

    parts: list[str] = []
    for box, _ in titles:
        parts += box.svg()
    parts += _phase(_PHASES[0], row_top[0], row_top[0] + row_h[0])
    parts += _phase(_PHASES[1], row_top[1], row_top[3] + row_h[3])
    parts += _phase(_PHASES[4], row_top[4], row_top[rows - 1] + row_h[rows - 1])
    for key in sorted(grid):
        parts += grid[key].svg()

    def down(col: str, r1: int, r2: int) -> None:
        """Arrow from the bottom of box (r1, col) to the top of box (r2, col)."""
        a, b = grid[(r1, col)], grid[(r2, col)]
        cx = a.x + a.width // 2
        parts.append(_arrow([(cx, a.y + a.height), (cx, b.y - 2)]))

    def across(row: int, c_from: str, c_to: str) -> None:
        """Arrow from the right edge of one box to the left edge of the next in the row."""
        a, b = grid[(row, c_from)], grid[(row, c_to)]
        cy = a.y + min(a.height, b.height) // 2
        parts.append(_arrow([(a.x + a.width, cy), (b.x - 2, cy)]))

    for r in range(rows - 1):
        down("c1", r, r + 1)
    if prev_box is not None:
        dst = grid[(5, "c1")]
        cx, cy = prev_box.x + prev_box.width // 2, dst.y + dst.height // 2
        parts.append(_arrow([(cx, prev_box.y + prev_box.height), (cx, cy), (dst.x - 2, cy)]))
    for r in range(4):
        across(r, "c1", "c2")
    if has_other and screened_too:
        down("c3", 0, 1)
        down("c3", 1, 2)
        across(0, "c3", "c4")
        across(1, "c3", "c4")
    elif has_other:
        down("c3", 0, 2)
    if has_other:
        down("c3", 2, 3)
        across(2, "c3", "c4")
        across(3, "c3", "c4")
        src, dst = grid[(3, "c3")], grid[(4, "c1")]
        cx, cy = src.x + src.width // 2, dst.y + dst.height // 2
        parts.append(_arrow([(cx, src.y + src.height), (cx, cy), (dst.x + dst.width + 2, cy)]))

    # Footnotes.
    foot = ["* Number of records identified from each database searched (per-database n)."]
    if automation > 0:
        foot.append(f"** Records excluded by a human: {fmt_n(counts.get('screen_excluded'))}; "
                    f"by automation tools: {fmt_n(automation)}.")
    else:
        foot.append(f"** Records excluded by a human: {fmt_n(counts.get('screen_excluded'))}.")
    if has_other and screened_too:
        foot.append("† Not in the PRISMA 2020 template: records found by other methods are deduplicated against "
                    "the databases' records, ruled on and screened like them.")
    y -= ROW_GAP - 18
    for text in foot:
        y += LINE
        parts.append(f'<text x="{C1_X}" y="{y}" font-size="11">{escape(text)}</text>')
    width = right + MARGIN
    height = y + MARGIN + 4

    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="rf-prisma-title">',
        '<title id="rf-prisma-title">PRISMA 2020 flow diagram</title>',
        "<defs>",
        '<marker id="rf-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker>',
        "</defs>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<g font-family="sans-serif" font-size="{FONT}" fill="#111111">',
    ]
    return "\n".join(head + parts + ["</g>", "</svg>"]) + "\n"
