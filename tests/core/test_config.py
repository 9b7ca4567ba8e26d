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
    assert msg.startswith(f"{p}:{lineno}:")
    assert "eligibility/publication_years/to" in msg


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
