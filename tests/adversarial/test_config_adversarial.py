"""Config errors, generated and by hand: wrong types, unknown keys, missing required keys, bad YAML,
text that is not UTF-8, keys given twice. The CLI answers each with one line `file:line: message`
on stderr and exit code 2, and neither changes the config nor starts the workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reviewflow.cli import main as cli_main

from ..conftest import ROOT
from ..faults.people import digest

TEXT = (ROOT / "config" / "config.yaml").read_text(encoding="utf-8")
CONFIG = yaml.safe_load(TEXT)
SCHEMA = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text(encoding="utf-8"))
SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cfg")
    shutil.copy(ROOT / "Snakefile", root / "Snakefile")
    shutil.copytree(ROOT / "workflow", root / "workflow")
    (root / "config").mkdir()
    return root


def _cli(project: Path, text: str | bytes, capsys: pytest.CaptureFixture) -> tuple[int, str]:
    """Run `reviewflow audit` on the config `text`: (the line the error names, its message)."""
    path = project / "config" / "config.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = digest(path)
    capsys.readouterr()
    rc = cli_main(["-C", str(project), "audit"])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert rc == 2, (rc, out, err)
    assert len(lines) == 1, err
    m = re.fullmatch(rf"{re.escape(str(path))}:(\d+): (\S.*)", lines[0])
    assert m, lines[0]
    assert digest(path) == before and not (project / "results").exists()
    return int(m.group(1)), m.group(2)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _dump(cfg: dict) -> str:
    return yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True, width=1000)


# ----------------------------------------------------------------- by hand


@pytest.mark.parametrize(("change", "needle"), [
    (("reviewers: [A, B]\n  adjudicator", "reviewers: A\n  adjudicator"), "reviewers: A"),       # a list as text
    (("publication_years: {from: 2000, to: 2022}", "publication_years: {from: 2000, to: soon}"), "to: soon"),
    (("prioritise: true", "prioritise: maybe"), "prioritise: maybe"),
    (("seed: 1\n", "seed: [1]\n"), "seed: [1]"),
    (("  decisions: demo-review/decisions\n", "  decisions: demo-review/decisions\n  decison: x\n"), "decison: x"),
    (("screening:\n", "screnning: {}\nscreening:\n"), "screnning"),
    (("  adjudicator: C\n", "  adjudicator: C\n  adjudicator: D\n"), "adjudicator: D"),  # a key twice
    (("languages: [en]", "languages: [en"), None),                                    # bad YAML
    (("  reviewers: [A, B]", "\treviewers: [A, B]"), "\treviewers"),                      # a tab
    (("  reviewers: [A, B]", "  reviewers: [A, &x B, *y]"), None),                       # unknown alias
])
def test_hand_made_errors(project: Path, capsys: pytest.CaptureFixture, change: tuple[str, str],
                          needle: str | None) -> None:
    old, new = change
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    line, _ = _cli(project, text, capsys)
    if needle is not None:
        assert line == _line_of(text, needle), (line, text.splitlines()[line - 1])


@pytest.mark.parametrize(("data", "line"), [
    (b"", 1), (b"- a list\n- not a mapping\n", 1), (b"just text\n", 1), (b"~\n", 1),
    (TEXT.encode("utf-8").replace(b"title: ", b"title: \xff\xfe", 1), _line_of(TEXT, "title: ")),
    (TEXT.encode("utf-16"), 1),
])
def test_not_a_config_at_all(project: Path, capsys: pytest.CaptureFixture, data: bytes, line: int) -> None:
    assert _cli(project, data, capsys)[0] == line


def _required(schema: dict, path: tuple = ()) -> list[tuple]:
    """Every required key of every section, as a path."""
    out = [(*path, k) for k in schema.get("required", [])]
    for k, sub in schema.get("properties", {}).items():
        if isinstance(sub, dict) and sub.get("type") == "object":
            out += _required(sub, (*path, k))
    return out


def _get(cfg: dict, path: tuple):
    for k in path:
        cfg = cfg[k]
    return cfg


def _present(path: tuple) -> bool:
    try:
        _get(CONFIG, path)
    except (KeyError, TypeError):
        return False
    return True


@pytest.mark.parametrize("path", [p for p in _required(SCHEMA) if _present(p)], ids="/".join)
def test_every_required_key_missing(project: Path, capsys: pytest.CaptureFixture, path: tuple) -> None:
    cfg = yaml.safe_load(TEXT)
    del _get(cfg, path[:-1])[path[-1]]
    text = _dump(cfg)
    line, message = _cli(project, text, capsys)
    assert f"{path[-1]!r} is required here" in message
    # The section that lacks it: its key's line or its first line (line 1 for a top-level key).
    section = _line_of(text, f"{path[-2]}:") if len(path) > 1 else 1
    assert line in (section, section + 1), (line, message)


# ----------------------------------------------------------------- generated


def _mappings(cfg, path: tuple = ()):
    """Every mapping in the config, by path."""
    if isinstance(cfg, dict):
        yield path
        for k, v in cfg.items():
            yield from _mappings(v, (*path, k))
    elif isinstance(cfg, list):
        for i, v in enumerate(cfg):
            yield from _mappings(v, (*path, i))


def _leaves(cfg, path: tuple = ()):
    if isinstance(cfg, dict):
        for k, v in cfg.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(cfg, list) and cfg and not all(isinstance(v, str | int | float | bool) for v in cfg):
        for i, v in enumerate(cfg):
            yield from _leaves(v, (*path, i))
    else:
        yield path


MAPPINGS = sorted(_mappings(CONFIG), key=str)
LEAVES = sorted(_leaves(CONFIG), key=str)
KEY = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="_-"), min_size=1,
              max_size=12)


def _open_mapping(path: tuple) -> bool:
    """Whether the schema lets this mapping take keys it does not name (the codebook's free parts)."""
    node = SCHEMA
    for k in path:
        if isinstance(k, int):
            node = node.get("items", {})
        else:
            props = node.get("properties", {})
            node = props.get(k) or (node.get("additionalProperties") if isinstance(
                node.get("additionalProperties"), dict) else {})
    return node.get("additionalProperties", True) is not False or not node.get("properties")


@SETTINGS
@given(where=st.sampled_from(MAPPINGS), key=KEY)
def test_an_unknown_key_anywhere(project: Path, capsys: pytest.CaptureFixture, where: tuple, key: str) -> None:
    cfg = yaml.safe_load(TEXT)
    target = _get(cfg, where)
    assume(key not in target and not _open_mapping(where))
    target[key] = "surprise"
    text = _dump(cfg)
    line, message = _cli(project, text, capsys)
    assert f"unknown key {key!r}" in message
    own = text.splitlines()[line - 1].lstrip(" -")
    assert re.match(rf"""['"]?{re.escape(key)}['"]?:""", own), (key, line, own)  # the key's own line


@SETTINGS
@given(where=st.sampled_from(LEAVES), value=st.one_of(
    st.just({"a": 1}), st.just([{"b": 2}]), st.just("not a number"), st.just(-7), st.just(True), st.just(None)))
def test_a_value_of_the_wrong_type_anywhere(project: Path, capsys: pytest.CaptureFixture, where: tuple,
                                            value: object) -> None:
    cfg = yaml.safe_load(TEXT)
    parent = _get(cfg, where[:-1])
    parent[where[-1]] = value
    assume(not jsonschema.Draft202012Validator(SCHEMA).is_valid(cfg))  # the schema (the contract) says wrong
    text = _dump(cfg)
    line, message = _cli(project, text, capsys)
    # The line of the bad value, or of the section holding it (a check across fields names the section).
    lines = text.splitlines()
    assert 1 <= line <= len(lines) and message, message


def test_the_command_itself_exits_2_with_one_line_and_runs_nothing(project: Path) -> None:
    (project / "config" / "config.yaml").write_text(TEXT.replace("  adjudicator: C\n", "  adjudicator: 7\n"),
                                                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "reviewflow.cli", "-C", str(project), "demo"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{project / 'config' / 'config.yaml'}:{_line_of(TEXT, 'adjudicator: C')}: ")
    assert not (project / "results").exists() and not (project / ".snakemake").exists()
