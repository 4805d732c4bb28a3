"""numbers checks (NUM001-NUM002) against their case table; exact arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetable import load_table, table_tests
from mtclean.api import build_engine
from mtclean.checks.numbers import standard_form
from mtclean.document import Document

TABLE = load_table("numbers.yaml")
ENGINE = build_engine(select=["numbers"])


test_flag, test_pass = table_tests(TABLE, ENGINE)


@pytest.mark.parametrize("value,expected", [
    ("15000", "15,000"), ("1050000", "1.05 million"), ("300000000", "300 million"),
    ("2500000000", "2.5 billion"), ("10070000000", "10.07 billion"), ("2300000000000", "2.3 trillion"),
    ("12345.6", "12,345.6"), ("1234567", "1,234,567"), ("123456700", "123.4567 million"),
    ("999999", "999,999"),
])
def test_standard_form_exact(value, expected):
    assert standard_form(Decimal(value)) == expected


def test_arithmetic_is_exact_for_long_decimals():
    # 0.1 + 0.2 style float error would print 3,000.0000000000005 or similar
    found = ENGINE.check(Document("It cost 0.3 ten thousand yuan and 1.1 hundred million yuan."))
    assert [f.fix.replacement for f in found] == ["3,000", "110 million"]


_UNITS = {"ten thousand": 10**4, "hundred million": 10**8, "ten million": 10**7,
          "hundred thousand": 10**5, "hundred billion": 10**11, "ten billion": 10**10}
_SCALE = {"million": 10**6, "billion": 10**9, "trillion": 10**12}


def _value(written: str) -> Decimal:
    """Read back a standard form ("1.05 million", "15,000")."""
    num, _, unit = written.partition(" ")
    return Decimal(num.replace(",", "")) * _SCALE.get(unit, 1)


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999"), places=3),
       st.sampled_from(sorted(_UNITS)))
def test_fix_keeps_the_value(coef, unit):
    coef_text = format(coef.normalize(), "f")
    text = f"The total was {coef_text} {unit} yuan."
    found = [f for f in ENGINE.check(Document(text)) if f.rule == "NUM001"]
    assert len(found) == 1 and found[0].text == f"{coef_text} {unit}"
    assert _value(found[0].fix.replacement) == Decimal(coef_text) * _UNITS[unit]
