"""A generated, labelled deduplication corpus of any size, laid out like ../shared/bench/dedup/<set>/.

Works get invented titles, authors, journals, volumes, pages and DOIs; each is exported by one to
several "databases", each copy with the variations real exports show (case, punctuation, HTML
entities, Greek letters spelled out, '[Review]' tags, translated-title brackets, truncation, a
typo, abbreviated journals and pages, DOIs dropped or written as URLs, online-first years, author
formats). Hard negatives are generated too: errata, annual reports with the same title, and
conference abstracts of later papers. Everything is drawn from one seeded generator.

Run: .venv/bin/python -m benchmarks.dedup_corpus --records 100000 --out DIR
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

COLUMNS = ["record_id", "title", "author", "year", "journal", "booktitle", "volume", "number", "pages", "doi",
           "ENTRYTYPE"]
_SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi go ka ke ki ko la le li lo lu ma "
              "me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi "
              "vo za ze zi zo tra tre tri pro pla ple sta ste sti str").split()
_FILLER = "of the and in for with on among versus after a an".split()
_GREEK = (("β", "beta"), ("α", "alpha"), ("γ", "gamma"), ("κ", "kappa"))


def _word(rng: random.Random, n_syll: tuple[int, int]) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(*n_syll)))


class _Vocab:
    def __init__(self, rng: random.Random) -> None:
        self.words = sorted({_word(rng, (2, 4)) for _ in range(6000)})
        self.surnames = sorted({_word(rng, (2, 3)).capitalize() for _ in range(4000)})
        self.journals = []
        for _ in range(600):
            words = [_word(rng, (3, 4)).capitalize() for _ in range(rng.randint(2, 4))]
            full = "Journal of " + " and ".join([" ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]
            abbrev = "J " + " ".join(w[: rng.randint(3, 5)] for w in words)
            self.journals.append((full, abbrev, f"10.{rng.randint(1000, 9999)}"))


def _title(rng: random.Random, vocab: _Vocab) -> str:
    # Zipf-like choice: a few words are common, most are rare, as in real titles.
    n = rng.randint(5, 14)
    words = []
    for k in range(n):
        if k and rng.random() < 0.25:
            words.append(rng.choice(_FILLER))
        else:
            words.append(vocab.words[int(len(vocab.words) * rng.random() ** 2.5)])
    if rng.random() < 0.08:
        g, _ = rng.choice(_GREEK)
        words.insert(rng.randint(0, len(words)), f"TNF-{g}")
    text = " ".join(words)
    if rng.random() < 0.4:
        cut = rng.randint(2, len(words) - 1)
        text = " ".join(words[:cut]) + ": " + " ".join(words[cut:])
    return text[0].upper() + text[1:]


def _work(rng: random.Random, vocab: _Vocab, wid: int) -> dict:
    journal = rng.choice(vocab.journals)
    year = rng.randint(1990, 2024)
    first = rng.randint(1, 2500)
    doi = f"{journal[2]}/{_word(rng, (1, 2))}.{year}.{wid:07d}" if rng.random() < 0.75 else ""
    return {"title": _title(rng, vocab), "year": year, "journal": journal,
            "authors": [(rng.choice(vocab.surnames), "".join(rng.choice("ABCDEFGHJKLMNPRSTW")
                                                             for _ in range(rng.randint(1, 2))))
                        for _ in range(rng.randint(1, 7))],
            "volume": str(max(1, year - 1960 + rng.randint(-3, 3))), "issue": str(rng.randint(1, 12)),
            "pages": (first, first + rng.randint(3, 20)), "doi": doi, "type": "article"}


def _negatives(rng: random.Random, base: dict, vocab: _Vocab, wid: int) -> dict:
    """A different work that looks like `base`: an erratum, next year's report, a conference abstract."""
    w = dict(base)
    kind = rng.choice(("erratum", "annual", "conference"))
    if kind == "erratum":
        w["title"] = rng.choice(("Erratum: ", "Correction to: ", "Corrigendum: ")) + base["title"]
        w["year"] = base["year"] + rng.randint(0, 1)
        w["pages"] = (base["pages"][0] + 200, base["pages"][0] + 200)
    elif kind == "annual":
        w["year"] = base["year"] + rng.randint(1, 3)
        w["volume"] = str(int(base["volume"]) + w["year"] - base["year"])
        w["pages"] = (rng.randint(1, 900), 0)
        w["pages"] = (w["pages"][0], w["pages"][0] + 5)
    else:
        w["type"] = "inproceedings"
        w["year"] = base["year"] - 1
        w["journal"] = (f"Proceedings of the {rng.choice(vocab.journals)[0][11:]} Conference", "", "")
        w["volume"], w["issue"], w["pages"] = "", "", (0, 0)
    w["doi"] = f"{base['journal'][2]}/{_word(rng, (1, 2))}.{w['year']}.n{wid:07d}" if base["doi"] else ""
    return w


