"""The review's HTML report: one self-contained, deterministic file rendered with jinja2."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from reviewflow.report.flow import fmt_n, stage_key

__all__ = ["render_report", "fmt_num", "fmt_dec", "fmt_pct", "fmt_value", "fmt_metric"]

TEMPLATE = "report.html.j2"

# Which status stages belong to which report section (canonical keys from flow.stage_key).
SECTION_STAGES: dict[str, tuple[str, ...]] = {
    "flow": (),
    "sources": ("import",),
    "dedup": ("dedup",),
    "automation": ("import", "dedup"),
    "agreement": ("title_abstract",),
    "fulltext": ("retrieval", "fulltext"),
    "included": ("retrieval", "fulltext"),
    "extraction": ("extraction",),
    "casp": ("appraisal",),
    "themes": ("synthesis",),
    "cerqual": ("appraisal", "synthesis"),
}


# Active content in a tag (text nodes of our own SVG are escaped, so they never match).
_UNSAFE_SVG = re.compile(r"<\s*(script|foreignobject|iframe|object|embed)\b"
                         r"|<[^>]*(\son\w+\s*=|javascript:)", re.IGNORECASE)


def fmt_num(value: object) -> str:
    """Thousands separators for integers, 2 decimals for other numbers, text as is."""
    if value is None or value == "":
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return fmt_n(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def fmt_dec(value: object, places: int = 2) -> str:
    """A number to a fixed number of decimals (kappa, PABAK); an en dash when missing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "\u2013" if value in (None, "") else str(value)
    return f"{value:.{places}f}"


def fmt_pct(value: object) -> str:
    """A percentage with one decimal; values in [0, 1] are taken as fractions."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "\u2013" if value in (None, "") else str(value)
    # Percent agreement below 1% never occurs in screening, so 0 <= v <= 1 is a fraction.
    pct = value * 100 if 0 <= value <= 1 else value
    return f"{pct:.1f}%"


def fmt_value(value: object) -> str:
    """A metric or table cell: integers with separators, floats to 3 decimals, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and abs(value) >= 1):
        return fmt_n(value)
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return "; ".join(fmt_value(v) for v in value)
    return str(value)


def fmt_metric(value: object) -> str:
    """An accuracy metric: floats to 3 decimals, integers with separators."""
    if isinstance(value, float):
        return f"{value:,.3f}"
    return fmt_value(value)


def plural(n: object, word: str, many: str | None = None) -> str:
    """'1 study', '2 studies': the count with separators and the right form of the word."""
    return f"{fmt_num(n)} {word if n == 1 else (many or word + 's')}"


def natsort(values: object) -> list[str]:
    """Study ids in natural order (S2 before S10)."""
    if not isinstance(values, list | tuple | set):
        return []
    return sorted((str(v) for v in values), key=_natural_key)


def _natural_key(text: object) -> list[tuple[int, int | str]]:
    """Sort key that orders 'S2' before 'S10'."""
    return [(0, int(part)) if part.isdigit() else (1, part.lower())
            for part in re.split(r"(\d+)", str(text)) if part]


def _list(value: object) -> list:
    """A list of mappings from a possibly missing value."""
    if not isinstance(value, list | tuple):
        return []
    return [v for v in value if isinstance(v, Mapping)]


def _map(value: object) -> dict:
    """A dict from a possibly missing value."""
    return dict(value) if isinstance(value, Mapping) else {}


def _heat(n: int, top: int) -> str:
    """A cell colour for n segments on a scale up to `top` (white to the accent blue)."""
    if not n or not top:
        return ""
    t = 0.18 + 0.82 * min(n, top) / top
    r, g, b = (round(255 + (c - 255) * t) for c in (47, 93, 155))
    return f"#{r:02x}{g:02x}{b:02x}"


def _theme_matrix(themes: list[dict]) -> dict:
    """Subtheme x study matrix: columns are studies, rows are subthemes grouped by theme; each cell
    holds the number of coded segments (a heat map) or a mark where only the study list is known."""
    studies: set[str] = set()
    groups = []
    for theme in themes:
        rows = []
        for sub in _list(theme.get("subthemes")):
            ids = {str(s) for s in (sub.get("studies") or [])}
            counts = {str(k): v for k, v in _map(sub.get("segments_per_study")).items() if isinstance(v, int)}
            studies |= ids | set(counts)
            rows.append({"id": sub.get("id", ""), "label": sub.get("label", ""), "ids": ids | set(counts),
                         "counts": counts})
        groups.append({"id": theme.get("id", ""), "label": theme.get("label", ""), "rows": rows})
    columns = sorted(studies, key=_natural_key)
    top = max((v for g in groups for r in g["rows"] for v in r["counts"].values()), default=0)
    for group in groups:
        for row in group["rows"]:
            row["marks"] = [s in row["ids"] for s in columns]
            row["cells"] = [{"n": row["counts"].get(s, 1 if s in row["ids"] else 0),
                             "colour": _heat(row["counts"].get(s, 1 if s in row["ids"] else 0), top or 1)}
                            for s in columns]
            row["n"] = len(row.pop("ids"))
            row.pop("counts")
    return {"columns": columns, "groups": groups, "top": top}


