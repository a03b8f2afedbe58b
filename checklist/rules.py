"""Risk-rule conditions in the AWS custom-lens form: choice ids with ``&&``, ``||``, ``!`` and parentheses.

Parsed once into a small tree and evaluated over the set of selected choice ids. ``!`` binds tightest,
then ``&&``, then ``||``, as in the languages the form borrows from. Standard library only.

A workload's scope can leave practices out; a rule is then evaluated over the practices in scope only
(:meth:`holds_in_scope`). An out-of-scope practice is *neutral*: it is dropped from an ``&&`` (it cannot be
missing) and from an ``||`` (it cannot earn the alternative), ``!`` of it is neutral, a node whose operands
are all neutral is neutral, and a rule whose whole condition is neutral does not hold. So a rule never
rewards a practice the workload does not have, and ``default`` still always holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

DEFAULT = "default"
_TOKEN = re.compile(r"\s*(?:(?P<op>&&|\|\||!|\(|\))|(?P<id>[A-Za-z0-9_]+)|(?P<bad>\S))")


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message says where."""


class _Node:
    def scoped(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool | None:
        """Whether it holds over the practices in scope only; ``None`` if it is neutral (see above)."""
        raise NotImplementedError

    def holds_in_scope(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool:
        """Whether the rule holds for ``selected`` when the ``out_of_scope`` practices are neutral."""
        return self.scoped(selected, out_of_scope) is True


@dataclass(frozen=True)
class Choice(_Node):
    id: str

    def holds(self, selected: frozenset[str]) -> bool:
        return self.id in selected

    def scoped(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool | None:
        return None if self.id in out_of_scope else self.id in selected

    def ids(self) -> Iterator[str]:
        yield self.id


@dataclass(frozen=True)
class Not(_Node):
    operand: Condition

    def holds(self, selected: frozenset[str]) -> bool:
        return not self.operand.holds(selected)

    def scoped(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool | None:
        inner = self.operand.scoped(selected, out_of_scope)
        return None if inner is None else not inner

    def ids(self) -> Iterator[str]:
        yield from self.operand.ids()


@dataclass(frozen=True)
class _Group(_Node):
    operands: tuple[Condition, ...]

    def ids(self) -> Iterator[str]:
        for operand in self.operands:
            yield from operand.ids()

    def scoped(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool | None:
        # Over the operands that are not neutral (all of them for &&, one for ||); neutral if none is left.
        values = [value for o in self.operands if (value := o.scoped(selected, out_of_scope)) is not None]
        if not values:
            return None
        return all(values) if isinstance(self, All) else any(values)


@dataclass(frozen=True)
class All(_Group):
    def holds(self, selected: frozenset[str]) -> bool:
        return all(o.holds(selected) for o in self.operands)


@dataclass(frozen=True)
class Any_(_Group):
    def holds(self, selected: frozenset[str]) -> bool:
        return any(o.holds(selected) for o in self.operands)


@dataclass(frozen=True)
class Always(_Node):
    """The ``default`` condition: always true, so it must come last."""

    def holds(self, selected: frozenset[str]) -> bool:
        return True

    def scoped(self, selected: frozenset[str], out_of_scope: frozenset[str]) -> bool | None:
        return True

    def ids(self) -> Iterator[str]:
        yield from ()


Condition = Choice | Not | All | Any_ | Always


def _tokens(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing white space is left
            break
        kind = match.lastgroup or "bad"
        if kind == "bad":
            raise ConditionError(f"unexpected '{match[kind]}' at character {match.start(kind) + 1}")
        tokens.append((kind, match[kind], match.start(kind) + 1))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ConditionError("the condition ends too early")
        self.index += 1
        return token

    def either(self) -> Condition:
        return self._chain("||", self.both, Any_)

    def both(self) -> Condition:
        return self._chain("&&", self.negation, All)

    def _chain(self, operator: str, operand: Callable[[], Condition], group: type[All | Any_]) -> Condition:
        """``operand (operator operand)*``: one operand as itself, several as ``group``."""
        operands = [operand()]
        while (token := self.peek()) and token[1] == operator:
            self.take()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else group(tuple(operands))

    def negation(self) -> Condition:
        kind, value, where = self.take()
        if value == "!":
            return Not(self.negation())
        if value == "(":
            inner = self.either()
            closing = self.peek()
            if closing is None or closing[1] != ")":
                raise ConditionError(f"the '(' at character {where} is never closed")
            self.take()
            return inner
        if kind == "id":
            if value == DEFAULT:
                raise ConditionError("'default' must stand alone")
            return Choice(value)
        raise ConditionError(f"expected a choice id at character {where}, found '{value}'")


def parse(text: str) -> Condition:
    """Parse a condition; raise :class:`ConditionError` saying what is wrong and where."""
    if text.strip() == DEFAULT:
        return Always()
    parser = _Parser(text)
    if parser.peek() is None:
        raise ConditionError("the condition is empty")
    tree = parser.either()
    extra = parser.peek()
    if extra is not None:
        raise ConditionError(f"unexpected '{extra[1]}' at character {extra[2]}")
    return tree


_NAME = re.compile(r"[A-Za-z0-9_]+")


def rename(text: str, names: Mapping[str, str]) -> str:
    """``text`` with each choice id that ``names`` maps replaced, and the rest (spacing, parentheses)
    exactly as written: a custom lens's conditions name its own choice ids, the KB's may differ."""
    if text.strip() == DEFAULT:
        return text
    return _NAME.sub(lambda match: names.get(match[0], match[0]), text)


def drop(condition: Condition, out_of_scope: frozenset[str]) -> Condition | None:
    """``condition`` with the out-of-scope practices left out, as :meth:`holds_in_scope` reads it: the
    same truth for every selection of the practices in scope; ``None`` if the whole condition is neutral.

    The custom lens of a scoped workload leaves its out-of-scope practices out, so its risk rules are
    rewritten without them."""
    if isinstance(condition, Always):
        return condition
    if isinstance(condition, Choice):
        return None if condition.id in out_of_scope else condition
    if isinstance(condition, Not):
        inner = drop(condition.operand, out_of_scope)
        return None if inner is None else Not(inner)
    kept: list[Condition] = []
    for operand in condition.operands:
        left = drop(operand, out_of_scope)
        if isinstance(left, type(condition)):  # a group left alone in its own kind joins it: a && (b && c)
            kept += left.operands
        elif left is not None:
            kept.append(left)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else type(condition)(tuple(kept))


def to_text(condition: Condition) -> str:
    """The condition written back in the lens form (parentheses only where precedence needs them)."""
    if isinstance(condition, Always):
        return DEFAULT
    if isinstance(condition, Choice):
        return condition.id
    if isinstance(condition, Not):
        inner = to_text(condition.operand)
        return f"!({inner})" if isinstance(condition.operand, All | Any_) else f"!{inner}"
    if isinstance(condition, All):
        return " && ".join(
            f"({to_text(o)})" if isinstance(o, Any_) else to_text(o) for o in condition.operands
        )
    return " || ".join(to_text(o) for o in condition.operands)
