"""fsio.jsonl_lines writes exactly what json.dumps(row, sort_keys=True, ensure_ascii=False) gives."""

from __future__ import annotations

import json
import random

from reviewflow import fsio

# Characters that any escaping rule could treat differently: quotes, backslash, control
# characters, DEL, non-ASCII, line and paragraph separators, astral code points.
_CHARS = 'a Z0"\\/\n\r\t\b\f\x00\x1f\x7f\u00e9\u2028\u2029\ufeff\U0001f600,:{}[]'


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(rng.randrange(0, 12)))


def _value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, -7, 2**40, 1e16, 0.1, 1e-05, float("nan")])
    if kind < 5:
        return _text(rng)
    if kind < 7:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}


def test_lines_equal_json_dumps_on_random_rows() -> None:
    rng = random.Random(17)
    rows = [{_text(rng): _value(rng) for _ in range(rng.randrange(0, 6))} for _ in range(3_000)]
    got = b"".join(fsio.jsonl_lines(rows))
    want = "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    assert got == want
    assert got.count(b"\n") == len(rows)  # every newline in a value is escaped: one line per row
