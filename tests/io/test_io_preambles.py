"""Issue 16: exports as the databases write them today, with what they put above the records.

Built from the fixtures' real records: an Embase.com CSV with its search strategy above the header,
and Ovid tagged exports of MEDLINE and APA PsycInfo (another field set than Embase's and BIOSIS's),
each with the search history Ovid writes first when asked to (longer than any fixed look-ahead).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from reviewflow.cli import main
from reviewflow.io import detect_format, read_export
from reviewflow.records import Record


def _fixture(exports: Path, name: str) -> list[Record]:
    return read_export(exports / name, "x").records


def _search_history(database: str, n: int = 60) -> list[str]:
    rows = [f"{i}     (peer* adj3 (support* or work* or mentor*)).ti,ab. ({1000 + 37 * i})" for i in range(1, n + 1)]
    return [f"Database: {database}", "Search Strategy:", "-" * 80, *rows, "", "*" * 27, ""]


def _tag(tag: str, value: object) -> list[str]:
    lines = textwrap.wrap(str(value), 70, break_on_hyphens=False, break_long_words=False) or [""]
    return [f"{tag}  - {lines[0]}", *(f"      {ln}" for ln in lines[1:])]


def _ovid(database: str, records: list[Record], fields) -> str:
    out = _search_history(database)
    for i, rec in enumerate(records, start=1):
        out += [f"<{i}>", *_tag("VN", "Ovid Technologies"), *_tag("DB", database)]
        for tag, value in fields(i, rec):
            if value:
                out += _tag(tag, value)
        out.append("")
    return "\n".join(out) + "\n"


def _medline(i: int, rec: Record):
    yield "UI", rec.pmid
    yield "TI", rec.title
    for a in rec.authors:
        yield "FA", f"{a.family}, {a.given}"
    for a in rec.authors:
        yield "AU", f"{a.family} {''.join(w[0] for w in a.given.replace('-', ' ').split())}"
    yield "SO", f"{rec.journal}. {rec.volume}({rec.issue}):{rec.pages}, {rec.year}."
    yield "AB", rec.abstract
    yield "DO", rec.doi
    yield "LG", "English"
    yield "PT", "Journal Article"
    yield "YR", rec.year


def _psycinfo(i: int, rec: Record):
    yield "AN", f"{rec.year}-{10000 + i}-001"
    yield "TI", rec.title
    for a in rec.authors:
        yield "AU", f"{a.family}, {a.given}"
    issue = f"({rec.issue})" if rec.issue else ""
    yield "SO", (f"{rec.journal}. Vol.{rec.volume}{issue}, {rec.year}, pp. {rec.pages}." if rec.volume and rec.pages
                 else f"{rec.journal}. {rec.year}.")
    yield "AB", rec.abstract
    yield "DT", "Journal Article"
    yield "PT", "Journal; Peer Reviewed Journal"
    for k in rec.keywords[:3]:
        yield "ID", k
    yield "YR", rec.year
    yield "DO", rec.doi


def _check_ovid(path: Path, source: list[Record]) -> list[Record]:
    assert detect_format(path)[0] == "ovid_tagged"
    res = read_export(path, "db")
    assert not res.rejects and len(res.records) == len(source)
    assert any("search history" in w for w in res.warnings)
    assert [r.title for r in res.records] == [r.title for r in source]
    assert [r.year for r in res.records] == [r.year for r in source]
    assert [r.doi for r in res.records] == [r.doi for r in source]
    assert [[a.family for a in r.authors] for r in res.records] == [[a.family for a in r.authors] for r in source]
    return res.records


def test_ovid_medline_tagged_with_its_search_history(exports: Path, tmp_path: Path) -> None:
    source = [r for name in ("pubmed_medline_1.txt", "pubmed_medline_2.txt") for r in _fixture(exports, name)
              if r.volume and r.pages and r.issue and r.journal]
    assert len(source) >= 5
    path = tmp_path / "ovid-medline.txt"
    path.write_text(_ovid("Ovid MEDLINE(R) ALL <1946 to December 04, 2026>", source, _medline), encoding="utf-8")
    got = _check_ovid(path, source)
    assert [r.pmid for r in got] == [r.pmid for r in source]   # Ovid MEDLINE's UI is the PubMed id
    assert [(r.volume, r.issue, r.pages) for r in got] == [(r.volume, r.issue, r.pages) for r in source]


def test_ovid_psycinfo_tagged_with_its_search_history(exports: Path, tmp_path: Path) -> None:
    source = [r for r in _fixture(exports, "ovid-psycinfo_ris_1.ris") if r.journal and r.year]
    assert len(source) >= 5 and sum(bool(r.volume and r.pages) for r in source) >= 2
    path = tmp_path / "ovid-psycinfo.txt"
    path.write_text(_ovid("APA PsycInfo <1806 to November Week 4 2026>", source, _psycinfo), encoding="utf-8")
    got = _check_ovid(path, source)
    assert all(r.pmid is None for r in got)
    assert [(r.volume, r.pages) for r in got] == [(r.volume, (r.pages or "").replace(" ", "") or None) if r.volume
                                                  and r.pages else (None, None) for r in source]
    assert all("Journal Article" in r.publication_type for r in got)


def test_embase_csv_with_its_search_strategy_above_the_header(exports: Path, tmp_path: Path) -> None:
    original = exports / "embase_csv_1.csv"
    text = original.read_text(encoding="utf-8-sig")
    preamble = ['"Embase Session Results"', '"Date: 05 December 2026"', '"Search strategy"',
                '"No.","Query","Results","Date"',
                "\"#1\",\"'peer support'/exp OR (peer NEAR/3 worker*):ti,ab,kw\",\"12,345\",\"5 Dec 2026\"",
                "\"#2\",\"'drug use'/exp OR 'substance use'/exp\",\"987,654\",\"5 Dec 2026\"",
                '"#3","#1 AND #2","1,234","5 Dec 2026"', ""]
    path = tmp_path / "embase_session.csv"
    path.write_text("\ufeff" + "\n".join(preamble) + "\n" + text, encoding="utf-8")
    before = read_export(original, "embase")
    assert detect_format(path)[0] == "csv"
    res = read_export(path, "embase")
    assert res.dialect == before.dialect == "embase"
    assert [r.title for r in res.records] == [r.title for r in before.records] and not res.rejects
    assert [r.provenance.line for r in res.records] == [r.provenance.line + len(preamble) for r in before.records]
    assert any("preamble" in w and "lines 1-8" in w for w in res.warnings)


def test_inspect_reads_them(exports: Path, tmp_path: Path, capsys) -> None:
    source = _fixture(exports, "pubmed_medline_1.txt")[:5]
    path = tmp_path / "ovid-medline.txt"
    path.write_text(_ovid("Ovid MEDLINE(R) <1946 to 2026>", source, _medline), encoding="utf-8")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ovid_tagged" in out and "search history" in out