def _pages_text(rng: random.Random, pages: tuple[int, int]) -> str:
    a, b = pages
    if not a:
        return ""
    if rng.random() < 0.3 and len(str(b)) == len(str(a)):
        # MEDLINE style: '104-9'.
        sa, sb = str(a), str(b)
        k = next((i for i in range(len(sa)) if sa[i] != sb[i]), len(sa) - 1)
        return f"{a}-{sb[k:]}"
    return f"{a}-{b}" if rng.random() < 0.7 else f"{a}--{b}"


def _author_text(rng: random.Random, authors: list[tuple[str, str]]) -> str:
    style = rng.randint(0, 2)
    names = authors if rng.random() < 0.8 else authors[:3]
    if style == 0:
        return " and ".join(f"{s}, {'. '.join(i)}." for s, i in names)
    if style == 1:
        return "; ".join(f"{s} {i}" for s, i in names)
    return " and ".join(f"{s}, {i}" for s, i in names)


def _variant_title(rng: random.Random, title: str) -> str:
    t = title
    r = rng.random()
    if r < 0.1:
        t = t.upper()
    elif r < 0.2:
        t = t.lower()
    if rng.random() < 0.1:
        t = t.replace(": ", " - ")
    for g, name in _GREEK:
        if g in t and rng.random() < 0.5:
            t = t.replace(g, name)
    if rng.random() < 0.05:
        t = t.replace(" and ", " &amp; ")
    if rng.random() < 0.05:
        t += ". [Review]"
    elif rng.random() < 0.03:
        t = f"[{t}]."
    if rng.random() < 0.08:
        i = rng.randrange(len(t))
        if t[i].isalpha():
            t = t[:i] + rng.choice("aeiou") + t[i + 1:]
    if rng.random() < 0.03 and len(t) > 80:
        t = t[:80]
    return t


def _copy(rng: random.Random, w: dict) -> dict[str, str]:
    online_first = rng.random() < 0.04
    full, abbrev, _ = w["journal"]
    journal = abbrev if abbrev and rng.random() < 0.4 else full
    doi = w["doi"]
    if doi and rng.random() < 0.3:
        doi = ""
    elif doi and rng.random() < 0.2:
        doi = "https://doi.org/" + doi.upper()
    conf = w["type"] == "inproceedings"
    return {"title": _variant_title(rng, w["title"]), "author": _author_text(rng, w["authors"]),
            "year": str(w["year"] - 1 if online_first else w["year"]),
            "journal": "" if conf else journal, "booktitle": full if conf else "",
            "volume": "" if online_first else w["volume"], "number": "" if online_first or rng.random() < 0.2
            else w["issue"], "pages": "" if online_first else _pages_text(rng, w["pages"]), "doi": doi,
            "ENTRYTYPE": w["type"]}


def generate(n_records: int, seed: int = 7) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(records, truth) rows: about `n_records` records, in a shuffled order."""
    rng = random.Random(seed)
    vocab = _Vocab(rng)
    records: list[dict[str, str]] = []
    truth: list[dict[str, str]] = []
    wid = 0
    while len(records) < n_records:
        wid += 1
        work = _work(rng, vocab, wid)
        works = [work]
        if rng.random() < 0.05:
            wid += 1
            works.append(_negatives(rng, work, vocab, wid))
        for w in works:
            gid = f"w{wid:07d}" if w is work else f"n{wid:07d}"
            n_copies = 1 + (rng.random() < 0.55) + (rng.random() < 0.25) + (rng.random() < 0.08)
            for _ in range(n_copies):
                records.append(_copy(rng, w))
                truth.append({"group_id": gid})
    order = list(range(len(records)))
    rng.shuffle(order)
    out_records, out_truth = [], []
    for k, i in enumerate(order, 1):
        rid = f"gen_{k:07d}"
        out_records.append({"record_id": rid, **records[i]})
        out_truth.append({"record_id": rid, "group_id": truth[i]["group_id"]})
    return out_records, out_truth


def write(out: Path, n_records: int, seed: int = 7) -> Path:
    """Write records.csv and truth.csv under `out`; returns `out`."""
    records, truth = generate(n_records, seed)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "records.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(records)
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["record_id", "group_id"])
        w.writeheader()
        w.writerows(truth)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    write(args.out, args.records, args.seed)


if __name__ == "__main__":
    main()