def _summary(counts: dict) -> list[dict]:
    """The key numbers shown at the top of the report."""
    identified = counts.get("identified")
    total = None
    if isinstance(identified, Mapping):
        total = sum(v for v in identified.values() if isinstance(v, int))
        other = _map(counts.get("other_methods")).get("identified")
        if isinstance(other, Mapping):
            total += sum(v for v in other.values() if isinstance(v, int))
    items = [
        ("Records identified", total),
        ("Duplicates removed", counts.get("duplicates_removed")),
        ("Records screened", counts.get("screened")),
        ("Full texts assessed", counts.get("assessed")),
        ("Studies included", counts.get("included")),
        ("Reports of included studies", counts.get("reports_included")),
    ]
    previous = _map(counts.get("previous"))
    if previous:
        # An updated review: the counts above are the update search's; then the whole review's.
        named = f" ({previous['label']})" if previous.get("label") else ""
        items = [(f"{label} in the update", value) for label, value in items[:4]]
        items += [("New studies included", counts.get("included")),
                  ("Reports of new included studies", counts.get("reports_included")),
                  (f"Studies of the previous version{named}", previous.get("studies")),
                  ("Total studies included", _map(counts.get("total")).get("studies")),
                  ("Reports of total included studies", _map(counts.get("total")).get("reports"))]
    return [{"label": label, "value": value} for label, value in items]


def _waiting(status: list[dict]) -> dict[str, list[dict]]:
    """Status entries grouped under the report sections they hold up."""
    out: dict[str, list[dict]] = {name: [] for name in SECTION_STAGES}
    for entry in status:
        key = stage_key(entry.get("stage", ""))
        for name, stages in SECTION_STAGES.items():
            if key in stages:
                out[name].append(entry)
    return out


def _prepare(context: Mapping | None) -> dict:
    """Normalise the context so that every key exists with a usable type."""
    ctx = dict(context) if isinstance(context, Mapping) else {}
    counts = _map(ctx.get("counts"))
    svg = ctx.get("flow_svg")
    if not svg and counts:
        from reviewflow.report.flow import flow_svg

        svg = flow_svg(counts, _map(ctx.get("labels")))
    svg = str(svg or "")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    if _UNSAFE_SVG.search(svg) or not svg.lstrip().startswith("<svg"):
        svg = ""  # not a diagram we drew: never inline active content
    status = _list(ctx.get("status"))
    themes = _list(ctx.get("themes"))
    extraction = _map(ctx.get("extraction"))
    fields = [str(f.get("name") or f.get("id") or "") if isinstance(f, Mapping) else str(f)
              for f in (extraction.get("fields") or [])]
    rows = _list(extraction.get("rows"))
    if rows and not fields:
        fields = list(dict.fromkeys(k for row in rows for k in row))
    included = _list(ctx.get("included"))
    fulltext = _map(ctx.get("fulltext"))
    excluded = _list(fulltext.get("excluded"))
    awaiting = {str(k): v for k, v in _map(counts.get("awaiting")).items()
                if isinstance(v, int) and v}
    return {
        "review": _map(ctx.get("review")),
        "counts": counts,
        "awaiting": awaiting,
        "summary": _summary(counts) if counts else [],
        # Our own generated SVG, inlined as markup; everything else is autoescaped.
        "flow_svg": Markup(svg) if svg else "",
        "status": status,
        "waiting": _waiting(status),
        "sources": _list(ctx.get("sources")),
        "searches": _list(ctx.get("searches")),
        "dedup": _map(ctx.get("dedup")),
        "automation": _list(ctx.get("automation")),
        "agreement": _list(ctx.get("agreement")),
        "fulltext": fulltext,
        "ft_excluded": excluded,
        "ft_excluded_total": sum(e.get("n") for e in excluded if isinstance(e.get("n"), int)),
        "included": included,
        "n_included_studies": len({str(s.get("study_id")) for s in included
                                   if s.get("study_id") not in (None, "")}),
        "extraction": {"fields": fields, "rows": rows},
        "themes": themes,
        "matrix": _theme_matrix(themes),
        "accuracy": _list(ctx.get("accuracy")),
        "coding_accuracy": _map(ctx.get("coding_accuracy")),
        "methods": _list(ctx.get("methods")),
        "casp": _map(ctx.get("casp")),
        "candidates": _list(ctx.get("candidates")),
        "cerqual": _map(ctx.get("cerqual")),
        "coding": _map(ctx.get("coding")),
        "stage_status": _list(ctx.get("stage_status")),
        "prisma2020_href": str(ctx.get("prisma2020_href") or ""),
        "invariants": _list(ctx.get("invariants")),
        "manifest": _list(ctx.get("manifest")),
        "provenance": _map(ctx.get("provenance")),
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The jinja2 environment with the report's filters."""
    env = Environment(
        loader=PackageLoader("reviewflow.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=fmt_num, dec=fmt_dec, pct=fmt_pct, val=fmt_value, metric=fmt_metric,
                       plural=plural, natsort=natsort)
    return env


def render_report(context: dict) -> str:
    """Render the HTML report; every context key may be missing (shown as not yet available)."""
    return _environment().get_template(TEMPLATE).render(**_prepare(context))
