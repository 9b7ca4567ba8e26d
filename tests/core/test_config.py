import shutil

import pytest
import yaml

from reviewflow.config import load_config
from reviewflow.errors import ConfigError

from ..conftest import ROOT


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "Snakefile", tmp_path / "Snakefile")
    shutil.copytree(ROOT / "workflow", tmp_path / "workflow")
    (tmp_path / "config").mkdir()
    return tmp_path


def write(project, text):
    p = project / "config" / "config.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_demo_config_is_valid():
    cfg = load_config(ROOT / "config" / "config.yaml", ROOT)
    assert cfg["review"]["id"]
    assert cfg["demo"]["enabled"] is True


def test_bad_value_names_file_line_and_path(project):
    text = (ROOT / "config" / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("publication_years: {from: 2000, to: 2022}", "publication_years: {from: 2000, to: soon}")
    p = write(project, text)
    with pytest.raises(ConfigError) as exc:
        load_config(p, project)
    msg = str(exc.value)
    lineno = next(i for i, ln in enumerate(text.splitlines(), 1) if "to: soon" in ln)
    assert msg == f"{p}:{lineno}: eligibility.publication_years.to: expected a whole number, got 'soon'"


def test_reviewers_given_as_one_name_read_as_people_read_it(project):
    text = (ROOT / "config" / "config.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("reviewers:"))
    lines[at] = lines[at].split("reviewers:")[0] + "reviewers: A"
    p = write(project, "\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as exc:
        load_config(p, project)
    assert str(exc.value) == (f"{p}:{at + 1}: screening.reviewers: expected a list of names (letters, digits, "
                              "- and _), got 'A'")


def test_highlight_terms_are_accepted_and_reach_the_sheets(project):
    from reviewflow.screen.stages import title_abstract_stage

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["eligibility"]["highlight_terms"] = ["gambl*", "betting"]
    p = write(project, yaml.safe_dump(cfg))
    loaded = load_config(p, project)
    assert title_abstract_stage(loaded).highlight_terms == ("gambl*", "betting")


def _schema_keys(node) -> set[str]:
    """Every property name anywhere under a schema node."""
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in (node.get("properties") or {}).items():
            out.add(k)
            out |= _schema_keys(v)
        for k in ("items", "additionalProperties"):
            out |= _schema_keys(node.get(k))
        for k in ("oneOf", "anyOf", "allOf"):
            for sub in node.get(k) or []:
                out |= _schema_keys(sub)
    return out


def _values(node) -> set[str]:
    """Every string value anywhere in a config or schema (enum values, example settings)."""
    if isinstance(node, dict):
        return set().union(*(_values(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_values(v) for v in node)) if node else set()
    return {str(node)}


def test_every_key_config_readme_documents_is_one_the_schema_accepts():
    import re

    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    values = _values(schema) | _values(config)
    rows = [ln for ln in (ROOT / "config" / "README.md").read_text(encoding="utf-8").splitlines()
            if re.match(r"^\| `[a-z_]+` \|", ln)]
    assert len(rows) >= 10
    sections = schema["properties"]
    wrong = []
    for row in rows:
        section = re.match(r"^\| `([a-z_]+)`", row).group(1)
        assert section in sections, f"config/README.md documents section {section!r}; the schema has none"
        keys = _schema_keys(sections[section])
        for token in re.findall(r"`([a-z][a-z0-9_.]*)`", row.split("|", 2)[2]):
            if re.search(r"\.(?:json|yaml|csv|xlsx|md|pdf|txt)$", token):
                continue        # a file the row names, not a key
            if not (token.split(".")[-1] in keys or token in values or token.rstrip("s") in values):
                wrong.append(f"{section}: `{token}`")
    assert not wrong, f"config/README.md names keys the schema does not accept: {wrong}"


def test_unknown_section_is_rejected(project):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["screenin"] = {}
    p = write(project, yaml.safe_dump(cfg))
    with pytest.raises(ConfigError, match="screenin"):
        load_config(p, project)


def test_semantic_checks(project):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    cfg["screening"]["adjudicator"] = cfg["screening"]["reviewers"][0]
    p = write(project, yaml.safe_dump(cfg))
    with pytest.raises(ConfigError, match="adjudicator"):
        load_config(p, project)


def test_not_yaml(project):
    p = write(project, "review: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(p, project)
