"""How saved answers from older versions keep working: the one place the state format's history lives.

Two kinds of change reach a saved file. The format itself (a new version adds fields): each version has
one upgrade step to the next, applied in turn. And the KB's ids (a practice merged into another, moved
to another question, renamed or no longer asked): the KB records each in ``checklist.moved``, and the
answers follow it. Both return notes that tell the user what moved.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from checklist.knowledge import Checklist, Move, Question

VERSION = 4  # the version this engine writes


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the workload's scope ("About this workload"); a version 1 file had every question."""
    return {**data, "version": 2, "scope": {}}


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds a decision per recommendation and the disagreements a team merge left to resolve."""
    return {**data, "version": 3, "decisions": {}, "disagreements": []}


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 adds what a platform team's review carries: the template a workload's answers came from,
    and the WA Tool's reasons (a reason for a question or practice that does not apply). A version 3 file
    has none of them."""
    return {**data, "version": 4}


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (of a known version) brought to :data:`VERSION`, one step at a time."""
    while data.get("version") in UPGRADES:
        data = UPGRADES[data["version"]](data)
    return data


def follow_decisions(decisions: Any, checklist: Checklist) -> tuple[Any, list[str]]:
    """Decisions are kept by practice id: one whose practice moved goes with it, or is dropped (noted)."""
    if not isinstance(decisions, dict) or not checklist.moved:
        return decisions, []
    result: dict[str, Any] = {}
    notes: list[str] = []
    for choice_id, decision in decisions.items():
        move = _find(checklist.moved, choice_id)
        if move is None:
            result.setdefault(choice_id, decision)
        elif move.to and move.to not in decisions:
            result[move.to] = decision
            notes.append(f"the decision on '{choice_id}' now belongs to '{move.to}'")
        else:
            notes.append(f"dropped the decision on '{choice_id}': {move.why}")
    return result, notes


def _untouched(answers: dict[str, Any], moves: tuple[Move, ...]) -> bool:
    """No answer or tick names a moved id (and no tick is doubled): nothing to follow, so no copy to make.
    The page sends every answer on every change; copying them all each time was most of a request."""
    moved = {move.id for move in moves}
    for question_id, answer in answers.items():
        selected = answer.get("selected") if isinstance(answer, dict) else None
        if question_id in moved or not isinstance(selected, list):
            return False
        if not all(isinstance(tick, str) for tick in selected) or len(set(selected)) != len(selected):
            return False
        if moved.intersection(selected):
            return False
        marked = answer.get("choices")
        if marked is not None and (not isinstance(marked, dict) or moved.intersection(marked)):
            return False
    return True


def _find(moves: tuple[Move, ...], ident: str) -> Move | None:
    return next((move for move in moves if move.id == ident), None)


def follow_moves(answers: Any, checklist: Checklist) -> tuple[Any, list[str]]:
    """The answers with retired question and choice ids replaced by what replaced them, and the notes.

    A tick on a practice that moved to another question is carried there (that question's "None of
    these", if ticked, wins and the tick is dropped with a note); a tick on a practice no longer asked is
    dropped with a note. Anything that is not a mapping of answers is returned as it is, for the parser to
    report.
    """
    if not isinstance(answers, dict) or not checklist.moved or _untouched(answers, checklist.moved):
        return answers, []
    moves = checklist.moved
    owner = {choice.id: question for question in checklist.questions for choice in question.choices}
    titles = {question.id: question.title for question in checklist.questions}
    result = copy.deepcopy(answers)
    notes: list[str] = []
    for question_id in list(result):
        move = _find(moves, question_id)
        if move is None:
            continue
        answer = result.pop(question_id)
        if move.to in titles and move.to not in result:
            result[move.to] = answer
            notes.append(f"question '{question_id}' is now '{titles[move.to]}': its answer moved there")
        elif move.to in titles:
            notes.append(
                f"question '{question_id}' is now '{titles[move.to]}', which the file answers too: kept that"
            )
        else:
            notes.append(f"question '{question_id}' is no longer asked ({move.why}); its answer was dropped")
    for question_id, answer in list(result.items()):
        selected = answer.get("selected") if isinstance(answer, dict) else None
        if not isinstance(selected, list):
            continue
        kept = []
        for choice_id in selected:
            move = _find(moves, choice_id) if isinstance(choice_id, str) else None
            if move is None:
                kept.append(choice_id)
                continue
            target = owner.get(move.to)
            if target is None:
                notes.append(f"'{choice_id}' is no longer asked ({move.why}); its tick was dropped")
            elif target.id == question_id:
                kept.append(move.to)
                notes.append(f"'{choice_id}' is now '{move.to}' in the same question")
            else:
                there = result.setdefault(target.id, {"selected": []})
                ticks = there.setdefault("selected", []) if isinstance(there, dict) else None
                if not isinstance(ticks, list):
                    kept.append(choice_id)  # the target's answer is malformed: the parser will say so
                elif target.none_choice in ticks:
                    notes.append(
                        f"'{choice_id}' moved to '{target.title}', where \"None of these\" is ticked: "
                        "its tick was dropped; review that question"
                    )
                elif move.to not in ticks:
                    ticks.append(move.to)
                    notes.append(
                        f"'{choice_id}' moved to the question '{target.title}'; its tick went with it"
                    )
        answer["selected"] = list(dict.fromkeys(kept))
    for question_id, answer in list(result.items()):
        marked = answer.get("choices") if isinstance(answer, dict) else None
        if isinstance(marked, dict):
            answer["choices"] = _follow_marks(question_id, marked, moves, owner, result, notes)
    return result, notes


def _follow_marks(
    question_id: str,
    marked: dict[str, Any],
    moves: tuple[Move, ...],
    owner: dict[str, Question],
    result: dict[str, Any],
    notes: list[str],
) -> dict[str, Any]:
    """A question's per-practice statuses (not applicable, notes) with moved practice ids followed, as
    ticks are: renamed in place, carried to the question the practice moved to, or dropped with a note."""
    kept: dict[str, Any] = {}
    for choice_id, entry in marked.items():
        move = _find(moves, choice_id)
        if move is None:
            kept.setdefault(choice_id, entry)
            continue
        target = owner.get(move.to)
        if target is None:
            notes.append(f"'{choice_id}' is no longer asked ({move.why}); what it was marked was dropped")
        elif target.id == question_id:
            here = result.get(question_id)
            ticks = here.get("selected") if isinstance(here, dict) else None
            if (
                isinstance(ticks, list)
                and move.to in ticks
                and isinstance(entry, dict)
                and entry.get("status")
            ):
                notes.append(
                    f"'{choice_id}' is now '{move.to}' in the same question, which is ticked: the tick wins "
                    "over its not-applicable mark"
                )
            elif move.to in marked or move.to in kept:
                notes.append(
                    f"'{choice_id}' is now '{move.to}' in the same question, which has a mark of its own: "
                    f"what '{choice_id}' was marked was dropped"
                )
            else:
                kept[move.to] = entry
                notes.append(f"'{choice_id}' is now '{move.to}' in the same question; its mark went with it")
        else:
            there = result.setdefault(target.id, {"selected": []})
            ticks = there.get("selected") if isinstance(there, dict) else None
            others = there.setdefault("choices", {}) if isinstance(there, dict) else None
            if not isinstance(others, dict) or not isinstance(ticks, list):
                kept[choice_id] = entry  # the target's answer is malformed: the parser will say so
            elif target.none_choice in ticks:
                notes.append(
                    f"'{choice_id}' moved to '{target.title}', where \"None of these\" is ticked: what it "
                    "was marked was dropped; review that question"
                )
            elif move.to in ticks and isinstance(entry, dict) and entry.get("status"):
                notes.append(
                    f"'{choice_id}' moved to '{target.title}', where it is ticked: the tick wins over its "
                    "not-applicable mark"
                )
            elif move.to not in others:
                others[move.to] = entry
                notes.append(f"'{choice_id}' moved to the question '{target.title}'; its mark went with it")
            else:
                notes.append(
                    f"'{choice_id}' moved to the question '{target.title}', where '{move.to}' has a mark of "
                    f"its own: what '{choice_id}' was marked was dropped"
                )
    return kept
