"""Batch JSON: fast where orjson is exact, and nothing lost where only `json` can parse."""

from __future__ import annotations

import json
import math

import pytest

from mtclean.batch import jsonl


@pytest.mark.parametrize("raw", [
    '{"text": "Plain.", "n": 3, "f": 0.1, "nested": {"a": [1, 2, null, true]}}',
    '{"text": "Big.", "n": 123456789012345678901234567890}',
    '{"text": "Odd floats.", "x": NaN, "y": Infinity, "z": -Infinity}',
    '{"text": "Lone \\ud800 surrogate."}',
    '{"text": "Accents é and 𠮷 stay UTF-8."}',
])
def test_round_trip_keeps_every_value(raw):
    back = json.loads(jsonl.dumps_line(jsonl.loads(raw)))
    want = json.loads(raw)
    assert back.keys() == want.keys()
    for key, value in want.items():
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(back[key])
        else:
            assert back[key] == value


def test_lines_are_utf8_and_newline_terminated():
    line = jsonl.dumps_line({"text": "Zürich 北京"})
    assert line.endswith(b"\n") and "Zürich 北京".encode() in line


def test_not_json_raises_value_error_with_jsons_message():
    with pytest.raises(ValueError, match="Expecting"):
        jsonl.loads('{"text": ')
