"""The ranker's features kept by content hash: a rerun loads the same matrix and gives the same scores."""

from __future__ import annotations

import numpy as np
import pytest

from reviewflow.screen import priority
from reviewflow.screen.priority import ELAS_U4, Ranker, RankerSettings
from tests.screen.test_priority import corpus


def _texts(rows: list[dict]) -> tuple[list[str], list[str]]:
    return [r["title"] for r in rows], [r["abstract"] for r in rows]


def _same_matrix(a, b) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype == np.float32
    for name in ("indptr", "indices", "data"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name


def test_a_rerun_loads_the_matrix_and_scores_the_same(tmp_path, monkeypatch):
    rows = corpus()
    titles, abstracts = _texts(rows)
    plain = Ranker(titles, abstracts, seed=3)
    first = Ranker(titles, abstracts, seed=3, cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("features-*.npz"))) == 1
    _same_matrix(plain.x, first.x)

    def refuse(*_a, **_k):
        raise AssertionError("built again although the cache holds it")

    monkeypatch.setattr(priority, "_features", refuse)
    again = Ranker(titles, abstracts, seed=3, cache_dir=tmp_path / "cache")
    _same_matrix(plain.x, again.x)
    idx = [0, 1, 2, 3, 4, 5]
    y = [r["label"] for r in rows[:6]]
    if len(set(y)) < 2:
        y[0] = 1 - y[0]
    assert np.array_equal(plain.scores(idx, y), again.scores(idx, y))


def test_other_records_or_settings_do_not_share_a_matrix(tmp_path):
    rows = corpus()
    titles, abstracts = _texts(rows)
    Ranker(titles, abstracts, cache_dir=tmp_path)
    Ranker(titles[:-1], abstracts[:-1], cache_dir=tmp_path)                      # one record fewer
    Ranker(titles, abstracts, settings=ELAS_U4, cache_dir=tmp_path)              # no character block
    edited = list(abstracts)
    edited[7] += " amended"
    Ranker(titles, edited, cache_dir=tmp_path)                                   # one abstract changed
    # At most CACHE_KEEP kept, the most recently used.
    assert len(list(tmp_path.glob("features-*.npz"))) == priority.CACHE_KEEP
    x = Ranker(titles, edited, cache_dir=tmp_path).x
    _same_matrix(x, Ranker(titles, edited).x)


def test_a_broken_cache_file_is_built_again(tmp_path):
    rows = corpus()
    titles, abstracts = _texts(rows)
    Ranker(titles, abstracts, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("features-*.npz")
    cached.write_bytes(cached.read_bytes()[:100])   # cut off
    x = Ranker(titles, abstracts, cache_dir=tmp_path).x
    _same_matrix(x, Ranker(titles, abstracts).x)
    assert len(list(tmp_path.glob("*"))) == 1   # rewritten whole, no temporary file left


@pytest.mark.parametrize("settings", [RankerSettings(title_model=True),
                                      RankerSettings(members=(RankerSettings(), ELAS_U4))])
def test_title_models_and_ensembles_cache_each_matrix(tmp_path, settings):
    rows = corpus()
    titles, abstracts = _texts(rows)
    a = Ranker(titles, abstracts, settings=settings, cache_dir=tmp_path)
    b = Ranker(titles, abstracts, settings=settings, cache_dir=tmp_path)
    idx, y = [0, 1, 2, 3], [1, 0, 1, 0]
    assert np.array_equal(a.scores(idx, y), b.scores(idx, y))
    assert np.array_equal(a.scores(idx, y), Ranker(titles, abstracts, settings=settings).scores(idx, y))
    assert len(list(tmp_path.glob("features-*.npz"))) == 2
