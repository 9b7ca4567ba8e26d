"""PRISMA counts in the layout of the PRISMA2020 app and R package (Haddaway et al. 2022).

Same header and `data` keys as the app's template CSV, so a team can upload
`results/prisma/prisma2020.csv` to the app and redraw the diagram there. The descriptions,
box texts and tooltips are our own words; `node`, `box` and `url` are the app's structural keys.
Several values in one cell (per-database counts, exclusion reasons) read "Name, n; Name, n".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

HEADER = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")

# (data key, node, box, description, box text, tooltip, url); NA where the app has NA.
ROWS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("NA", "node4", "prevstud", "Title box: studies from the previous version", "Previous studies",
     "Studies from the previous version of this review", "prevstud.html"),
    ("previous_studies", "node5", "box1", "Studies included in the previous version",
     "Studies in the previous version", "Studies the previous version of this review included",
     "previous_studies.html"),
    ("previous_reports", "NA", "box1", "Reports of studies included in the previous version",
     "Reports in the previous version", "NA", "previous_reports.html"),
    ("NA", "node6", "newstud", "Title box: new studies found in databases and registers",
     "New studies via databases and registers", "Searches of bibliographic databases and registers",
     "newstud.html"),
    ("database_results", "node7", "box2", "Records found in bibliographic databases", "Databases",
     "Records found in databases and registers", "database_results.html"),
    ("database_specific_results", "NA", "box2", "Records found in each database", "Per database", "NA",
     "database_results.html"),
    ("register_results", "NA", "box2", "Records found in trial or study registers", "Registers", "NA", "NA"),
    ("register_specific_results", "NA", "box2", "Records found in each register", "Per register", "NA",
     "database_results.html"),
    ("NA", "node16", "othstud", "Title box: new studies found by other methods",
     "New studies via other methods", "Websites, organisations and citation chasing", "othstud.html"),
    ("website_results", "node17", "box11", "Records found on websites", "Websites",
     "Records found on websites, through organisations and by citation chasing", "website_results.html"),
    ("organisation_results", "", "box11", "Records found through organisations", "Organisations", "NA", "NA"),
    ("citations_results", "NA", "box11", "Records found by citation chasing", "Citation chasing", "NA", "NA"),
    ("duplicates", "node8", "box3", "Duplicate records removed before screening", "Duplicates removed",
     "Duplicate records removed", "duplicates.html"),
    ("excluded_automatic", "NA", "box3", "Records removed by automatic eligibility rules",
     "Removed by automatic rules", "NA", "NA"),
    ("excluded_other", "NA", "box3", "Records removed because they could not be read",
     "Removed for other reasons", "NA", "NA"),
    ("records_screened", "node9", "box4", "Records screened on title and abstract (databases and registers)",
     "Records screened", "Title/abstract screening by people", "records_screened.html"),
    ("records_excluded", "node10", "box5", "Records excluded at title/abstract (databases and registers)",
     "Records excluded", "Records people excluded on title and abstract", "records_excluded.html"),
    ("dbr_sought_reports", "node11", "box6", "Full-text reports sought (databases and registers)",
     "Reports sought", "Full-text reports sought for retrieval", "dbr_sought_reports.html"),
    ("dbr_notretrieved_reports", "node12", "box7", "Full-text reports not obtained (databases and registers)",
     "Reports not retrieved", "Full-text reports that could not be obtained", "dbr_notretrieved_reports.html"),
    ("other_sought_reports", "node18", "box12", "Full-text reports sought (other methods)", "Reports sought",
     "Full-text reports sought for retrieval (other methods)", "other_sought_reports.html"),
    ("other_notretrieved_reports", "node19", "box13", "Full-text reports not obtained (other methods)",
     "Reports not retrieved", "Full-text reports that could not be obtained (other methods)",
     "other_notretrieved_reports.html"),
    ("dbr_assessed", "node13", "box8", "Full-text reports assessed (databases and registers)",
     "Reports assessed", "Full-text reports assessed against the criteria", "dbr_assessed.html"),
    ("dbr_excluded", "node14", "box9", "Full-text reports excluded, one primary reason each: "
     "'Reason, n; Reason, n' (databases and registers)", "Reports excluded",
     "Full-text reports excluded, by primary reason", "dbrexcludedrecords.html"),
    ("other_assessed", "node20", "box14", "Full-text reports assessed (other methods)", "Reports assessed",
     "Full-text reports assessed against the criteria (other methods)", "other_assessed.html"),
    ("other_excluded", "node21", "box15", "Full-text reports excluded, one primary reason each: "
     "'Reason, n; Reason, n' (other methods)", "Reports excluded",
     "Full-text reports excluded, by primary reason (other methods)", "other_excluded.html"),
    ("new_studies", "node15", "box10", "New studies included", "New studies included",
     "Studies this review includes", "new_studies.html"),
    ("new_reports", "NA", "box10", "Reports of the new included studies", "Reports of new studies", "NA", "NA"),
    ("total_studies", "node22", "box16", "All studies included", "Total studies included",
     "All studies in the review, previous version included", "total_studies.html"),
    ("total_reports", "NA", "box16", "Reports of all included studies", "Reports of all studies", "NA", "NA"),
    ("identification", "node1", "identification", "Side label: identification", "Identification",
     "Side label: identification", "identification.html"),
    ("screening", "node2", "screening", "Side label: screening", "Screening", "Side label: screening",
     "screening.html"),
    ("included", "node3", "included", "Side label: included", "Included", "Side label: included",
     "included.html"),
    ("total_studies_ma", "node23", "box17", "Studies in a meta-analysis (none: a qualitative synthesis)",
     "Studies in meta-analysis", "Studies in a meta-analysis", "total_studies_meta_analysis.html"),
    ("total_reports_ma", "NA", "box17", "Reports of studies in a meta-analysis", "Reports in meta-analysis",
     "NA", "NA"),
)

# Other-methods sources by the app's three boxes; a method name matching none counts as citations.
OTHER_BOXES = (("website_results", ("web", "site", "grey")), ("organisation_results", ("organi", "expert")),
               ("citations_results", ("citation", "reference", "snowball", "chas", "forward", "backward")))


def _name(text: object) -> str:
    """A name that cannot break the 'Name, n; Name, n' cell: no commas or semicolons."""
    return " ".join(str(text).replace(",", " ").replace(";", " ").split())


def pairs(items: Mapping[str, int], names: Mapping[str, str] | None = None) -> str:
    """'Name, n; Name, n' in the given order (the config's order)."""
    names = names or {}
    return "; ".join(f"{_name(names.get(k, k))}, {int(v)}" for k, v in items.items())


def _other_sources(identified: Mapping[str, int]) -> dict[str, int]:
    out = {key: 0 for key, _ in OTHER_BOXES}
    for method, n in identified.items():
        low = str(method).lower()
        key = next((k for k, words in OTHER_BOXES if any(w in low for w in words)), "citations_results")
        out[key] += int(n)
    return out


def prisma2020_values(counts: Mapping, databases: Mapping[str, str], reasons: Mapping[str, str]) -> dict[str, object]:
    """data key -> n, from counts.json (databases and reasons: id -> display name, config order)."""
    identified = {db: counts["identified"].get(db, 0) for db in databases}
    identified.update({k: v for k, v in counts["identified"].items() if k not in identified})
    excluded = {k: v for k, v in counts["fulltext_excluded"].items() if v}
    other = counts.get("other_methods") or {}
    other_excl = {k: v for k, v in (other.get("fulltext_excluded") or {}).items() if v}
    prev, total = counts.get("previous") or {}, counts.get("total") or {}    # an updated review's
    values: dict[str, object] = {
        "previous_studies": prev.get("studies", 0), "previous_reports": prev.get("reports", 0),
        "database_results": sum(identified.values()),
        "database_specific_results": pairs(identified, databases),
        "register_results": 0, "register_specific_results": "",
        **_other_sources(other.get("identified") or {}),
        "duplicates": counts["duplicates_removed"],
        "excluded_automatic": counts["automation_excluded"],
        "excluded_other": counts["other_removed"],
        "records_screened": counts["screened"],
        "records_excluded": counts["screen_excluded"],
        "dbr_sought_reports": counts["sought"],
        "dbr_notretrieved_reports": counts["not_retrieved"],
        "other_sought_reports": other.get("sought", 0),
        "other_notretrieved_reports": other.get("not_retrieved", 0),
        "dbr_assessed": counts["assessed"],
        "dbr_excluded": pairs(excluded, reasons),
        "other_assessed": other.get("assessed", 0),
        "other_excluded": pairs(other_excl, reasons),
        "new_studies": counts["included"], "new_reports": counts["reports_included"],
        "total_studies": total.get("studies", counts["included"]),
        "total_reports": total.get("reports", counts["reports_included"]),
        "total_studies_ma": 0, "total_reports_ma": 0,
    }
    return values


def prisma2020_csv(counts: Mapping, databases: Mapping[str, str], reasons: Mapping[str, str]) -> str:
    """The whole CSV, rows in the template's order; title boxes and side labels carry n = 0."""
    values = prisma2020_values(counts, databases, reasons)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    for data, node, box, desc, boxtext, tip, url in ROWS:
        n = values.get(data, 0) if data != "NA" else 0
        w.writerow([data, node, box, desc, boxtext, tip, url, n])
    return buf.getvalue()
