"""XML bombs and external entities in every XML we parse: PubMed XML and EndNote XML exports (and the
snapshots of PubMed searches, read by the same reader), E-utilities responses, the XML inside XLSX
sheets and exports. Each is refused quickly with one line naming the file; nothing is expanded,
no local file is read into a record, and nothing is fetched (a listening socket stays untouched)."""

from __future__ import annotations

import io
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from reviewflow.cli import main as cli_main
from reviewflow.errors import InputFileError, ReviewflowError, SheetError
from reviewflow.io import read_export
from reviewflow.sheets import Column, read_sheet, write_sheet
from reviewflow.sources.http import BadBody, Response
from reviewflow.sources.pubmed import parse_efetch_pmids, parse_esearch

SECRET = "s3cr3t-never-to-be-read"

PUBMED = ('<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>{body}'
          '</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>')
ENDNOTE = ('<xml><records><record><ref-type name="Journal Article">17</ref-type><titles><title>{body}</title>'
           '</titles></record></records></xml>')
ESEARCH = "<eSearchResult><Count>1</Count><IdList><Id>{body}</Id></IdList></eSearchResult>"


def _attacks(secret: Path, url: str) -> dict[str, tuple[str, str]]:
    """name -> (DOCTYPE internal subset, the body that uses it) for a document whose root is `{root}`."""
    laughs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return {
        "billion_laughs": (laughs, "&l9;"),
        "quadratic_blowup": (f'<!ENTITY a "{"x" * 50_000}">', "&a;" * 50_000),
        "external_file": (f'<!ENTITY e SYSTEM "{secret.as_uri()}">', "&e;"),
        "external_url": (f'<!ENTITY e SYSTEM "{url}/entity">', "&e;"),
        "parameter_entity": (f'<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;', "title"),
        "external_dtd": (None, "title"),
    }


