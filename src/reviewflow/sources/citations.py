"""Citation chasing through OpenAlex (PRISMA 'other methods'): backward (references) and forward (citing works).

Run it like a search, so it is snapshotted, resumable and replayed:
`run_search(OpenAlexCitations(seeds), snapshots, database_id="citation_searching")`. Every record's
source is the method id `citation_searching`; `raw["reviewflow:citation"]` says how it was found
(`backward:<seed W id>` / `forward:<seed W id>`), one entry per seed that led to it.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from reviewflow.io.base import Parsed
from reviewflow.records import Provenance, Record, normalise_doi
from reviewflow.sources.base import Progress, Source, load_json, no_progress, raw_from_json
from reviewflow.sources.http import BadBody, HttpClient, HttpError, Response
from reviewflow.sources.openalex import OpenAlex, fill_record, short_id
from reviewflow.sources.snapshot import Snapshot

METHOD = "citation_searching"
LINK_FIELD = "reviewflow:citation"
# OpenAlex takes up to 100 values OR-ed in one filter; 50 keeps URLs well under length limits.
BATCH = 50


def seed_path(seed: str) -> str:
    """The /works/{id} path of a DOI or an OpenAlex id (W123 or its URL)."""
    doi = normalise_doi(seed)
    if doi:
        return "doi:" + quote(doi, safe="/")
    wid = short_id(seed.strip())
    if not wid or not wid[:1].upper() == "W":
        raise ValueError(f"not a DOI or an OpenAlex work id: {seed!r}")
    return wid.upper()


def _work(resp: Response) -> dict[str, Any]:
    data = load_json(resp, "openalex work")
    if not isinstance(data, dict) or not data.get("id"):
        raise BadBody("openalex: not a work (no id)")
    return data


class OpenAlexCitations(Source):
    name = "openalex_citations"
    database = "OpenAlex"
    interface = "OpenAlex API (/works): referenced_works (backward) and filter=cites: (forward)"
    default_base_url = "https://api.openalex.org"
    requests_per_second = 10.0

    def __init__(self, seeds: list[str], *, direction: str = "both", base_url: str | None = None,
                 mailto: str | None = None, api_key: str | None = None) -> None:
        if direction not in ("backward", "forward", "both"):
            raise ValueError(f"direction must be backward, forward or both, not {direction!r}")
        self.seeds = sorted(dict.fromkeys(seed_path(s) for s in seeds))
        super().__init__(f"citations of {len(self.seeds)} works ({direction})", base_url=base_url)
        self.direction = direction
        self.mailto = mailto or os.environ.get("OPENALEX_MAILTO") or os.environ.get("REVIEWFLOW_MAILTO")
        self.api_key = api_key or os.environ.get("OPENALEX_API_KEY")

    def spec(self) -> dict[str, Any]:
        return {"source": self.name, "seeds": self.seeds, "direction": self.direction}

    def secrets(self) -> list[str]:
        return [s for s in (self.mailto, self.api_key) if s]

    def limits(self) -> dict[str, Any]:
        return {"seeds": self.seeds, "direction": self.direction, "ids_per_filter": BATCH}

    def _lister(self, filt: str) -> OpenAlex:
        return OpenAlex("", base_url=self.base_url, filters=filt, mailto=self.mailto, api_key=self.api_key)

    def fetch(self, snap: Snapshot, client: HttpClient, progress: Progress = no_progress) -> None:
        st = snap.state.setdefault("progress", {})
        found = st.setdefault("seeds", {})
        params = {k: v for k, v in (("mailto", self.mailto), ("api_key", self.api_key)) if v}
        for seed in self.seeds:
            if seed in found:
                continue
            try:
                resp, work = client.get(f"{self.base_url}/works/{seed}", params, check=_work)
            except HttpError as exc:
                if exc.status != 404:
                    raise
                found[seed] = {"found": False}
                st.setdefault("warnings", []).append(f"seed {seed} not found in OpenAlex")
                snap.save()
                continue
            found[seed] = {"found": True, "id": short_id(work["id"]),
                           "references": [short_id(w) for w in work.get("referenced_works") or []]}
            snap.add_page("seed", "json", resp, 1, seed=seed)
        if "tasks" not in st:
            st["tasks"] = self._tasks(found)
            snap.save()
        reported = retrieved = 0
        for task in st["tasks"]:
            self._lister(task["filter"]).page_through(snap, client, task["state"], task["id"])
            reported += task["state"]["reported"]
            retrieved += task["state"].get("retrieved", 0)
            progress(retrieved, None)
        missing = self._refs_not_found(snap, st)
        if missing and "refs_not_found" not in st:
            st["refs_not_found"] = missing
            st.setdefault("warnings", []).append(f"{len(missing)} referenced works not found in OpenAlex: "
                                                 f"{', '.join(missing[:20])}{' ...' if len(missing) > 20 else ''}")
        snap.state["reported"] = reported
        snap.state["done"] = True
        snap.save()

    def _refs_not_found(self, snap: Snapshot, st: dict[str, Any]) -> list[str]:
        """Referenced works the batched lookups did not return (merged or deleted OpenAlex ids)."""
        wanted = [r for s in st["seeds"].values() if s["found"] for r in s["references"]]
        if self.direction == "forward" or not wanted:
            return []
        got: set[str] = set()
        lister = self._lister("")
        for page in snap.pages:
            if page["kind"] == "page" and str(page.get("task", "")).startswith("backward"):
                got.update(short_id(i.get("id")) or "" for i in lister.read_page(json.loads(snap.read(page))).items)
        return sorted(set(wanted) - got)

    def _tasks(self, found: dict[str, Any]) -> list[dict[str, Any]]:
        """One paged listing per batch of referenced works, one per seed for its citing works."""
        tasks = []
        seeds = [s["id"] for s in found.values() if s["found"]]
        if self.direction in ("backward", "both"):
            refs = list(dict.fromkeys(r for s in found.values() if s["found"] for r in s["references"]))
            for i in range(0, len(refs), BATCH):
                chunk = refs[i:i + BATCH]
                tasks.append({"id": f"backward-{i // BATCH + 1}", "method": "backward",
                              "filter": "openalex_id:" + "|".join(chunk), "state": {}})
        if self.direction in ("forward", "both"):
            for w in seeds:
                tasks.append({"id": f"forward-{w}", "method": "forward", "filter": f"cites:{w}", "state": {}})
        return tasks

    def links(self, snap: Snapshot) -> dict[str, list[str]]:
        """Work id -> how it was found ('backward:W<seed>' / 'forward:W<seed>')."""
        st = snap.state["progress"]
        out: dict[str, list[str]] = {}
        for s in st["seeds"].values():
            if s["found"]:
                for r in s["references"]:
                    out.setdefault(r, []).append(f"backward:{s['id']}")
        return out

    def parse(self, snap: Snapshot, source_id: str) -> Parsed:
        out = Parsed()
        backward = self.links(snap)
        tasks = {t["id"]: t for t in snap.state["progress"].get("tasks", [])}
        lister = self._lister("")
        for page in snap.pages:
            if page["kind"] != "page":
                continue
            task = tasks[page["task"]]
            data = lister.read_page(json.loads(snap.read(page)))
            for index, item in enumerate(data.items):
                wid = short_id(item.get("id"))
                rec = Record(id="", provenance=Provenance(source_id, snap.path_of(page), index, 1),
                             raw=raw_from_json(item))
                fill_record(item, rec)
                how = backward.get(wid or "", []) if task["method"] == "backward" \
                    else [f"forward:{task['filter'].split(':', 1)[1]}"]
                rec.raw[LINK_FIELD] = how
                out.add(rec, wid)
        return out
