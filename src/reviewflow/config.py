"""Load the review config, validate it against the JSON Schema, and check what a schema cannot."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import ConfigError

if TYPE_CHECKING:
    import jsonschema

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


_NAME_CHARS = "A-Za-z0-9_-"     # the schema's pattern for reviewer and stage names
_KINDS = {"array": "a list", "object": "a mapping of keys", "string": "text", "integer": "a whole number",
          "number": "a number", "boolean": "true or false", "null": "nothing"}


def _kind(schema: dict) -> str:
    """What a schema asks for, in words: 'a list of names', 'a whole number'."""
    t = schema.get("type")
    if isinstance(t, list):
        return " or ".join(_KINDS.get(x, x) for x in t)
    if t == "array" and isinstance(schema.get("items"), dict) and schema["items"].get("type") == "string":
        pattern = schema["items"].get("pattern", "")
        return "a list of names (letters, digits, - and _)" if _NAME_CHARS in pattern else "a list of text values"
    return _KINDS.get(t, str(t))


def _readable(err: jsonschema.ValidationError) -> str:
    """A schema error as people read it: what was expected and what the file has."""
    got = repr(err.instance) if not isinstance(err.instance, dict | list) else type(err.instance).__name__
    if err.validator == "type":
        return f"expected {_kind(err.schema)}, got {got}"
    if err.validator == "enum":
        return f"expected one of {', '.join(map(repr, err.validator_value))}, got {got}"
    if err.validator == "pattern":
        return f"{got} is not allowed here (letters, digits, - and _ only)" if _NAME_CHARS in \
            err.validator_value else f"{got} does not have the expected form ({err.validator_value})"
    if err.validator == "required":
        return err.message.replace("is a required property", "is required here")
    if err.validator in ("minItems", "maxItems"):
        n = err.validator_value
        return f"expected {'at least' if err.validator == 'minItems' else 'at most'} {n} item{'s' * (n != 1)}, " \
               f"got {len(err.instance)}"
    return err.message


def validate_config(config: dict, schema: dict, *, file: str = "config", text: str | None = None) -> None:
    """Raise ConfigError naming the first problem (with its YAML line when the text is known)."""
    import jsonschema  # here: a command that reads no config should not wait for it to import

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        where = ".".join(str(p) for p in path) or "(top level)"
        message = _readable(err)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # Point at the unknown key itself, not at the section holding it.
            known = set(err.schema.get("properties", {}))
            unknown = sorted((k for k in err.instance if k not in known), key=str)
            if unknown:
                path = [*path, unknown[0]]
                message = (f"unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
                           if known else f"unknown key {unknown[0]!r}")
        line = _line_of(text, path) if text else None
        raise ConfigError(f"{where}: {message}", file=file, line=line)
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
        fail("eligibility.publication_years: 'from' is after 'to'", ["eligibility", "publication_years"])
    # People's filled sheets are never written by the workflow: not where results go...
    decisions = _norm(config["paths"]["decisions"])
    if decisions == "results" or decisions.startswith("results/"):
        fail("paths.decisions: people's filled sheets cannot live under results/ (the workflow writes "
             "there and would overwrite them)", ["paths", "decisions"])
    demo = config.get("demo") or {}
    if demo.get("enabled"):
        # ...and in the demo, the simulated people's sheets (rewritten on every change) stay in the demo's
        # folder, so a real review's decisions or full texts named in `paths` are never overwritten.
        demo_dir = _norm(demo.get("dir", "demo-review"))
        for key in ("decisions", "fulltext"):
            if not _norm(config["paths"][key]).startswith(demo_dir + "/"):
                fail(f"paths.{key}: with demo.enabled the simulated people write there, so it must be inside "
                     f"the demo's folder '{demo_dir}' (a real review sets demo.enabled: false)", ["paths", key])
        shape = demo.get("shape")
        if not shape:
            fail("demo: enabled but no shape given", ["demo"])
        extra = sorted(set(shape["identified"]) ^ set(ids))
        if extra:
            fail(f"demo/shape/identified: databases differ from `databases`: {', '.join(extra)}",
                 ["demo", "shape", "identified"])


def _norm(path: str) -> str:
    """A relative path as written in the config, normalised (`./a//b/` -> `a/b`)."""
    return Path(os.path.normpath(path)).as_posix()


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one mapping is an error: PyYAML would
    keep the last one silently, and half a protocol would vanish without a word."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first != key_node.start_mark.line + 1:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice (first on line {first})", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_config(path: str | Path, root: Path | None = None) -> dict:
    """Read and validate a review config file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror}", file=str(path)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the config as UTF-8",
                          file=str(path), line=data[:exc.start].count(b"\n") + 1) from None
    try:
        config = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no Python objects
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


def other_methods(config: dict) -> list[str]:
    """PRISMA 'other methods' the review uses (citation searching when `citation_chasing.enabled`)."""
    return ["citation_searching"] if (config.get("citation_chasing") or {}).get("enabled") else []
