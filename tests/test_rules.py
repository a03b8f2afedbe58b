"""Risk-rule conditions: precedence, parentheses, negation, and the errors a contributor sees."""

from __future__ import annotations

import pytest

from checklist.rules import ConditionError, parse


@pytest.mark.parametrize(
    ("condition", "selected", "holds"),
    [
        ("a", {"a"}, True),
        ("a", set(), False),
        ("a && b", {"a"}, False),
        ("a && b", {"a", "b"}, True),
        ("a || b", {"b"}, True),
        ("!a", set(), True),
        ("!a", {"a"}, False),
        # && binds tighter than ||: a || (b && c)
        ("a || b && c", {"a"}, True),
        ("a || b && c", {"b"}, False),
        # parentheses override it
        ("(a || b) && c", {"a"}, False),
        ("(a || b) && c", {"b", "c"}, True),
        # ! binds tighter than &&: (!a) && b
        ("!a && b", {"b"}, True),
        ("!(a && b)", {"a", "b"}, False),
        ("!!a", {"a"}, True),
        ("((a))", {"a"}, True),
        ("default", set(), True),
        ("  default  ", {"x"}, True),
    ],
)
def test_conditions_evaluate_over_selected_ids(condition: str, selected: set[str], holds: bool) -> None:
    assert parse(condition).holds(frozenset(selected)) is holds


def test_ids_lists_every_choice_named() -> None:
    assert list(parse("a && (b || !c)").ids()) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("", "the condition is empty"),
        ("a &&", "the condition ends too early"),
        ("(a || b", "the '(' at character 1 is never closed"),
        ("a b", "unexpected 'b' at character 3"),
        ("a & b", "unexpected '&' at character 3"),
        ("a )", "unexpected ')' at character 3"),
        ("&& a", "expected a choice id at character 1, found '&&'"),
        ("a && default", "'default' must stand alone"),
    ],
)
def test_syntax_errors_say_where(condition: str, message: str) -> None:
    with pytest.raises(ConditionError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        parse(condition)
