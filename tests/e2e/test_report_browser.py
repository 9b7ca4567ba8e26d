"""The report of a small generated review, rendered in a real browser (headless Chromium).

Chromium runs as a subprocess: --dump-dom for the page as the browser built it, --screenshot for
a picture, and a copy of the report with a probe script that measures the PRISMA diagram's boxes
and texts as laid out (getBoundingClientRect), so overlap is checked on real text metrics.
Skips where /usr/bin/chromium is absent; under CI=true it fails instead (.ci/run installs it).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from ..conftest import need
from .test_workflow import make_project, run_ok

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ["status", "summary", "methods", "flow", "sources", "dedup", "automation", "agreement", "fulltext",
            "included", "extraction", "casp", "themes", "cerqual", "accuracy", "reproducibility"]
# Writes the diagram's geometry into the page, for --dump-dom to carry out.
PROBE = """<script>
const out = [];
const svg = document.querySelector('#flow svg');
for (const g of svg.querySelectorAll('g')) {
  const rect = g.querySelector(':scope > rect');
  const texts = [...g.querySelectorAll(':scope > text')];
  const box = rect ? rect.getBoundingClientRect() : null;
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    out.push({text: t.textContent, box: box && [box.left, box.top, box.right, box.bottom],
              bbox: [r.left, r.top, r.right, r.bottom]});
  }
}
const pre = document.createElement('pre');
pre.id = 'geometry';
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    need(CHROMIUM, "Chromium (Debian package 'chromium')")
    root = make_project(tmp_path_factory.mktemp("browser"))
    run_ok(root)
    return root, root / "results/report/index.html"


def test_page_has_title_sections_and_diagram(report, tmp_path):
    root, html = report
    proc = chromium("--dump-dom", html.as_uri(), profile=tmp_path / "profile")
    dom = proc.stdout
    assert proc.returncode == 0 and "<html" in dom, proc.stderr[-2000:]
    cfg = yaml.safe_load((root / "config/config.yaml").read_text())
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title.replace("&amp;", "&") == cfg["review"]["title"]
    for section in SECTIONS:
        assert f'<section id="{section}"' in dom, section
    flow = dom[dom.index('<section id="flow"'):dom.index('<section id="sources"')]
    assert "<svg" in flow and "Records identified from" in flow and "Studies included in review" in flow
    # The themes come from the coder's decisions, with their studies; the per-theme accuracy is shown.
    for label in ("Client-level benefits", "Triggering and emotional toll", "Organisational culture"):
        assert label in dom
    assert "Suggestions: precision" in dom and "Overall confidence" in dom
    assert 'class="heat' in dom


def test_screenshot_is_written(report, tmp_path):
    _, html = report
    png = tmp_path / "report.png"
    proc = chromium(f"--screenshot={png}", "--window-size=1280,2400", html.as_uri(), profile=tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)


def _overlap(a: list[float], b: list[float], tol: float = 0.5) -> bool:
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def test_diagram_text_fits_its_boxes_and_never_overlaps(report, tmp_path):
    _, html = report
    page = tmp_path / "probe.html"
    page.write_text(html.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = chromium("--dump-dom", "--window-size=1400,3000", page.as_uri(), profile=tmp_path / "profile")
    m = re.search(r'<pre id="geometry">(.*?)</pre>', proc.stdout, re.S)
    assert m, proc.stderr[-2000:]
    items = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                       .replace("&gt;", ">"))
    assert len(items) > 20
    texts = [i for i in items if i["text"].strip()]
    for t in texts:
        x0, y0, x1, y1 = t["bbox"]
        assert x1 > x0 and y1 > y0, t
        if t["box"]:
            bx0, by0, bx1, by1 = t["box"]
            assert bx0 - 0.5 <= x0 and x1 <= bx1 + 0.5 and by0 - 0.5 <= y0 and y1 <= by1 + 0.5, \
                f"{t['text']!r} leaves its box"
    clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
               if _overlap(a["bbox"], b["bbox"])]
    assert clashes == []