def _document(template: str, root: str, subset: str | None, body: str, url: str) -> str:
    doctype = (f'<!DOCTYPE {root} SYSTEM "{url}/x.dtd">' if subset is None
               else f"<!DOCTYPE {root} [{subset}]>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n' + template.format(body=body)


@pytest.fixture
def listener() -> Iterator[tuple[str, socket.socket]]:
    """A local port that notes any connection; nothing ever listens beyond this machine."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", sock
    sock.close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _nobody_called(sock: socket.socket) -> None:
    with pytest.raises(BlockingIOError):
        sock.accept()


def _clean(err: ReviewflowError) -> None:
    assert "\n" not in str(err) and SECRET not in str(err)


ATTACKS = ["billion_laughs", "quadratic_blowup", "external_file", "external_url", "parameter_entity", "external_dtd"]


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize(("template", "root"), [(PUBMED, "PubmedArticleSet"), (ENDNOTE, "xml")],
                         ids=["pubmed_xml", "endnote_xml"])
def test_xml_exports(tmp_path: Path, secret: Path, listener, attack: str, template: str, root: str) -> None:
    url, sock = listener
    subset, body = _attacks(secret, url)[attack]
    path = tmp_path / "export.xml"
    path.write_text(_document(template, root, subset, body, url), encoding="utf-8")
    before = path.read_bytes()
    try:
        res = read_export(path, "db", display_path="exports/db/export.xml")
    except InputFileError as err:
        _clean(err)
        assert err.file == "exports/db/export.xml" and err.line is not None
        assert "refused for safety" in err.message, err.message
    else:
        # Only a DOCTYPE naming an outside DTD may be read, and then as if it were not there.
        assert attack == "external_dtd", attack
        assert [r.title for r in res.records] == ["title"]
    _nobody_called(sock)
    assert path.read_bytes() == before


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("parse", [parse_esearch, parse_efetch_pmids], ids=["esearch", "efetch"])
def test_e_utilities_responses(secret: Path, listener, attack: str, parse) -> None:
    url, sock = listener
    subset, body = _attacks(secret, url)[attack]
    template, root = (ESEARCH, "eSearchResult") if parse is parse_esearch else (PUBMED, "PubmedArticleSet")
    resp = Response("https://eutils.example/x.fcgi", 200, "text/xml",
                    _document(template, root, subset, body, url).encode("utf-8"))
    try:
        got = parse(resp)
    except (ReviewflowError, BadBody) as err:
        assert "\n" not in str(err) and SECRET not in str(err)
        assert "refused for safety" in str(err), str(err)
    else:
        assert attack == "external_dtd", attack
        assert SECRET not in repr(got)
    _nobody_called(sock)


def _xlsx_with(tmp_path: Path, part: str, subset: str | None, body: str, url: str) -> Path:
    """A real sheet whose `part` (worksheet or shared strings) carries the attack in a DOCTYPE."""
    cols = [Column("record_id", "Record ID"), Column("title", "Title"),
            Column("decision", "Decision", choices=("include", "exclude"), editable=True, required=True)]
    clean = tmp_path / "clean.xlsx"
    write_sheet(clean, cols, [{"record_id": "r1", "title": "MARK", "decision": "include"}], title="t")
    out = io.BytesIO()
    with zipfile.ZipFile(clean) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        target = part if part in names else "xl/worksheets/sheet1.xml"
        for name in names:
            data = zin.read(name)
            if name == target:
                text = data.decode("utf-8").split("?>", 1)[-1]
                root = text.lstrip().split(None, 1)[0].lstrip("<").rstrip(">")
                doctype = (f'<!DOCTYPE {root} SYSTEM "{url}/x.dtd">' if subset is None
                           else f"<!DOCTYPE {root} [{subset}]>")
                text = text.replace("MARK", body) if "MARK" in text else text.replace("r1", body, 1)
                data = f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n{text}'.encode()
            zout.writestr(name, data)
    path = tmp_path / "returned.xlsx"
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_xml_inside_a_returned_sheet(tmp_path: Path, secret: Path, listener, attack: str, part: str) -> None:
    url, sock = listener
    subset, body = _attacks(secret, url)[attack]
    path = _xlsx_with(tmp_path, part, subset, body, url)
    before = path.read_bytes()
    cols = [Column("record_id", "Record ID"), Column("title", "Title"),
            Column("decision", "Decision", choices=("include", "exclude"), editable=True, required=True)]
    try:
        got = read_sheet(path, cols)
    except SheetError as err:
        _clean(err)
        assert err.file == str(path) and "not a readable XLSX" in err.message
    else:
        # The sheet reader (calamine) does not process a DOCTYPE: a declared entity is never expanded
        # and an outside one never fetched, so a part that only declares them reads as if they were not
        # there; one that uses them is refused above.
        assert SECRET not in repr(got.rows)
        assert all(len(v) < 1000 for row in got.rows.values() for v in row.values()), attack
    _nobody_called(sock)
    assert path.read_bytes() == before


@pytest.mark.parametrize("attack", ["billion_laughs", "external_file", "external_url"])
def test_xml_inside_an_xlsx_export(tmp_path: Path, secret: Path, listener, attack: str) -> None:
    url, sock = listener
    wb = Workbook()
    wb.active.append(["record_id", "title"])
    wb.active.append(["r1", "MARK"])
    clean = tmp_path / "clean.xlsx"
    wb.save(clean)
    subset, body = _attacks(secret, url)[attack]
    out = io.BytesIO()
    with zipfile.ZipFile(clean) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if "MARK" in data.decode("utf-8", "replace"):
                text = data.decode("utf-8").split("?>", 1)[-1]
                root = text.lstrip().split(None, 1)[0].lstrip("<").rstrip(">")
                data = (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{subset}]>\n' + text.replace("MARK", body)).encode()
            zout.writestr(name, data)
    path = tmp_path / "export.xlsx"
    path.write_bytes(out.getvalue())
    with pytest.raises(InputFileError) as info:
        read_export(path, "db")
    _clean(info.value)
    assert info.value.file == str(path) and info.value.line is not None
    _nobody_called(sock)


def test_inspect_command_on_a_bomb_says_one_line(tmp_path: Path, secret: Path, listener, capsys) -> None:
    url, sock = listener
    subset, body = _attacks(secret, url)["billion_laughs"]
    path = tmp_path / "bomb.xml"
    path.write_text(_document(PUBMED, "PubmedArticleSet", subset, body, url), encoding="utf-8")
    rc = cli_main(["inspect", str(path), "--json"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"{path}:") and "refused" in err
    _nobody_called(sock)
