"""The demo's full texts come as journals deliver them: a two-column journal PDF, JATS XML, DOCX or pasted text.

Checked here: the same seed gives the same bytes; the PDF's body is set in two columns with running heads and
page numbers, and the pages the truth records are the pages the PDF shows; the XML is JATS with typed sections
and disp-quotes; the DOCX has Heading and Quote styles; no form carries the demo's old markup; every form holds
the findings as the truth numbers them (one paragraph or one block quote a segment); the forms' mix is as drawn.
"""

from __future__ import annotations

import io
import re
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
try:
    import reviewflow  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))

from reviewflow.demo import fulltext as FT  # noqa: E402
from reviewflow.demo.citations import cited_documents  # noqa: E402
from reviewflow.demo.generator import generate, world  # noqa: E402
from reviewflow.demo.reviewers import PDF_SHARE, delivered_as_pdf, library_file  # noqa: E402

JATS_PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN"


@pytest.fixture(scope="module")
def config() -> dict:
    with open(ROOT / "config" / "config.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def corpus(config: dict) -> tuple[int, list]:
    seed, _, _, _, docs, builder = world(config)
    docs = docs + cited_documents(builder, seed)
    return seed, [d for d in docs if d.reaches_full_text]


def _included(corpus, form: str, n: int = 1, **layout) -> list:
    seed, docs = corpus
    out = []
    for d in docs:
        if d.kind != "included" or FT.fulltext_format(seed, d.doc_id) != form:
            continue
        lay = FT.draw_layout(seed, d.doc_id)
        if all(getattr(lay, k) == v for k, v in layout.items()):
            out.append(d)
    assert len(out) >= n, (form, layout)
    return out[:n]


def _pdf_text(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\f")


def _squash(text: str) -> str:
    """Whitespace collapsed and hyphens at line ends undone, as a reader would (roughly)."""
    return re.sub(r"\s+", " ", re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)).strip()


def _old_segment(seg) -> str:
    return f'"{seg.text}" ({seg.speaker} {seg.number})' if isinstance(seg, FT.Quote) else seg


# --------------------------------------------------------------------------- determinism


def test_the_same_seed_gives_the_same_bytes_in_every_form(corpus, monkeypatch) -> None:
    seed, _ = corpus
    docs = [_included(corpus, form)[0] for form in ("pdf", "xml", "docx", "txt")]
    first = {(d.doc_id, form): FT.write_article(FT.article(d, seed), form) for d in docs for form in FT.EXTENSIONS}
    later = time.time() + 400 * 86400            # a run a year later: no clock in any file
    monkeypatch.setattr(time, "time", lambda: later)
    again = {(d.doc_id, form): FT.write_article(FT.article(d, seed), form) for d in docs for form in FT.EXTENSIONS}
    assert first == again
    assert all(FT.fulltext_file(d, seed)[1] == first[(d.doc_id, FT.fulltext_format(seed, d.doc_id))] for d in docs)
    # Another seed, another article (authors' affiliations, layout, references).
    assert FT.write_article(FT.article(docs[0], seed + 1), "xml") != first[(docs[0].doc_id, "xml")]


def test_docx_zip_and_core_properties_carry_the_accepted_date(corpus) -> None:
    import docx

    seed, _ = corpus
    doc = _included(corpus, "docx")[0]
    art = FT.article(doc, seed)
    data = FT.docx_bytes(art)
    stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert stamps == {(*art.accepted, 9, 30, 0)}
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created.timetuple()[:3] == art.accepted and props.modified == props.created


# --------------------------------------------------------------------------- the PDF


def test_pdf_is_a_two_column_journal_page_with_running_heads_and_page_numbers(corpus) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    seed, _ = corpus
    doc = _included(corpus, "pdf")[0]
    art = FT.article(doc, seed)
    data, pages = FT.pdf_article(art)
    assert data.startswith(b"%PDF-") and len(pages) >= 2
    full = FT.PAGE_W - 2 * FT.PDF_MARGIN_X
    col = (full - FT.COLUMN_GAP) / 2
    right = FT.PDF_MARGIN_X + col + FT.COLUMN_GAP
    bands = [(FT.PDF_MARGIN_X, FT.PDF_MARGIN_X + col), (right, FT.PAGE_W - FT.PDF_MARGIN_X)]
    for n, layout in enumerate(extract_pages(io.BytesIO(data)), start=1):
        lines = [ln for box in layout if isinstance(box, LTTextContainer) for ln in box if isinstance(ln, LTTextLine)]
        body = [ln for ln in lines if FT.PDF_BOTTOM - 1 <= ln.y0 and ln.y1 <= FT.PAGE_H - FT.PDF_TOP + 1]
        if n == 1:   # the front matter runs the full width above the columns
            body = [ln for ln in body if ln.x1 - ln.x0 < col + 2]
        starts: dict[int, Counter] = {0: Counter(), 1: Counter()}
        for ln in body:
            which = [i for i, (a, b) in enumerate(bands) if a - 1 <= ln.x0 and ln.x1 <= b + 1]
            assert which, (n, ln.get_text(), ln.x0, ln.x1)      # every line inside one column
            starts[which[0]][round(ln.x0)] += 1
        if n < len(pages):
            assert sum(starts[0].values()) > 10 and sum(starts[1].values()) > 10, (n, starts)   # both used
        for i, (a, _) in enumerate(bands):     # most lines start at their column's left edge
            if starts[i]:
                assert abs(starts[i].most_common(1)[0][0] - a) <= 1, (n, i, starts[i].most_common(3))
        head = " ".join(ln.get_text().strip() for ln in lines if ln.y0 > FT.PAGE_H - FT.PDF_TOP + 1)
        foot = [ln.get_text().strip() for ln in lines if ln.y1 < FT.PDF_BOTTOM - 1]
        assert art.journal.name in head
        if n > 1:
            assert str(art.year) in head and art.running_authors in head
        assert str(n) in foot


def test_pdf_pages_in_the_truth_are_the_pages_the_pdf_shows(corpus) -> None:
    """`render` records what each page shows: each recorded paragraph is on that page of the PDF."""
    seed, _ = corpus
    for doc in _included(corpus, "pdf", 3) + _included(corpus, "pdf", 1, hyphenate=True, indent=True):
        text, truth = FT.render(doc, seed)
        assert truth == FT.content(doc, seed).truth
        pages = FT.paginate(text)
        data, recorded = FT.pdf_article(FT.article(doc, seed))
        shown = [_squash(p) for p in _pdf_text(data)]
        assert len(pages) == len(recorded) and len(shown) >= len(pages)
        for n, page in enumerate(pages):
            squashed = re.sub(r"\s+", "", shown[n])
            for block in page:
                words = " ".join(block).split()
                # A paragraph's first and last words on this page are on this page (spaces aside).
                for w in (words[:4], words[-4:]):
                    assert re.sub(r"\s+", "", " ".join(w)).rstrip("-") in squashed, (doc.doc_id, n + 1, w)


def test_a_pdf_study_characteristics_are_on_the_pages_the_truth_says(config, corpus, tmp_path) -> None:
    """extraction_accuracy's pages (render, paginate) for a PDF report: the Methods' values on their page."""
    seed, _ = corpus
    for doc in _included(corpus, "pdf", 4):
        text, _ = FT.render(doc, seed)
        pages = [re.sub(r"\s+", " ", " ".join(" ".join(b) for b in p)) for p in FT.paginate(text)]
        assert any(doc.ctx["country"] in p for p in pages)
        assert sum(doc.ctx["analysis"] in p for p in pages) >= 1
        assert "Abstract" in pages[0] and doc.title in pages[0]
    other = _included(corpus, "xml")[0]
    assert len(FT.paginate(FT.render(other, seed)[0])) == 1          # a form without pages is one page


# --------------------------------------------------------------------------- XML and DOCX


def test_jats_xml_parses_with_typed_sections_quotes_and_back_matter(corpus) -> None:
    from lxml import etree

    seed, _ = corpus
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for doc in _included(corpus, "xml", 1, sec_types=True) + _included(corpus, "xml", 1, sec_types=False):
        art = FT.article(doc, seed)
        data = FT.jats_xml(art)
        assert b"<!ENTITY" not in data
        tree = etree.parse(io.BytesIO(data), parser)
        assert tree.docinfo.public_id == JATS_PUBLIC_ID
        root = tree.getroot()
        assert root.tag == "article"
        assert root.find("front/article-meta/title-group/article-title").text == doc.title
        assert root.findall("front/article-meta/contrib-group/aff")
        assert root.find("back/ack") is not None and root.findall("back/ref-list/ref")
        results = root.findall("body/sec[@sec-type='results']")
        if art.layout.sec_types:
            assert len(results) == 1 and root.find("body/sec[@sec-type='methods']") is not None
        else:
            assert not root.xpath("body/sec[@sec-type]")
            results = [s for s in root.findall("body/sec") if s.findtext("title").endswith(("Results", "Findings"))]
        themes = results[0].findall("sec")
        assert themes and root.xpath("//disp-quote/p")
        # One <p> or one <disp-quote> per finding segment, in the truth's order.
        blocks = [b for t in themes for b in t if b.tag in ("p", "disp-quote")]
        assert len(blocks) == len(art.truth)
        assert [b.tag == "disp-quote" for b in blocks] == [isinstance(s, FT.Quote) for s in art.segments()]


def test_docx_opens_with_heading_and_quote_styles(corpus) -> None:
    import docx

    seed, _ = corpus
    for doc in _included(corpus, "docx", 2):
        art = FT.article(doc, seed)
        d = docx.Document(io.BytesIO(FT.docx_bytes(art)))
        styles = Counter(p.style.name for p in d.paragraphs)
        themes = [t for s in art.sections for t in s.themes]
        assert styles["Title"] == 1 and styles["Heading 1"] >= 6 and styles["Heading 2"] == len(themes)
        assert styles["Quote"] >= 1
        heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert "References" in heads and "Abstract" in heads
        # Under the Results' Heading 2s: one paragraph a segment, a speaker's label on its own line aside.
        results = next(i for i, p in enumerate(d.paragraphs) if p.style.name == "Heading 1"
                       and p.text.endswith(("Results", "Findings")))
        blocks = []
        for p in d.paragraphs[results + 1:]:
            if p.style.name == "Heading 1":
                break
            if p.style.name == "Heading 2" or (p.style.name == "Quote" and re.match(r"^[(\[\u2014]", p.text)
                                                 and blocks and blocks[-1].style.name == "Quote"):
                continue
            blocks.append(p)
        assert len(blocks) == len(art.truth)


# --------------------------------------------------------------------------- every form


def test_no_form_carries_the_old_markup_and_each_holds_the_findings(corpus) -> None:
    import docx
    from lxml import etree

    seed, _ = corpus
    for form in FT.EXTENSIONS:
        for doc in _included(corpus, form, 2):
            art = FT.article(doc, seed)
            data = FT.write_article(art, form)
            if form == "pdf":
                text = _squash("\n".join(_pdf_text(data)))
            elif form == "docx":
                text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
            elif form == "xml":
                text = " ".join(etree.fromstring(data).itertext())
            else:
                text = data.decode("utf-8")
            assert not re.search(r"(^|\n)\s*#{1,3} |## |### ", text), (form, doc.doc_id)
            flat = re.sub(r"\s+", "", text)
            for seg in art.segments():
                words = seg.text if isinstance(seg, FT.Quote) else seg
                assert re.sub(r"\s+", "", words) in flat, (form, doc.doc_id, words)


def test_segments_are_the_findings_as_drawn(corpus) -> None:
    seed, docs = corpus
    for doc in docs:
        art = FT.article(doc, seed)
        c = FT.content(doc, seed)
        if doc.kind != "included":
            assert art.truth == []
            continue
        drawn = [s.text for _, s in c.findings if s is not None]
        assert [_old_segment(s) for s in art.segments()] == drawn
        assert art.truth == [(n, s.codes) for n, s in enumerate((s for _, s in c.findings if s), start=1)]


def test_references_and_affiliations_lay_traps_outside_the_body(corpus) -> None:
    """Methods and countries that are not the study's, in the references and the affiliations."""
    seed, docs = corpus
    included = [d for d in docs if d.kind == "included"]
    arts = {d.doc_id: FT.article(d, seed) for d in included}
    titles = " ".join(r.title for a in arts.values() for r in a.references)
    assert "grounded theory" in titles and "focus groups" in titles.lower()
    abroad = [d for d in included
              if any(f.country not in FT.COUNTRY_AS_PRINTED.get(d.ctx["country"], (d.ctx["country"],))
                     for f in arts[d.doc_id].affiliations)]
    assert len(abroad) >= 5
    assert all(a.email.endswith(".example.org") for a in arts.values() if a.authors)
    assert all([s.role for s in a.sections] == ["intro", "methods", "results", "discussion", "conclusions"]
               for a in arts.values())


def test_plain_text_is_pasted_text_without_pages(corpus) -> None:
    seed, _ = corpus
    doc = _included(corpus, "txt")[0]
    text = FT.plain_text(FT.article(doc, seed))
    assert "\f" not in text and text.splitlines()[0] == doc.title
    lines = text.splitlines()
    for heading in ("Abstract", "Methods", "Discussion", "References"):
        assert any(ln.endswith(heading) for ln in lines), heading


# --------------------------------------------------------------------------- the mix


def test_the_mix_of_forms_is_as_drawn() -> None:
    ids = [f"D{i:05d}" for i in range(4000)]
    drawn = Counter(FT.fulltext_format(20230901, i) for i in ids)
    for form, share in FT.FORMAT_SHARES:
        assert abs(drawn[form] / len(ids) - share) < 0.03, (form, drawn)
    assert drawn == Counter(FT.fulltext_format(20230901, i) for i in ids)
    assert [delivered_as_pdf(20230901, i) for i in ids[:200]] == [drawn_i == "pdf" for drawn_i in
                                                                  (FT.fulltext_format(20230901, i) for i in ids[:200])]
    assert PDF_SHARE == dict(FT.FORMAT_SHARES)["pdf"]


def test_the_generated_library_and_the_librarian(config, tmp_path) -> None:
    from reviewflow.fsio import write_jsonl

    generate(config, tmp_path)
    library = tmp_path / "fulltext"
    files = sorted(library.iterdir())
    forms = Counter(p.suffix for p in files)
    assert set(forms) <= {".pdf", ".xml", ".docx", ".txt"}
    assert forms[".pdf"] > forms[".xml"] > forms[".docx"] > 0 and forms[".txt"] > 0
    seed = int(config["demo"]["seed"])
    for p in files:
        assert p.suffix == FT.EXTENSIONS[FT.fulltext_format(seed, p.stem)]
        head = p.read_bytes()[:8]
        assert head.startswith({".pdf": b"%PDF-", ".xml": b"<?xml", ".docx": b"PK\x03\x04"}.get(p.suffix, b""))
        if p.suffix in (".txt", ".xml"):
            assert not re.search(r"(^|\n)#{1,3} ", p.read_text(encoding="utf-8"))
    # The librarian saves the library's file under the record id, with its extension; a report the library
    # lacks (it reached full text only through screening errors) is its abstract, pasted, without markup.
    from reviewflow.demo.reviewers import simulate_retrieval
    from reviewflow.fsio import read_csv

    docs = {r["doc_id"]: r for r in read_csv(tmp_path / "truth" / "documents.csv")}
    where = {r["doc_id"]: r for r in read_csv(tmp_path / "truth" / "records.csv")}
    stray = next(d for d, r in docs.items()
                 if r["retrievable"] == "1" and d in where and library_file(library, d) is None)
    wanted = [p.stem for p in files[:6] if p.stem in where] + [stray]
    unique = [{"id": f"R{i}", "title": docs[d]["title"], "abstract": "An abstract.",
               "provenance": {k: where[d][k] for k in ("source", "file", "index")}} for i, d in enumerate(wanted)]
    write_jsonl(tmp_path / "unique.jsonl", unique)
    write_jsonl(tmp_path / "queue.jsonl", [{"record_id": r["id"]} for r in unique])
    simulate_retrieval(config, tmp_path / "queue.jsonl", tmp_path / "unique.jsonl", tmp_path / "truth", library,
                       tmp_path / "ft", tmp_path / "retrieval.xlsx")
    for i, d in enumerate(wanted[:-1]):
        src = library_file(library, d)
        assert (tmp_path / "ft" / f"R{i}{src.suffix}").read_bytes() == src.read_bytes()
    pasted = (tmp_path / "ft" / f"R{len(wanted) - 1}.txt").read_text(encoding="utf-8")
    assert pasted.startswith(docs[stray]["title"]) and "#" not in pasted
    assert len(list((tmp_path / "ft").iterdir())) == len(wanted)
