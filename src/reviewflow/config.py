"""Load the review config, validate it against the JSON Schema, and check what a schema cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import ConfigError

# The schema lives with the workflow (workflow/schemas/), where Snakemake validates the merged config.
SCHEMA_RELPATH = Path("workflow") / "schemas" / "config.schema.yaml"


def find_root(start: str | Path = ".") -> Path:
    """The project root: the nearest folder upward holding a Snakefile and workflow/."""
    here = Path(start).resolve()
    for d in (here, *here.parents):
        if (d / "Snakefile").is_file() and (d / "workflow").is_dir():
            return d
    raise ConfigError("no reviewflow project here (no Snakefile with workflow/ found upward)",
                      file=str(start))


def load_schema(root: Path) -> dict:
    with open(root / SCHEMA_RELPATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _line_of(text: str, path: list[Any]) -> int | None:
    """1-based line of the YAML node at `path` (keys and list indices), or of its nearest parent."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for step in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if k.value == step:
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def validate_config(config: dict, schema: dict, *, file: str = "config", text: str | None = None) -> None:
    """Raise ConfigError naming the first problem (with its YAML line when the text is known)."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = errors[0]
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        line = _line_of(text, list(err.absolute_path)) if text else None
        raise ConfigError(f"{where}: {err.message}", file=file, line=line)
    check_semantics(config, file=file, text=text)


def check_semantics(config: dict, *, file: str = "config", text: str | None = None) -> None:
    """Cross-field rules: unique ids, demo shape keyed by configured databases, distinct roles."""
    def fail(msg: str, path: list[Any]) -> None:
        raise ConfigError(msg, file=file, line=_line_of(text, path) if text else None)

    ids = [db["id"] for db in config["databases"]]
    for i, db_id in enumerate(ids):
        if ids.index(db_id) != i:
            fail(f"databases: id '{db_id}' appears twice", ["databases", i])
    for i, db in enumerate(config["databases"]):
        if "search" in db and "export" in db:
            fail(f"databases: '{db['id']}' has both an export and a search: give one", ["databases", i])
    codes = [r["code"] for r in config["full_text_exclusion_reasons"]]
    if len(set(codes)) != len(codes):
        fail("full_text_exclusion_reasons: codes must be unique", ["full_text_exclusion_reasons"])
    scr = config["screening"]
    if scr["adjudicator"] in scr["reviewers"]:
        fail("screening: the adjudicator must not be one of the two reviewers", ["screening", "adjudicator"])
    years = config.get("eligibility", {}).get("publication_years", {})
    if "from" in years and "to" in years and years["from"] > years["to"]:
        fail("eligibility/publication_years: 'from' is after 'to'", ["eligibility", "publication_years"])
    demo = config.get("demo") or {}
    if demo.get("enabled"):
        shape = demo.get("shape")
        if not shape:
            fail("demo: enabled but no shape given", ["demo"])
        extra = sorted(set(shape["identified"]) ^ set(ids))
        if extra:
            fail(f"demo/shape/identified: databases differ from `databases`: {', '.join(extra)}",
                 ["demo", "shape", "identified"])


def load_config(path: str | Path, root: Path | None = None) -> dict:
    """Read and validate a review config file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", file=str(path)) from None
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                          line=mark.line + 1 if mark else None) from None
    if not isinstance(config, dict):
        raise ConfigError("the config must be a mapping of sections", file=str(path), line=1)
    root = root or find_root(path.parent)
    validate_config(config, load_schema(root), file=str(path), text=text)
    return config


def demo_enabled(config: dict) -> bool:
    return bool((config.get("demo") or {}).get("enabled"))
