"""Round trip with the AWS Well-Architected Tool: a script that sends a state's answers to a workload that
uses the checklist's custom lens, and the tool's answers read back as a state file.

The engine does no I/O and holds no credentials, so the way there is a POSIX sh script of AWS CLI calls
(one ``update-answer`` per answered question, then ``create-milestone``) that the user reads and runs.
Each call carries all the tool keeps on an answer: the selected choices, whether the question applies
and why not (its reason code), its notes, and per practice (``ChoiceUpdates``) a status of not
applicable with its reason, and notes.
A checklist of several AWS lenses is several custom lenses in the tool: each call names the ARN of its
question's lens, and the tool's answers for each lens review are read back into one state (question ids
are unique across the KB's lenses, so the state file needs no lens of its own).
Every value in it is single-quoted, and what people wrote (notes, the milestone's name) is passed so the
AWS CLI takes it as text, never as an option or a file to read. The way back reads what
``aws wellarchitected list-answers`` or ``get-answer`` printed; ids that are not this checklist's are
refused, every one named, and nothing is guessed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from checklist import bounded, lens, reasons
from checklist.errors import InputError, json_kind
from checklist.knowledge import NONE_TITLE, KnowledgeBase, Question
from checklist.state import Answer, ChoiceAnswer, State
from checklist.text import fold, plural

DEFAULT_MILESTONE = "Checklist import"
NOTES_LIMIT = 2084  # UpdateAnswer's Notes: at most 2,084 characters
CHOICE_NOTES_LIMIT = reasons.CHOICE_NOTES_LIMIT  # a ChoiceUpdate's Notes: at most 250
# A ChoiceUpdate's Status, and the ChoiceAnswers' of get-answer and list-answers.
SELECTED, NOT_APPLICABLE, UNSELECTED = "SELECTED", "NOT_APPLICABLE", "UNSELECTED"
MILESTONE_LENGTH = (3, 100)  # CreateMilestone's MilestoneName
LENS_ALIAS_LIMIT = 128  # UpdateAnswer's LensAlias (a custom lens's ARN)
# The API's Reason values (checklist.reasons): a question marked not applicable with no reason has this one.
NOT_APPLICABLE_REASON = reasons.DEFAULT
# The AWS CLI replaces a parameter value that starts with one of these by that file's or URL's content
# (URLs in version 1 only). Notes that start so are sent in --cli-input-json, whose content it leaves be.
CLI_LOADED_PREFIXES = ("file://", "fileb://", "http://", "https://")

_WORKLOAD_ID = re.compile(r"^[0-9a-f]{32}$")
_PARTITION = re.compile(r"^aws(-[a-z]+)*$")
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+$")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
_LENS_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_ARN_SHAPE = "arn:aws:wellarchitected:REGION:ACCOUNT:lens/ID"


class WaToolError(InputError):
    """Arguments for the WA Tool script, or the tool's answers, that the checklist cannot use."""


def quote(value: str) -> str:
    """``value`` as one sh word: single quotes, where nothing is special; a ``'`` becomes ``'\\''``."""
    return "'" + value.replace("'", "'\\''") + "'"


_utf16_length = reasons.utf16_length


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-16 units, made of whole characters."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[:index]
    return text


def _clean(text: str) -> str:
    """Text a command line can carry: no NUL (an argument ends at one), no lone surrogate (no encoding)."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text if c != "\0")


def _workload_problems(workload_id: str) -> list[str]:
    if _WORKLOAD_ID.match(workload_id):
        return []
    where = f"--workload-id {workload_id!r}"
    if workload_id.startswith("arn:") and ":workload/" in workload_id:
        return [
            f"{where} is a workload ARN; pass the id after 'workload/' ({workload_id.rpartition('/')[2]})"
        ]
    found = []
    if len(workload_id) != 32:
        found.append(f"{where} has {plural(len(workload_id), 'character')}; a workload id has 32")
    wrong = sorted({c for c in workload_id if c not in "0123456789abcdefABCDEF"})
    if wrong:
        found.append(f"{where} has {', '.join(map(repr, wrong))}: a workload id has only 0-9 and a-f")
    if any(c in "ABCDEF" for c in workload_id):
        found.append(f"{where} has upper-case letters; workload ids are lower case")
    return found


def _lens_problems(lens_arn: str, lens_id: str = "") -> list[str]:
    where = f"--lens-arn {lens_id + '=' if lens_id else ''}{lens_arn!r}"
    parts = lens_arn.split(":")
    if len(parts) != 6 or parts[0] != "arn":
        return [f"{where} is not a lens ARN: a custom lens ARN looks like {_ARN_SHAPE}"]
    _, partition, service, region, account, resource = parts
    if service != "wellarchitected":
        return [f"{where} is an ARN of {service!r}, not of a lens: a custom lens ARN looks like {_ARN_SHAPE}"]
    found = []
    if not _PARTITION.match(partition):
        found.append(
            f"{where}: the partition {partition!r} is not an AWS partition (aws, aws-cn, aws-us-gov)"
        )
    if not _REGION.match(region):
        found.append(f"{where}: the Region {region!r} is not a Region code such as us-east-1")
    if not account and resource.startswith("lens/"):
        found.append(
            f"{where} has no account: it names an AWS official lens; this checklist is a custom lens "
            "(import the file from `python -m sitebuilder.cli lens -o custom-lens.json`, or `lens -o FOLDER` for a checklist of several lenses, and pass the ARN the tool gives it)"
        )
    elif not _ACCOUNT.match(account):
        found.append(f"{where}: the account {account!r} is not a 12-digit AWS account id")
    kind, _, lens_id = resource.partition("/")
    if kind != "lens":
        found.append(f"{where}: the resource is {resource!r}; a lens ARN ends in lens/ID")
    elif not _LENS_ID.match(lens_id):
        found.append(f"{where}: the lens id {lens_id!r} must be letters, digits, _ and - (lens/ID)")
    if len(lens_arn) > LENS_ALIAS_LIMIT:
        found.append(f"{where} has {len(lens_arn)} characters; the API takes at most {LENS_ALIAS_LIMIT}")
    return found


def _milestone_problems(milestone: str) -> list[str]:
    low, high = MILESTONE_LENGTH
    length = _utf16_length(milestone)
    where = f"--milestone {milestone!r}"
    found = []
    if not low <= length <= high:
        found.append(f"{where} has {plural(length, 'character')}; a milestone name has {low} to {high}")
    for prefix in CLI_LOADED_PREFIXES:
        if milestone.startswith(prefix):
            found.append(
                f"{where} starts with {prefix}, which makes the AWS CLI read that file or URL instead"
            )
    if "\0" in milestone or _clean(milestone) != milestone:
        found.append(f"{where} has a NUL character or bytes that are not text, which the API cannot take")
    return found


def lens_arns(kb: KnowledgeBase, values: Sequence[str]) -> str | dict[str, str]:
    """The ``--lens-arn`` values: one bare ARN (a checklist of one lens, as always), or ``LENS_ID=ARN``
    each, by lens id. Raise :class:`WaToolError` naming every value that is neither."""
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    known = [aws_lens.id for aws_lens in lens.lenses(kb)]
    found: dict[str, str] = {}
    problems = []
    for value in values:
        lens_id, equals, arn = value.partition("=")
        if not equals:
            problems.append(
                f"--lens-arn {value!r}: with several ARNs, name each one's lens: --lens-arn LENS_ID=ARN "
                f"(this checklist's lenses: {', '.join(known)})"
            )
        elif lens_id not in known:
            problems.append(
                f"--lens-arn {value!r}: {lens_id!r} is not a lens of this checklist; its lenses: "
                + ", ".join(known)
            )
        elif lens_id in found:
            problems.append(f"--lens-arn {value!r}: the lens {lens_id} is given twice")
        else:
            found[lens_id] = arn
    if problems:
        raise WaToolError(problems)
    return found


def check_target(
    workload_id: str, lens_arn: str | Mapping[str, str], milestone: str = DEFAULT_MILESTONE
) -> list[str]:
    """Every problem with where the script sends the answers, one sentence each ([] when none).
    ``lens_arn`` is the lens's ARN, or each lens's by its id."""
    if isinstance(lens_arn, str):
        return _workload_problems(workload_id) + _lens_problems(lens_arn) + _milestone_problems(milestone)
    found = [problem for lens_id, arn in lens_arn.items() for problem in _lens_problems(arn, lens_id)]
    regions = sorted({arn.split(":")[3] for arn in lens_arn.values() if arn.count(":") == 5})
    if not found and len(regions) > 1:
        found.append(
            f"--lens-arn: the lenses are in different Regions ({', '.join(regions)}); a workload and the "
            "lenses it uses are in one Region"
        )
    if len(set(lens_arn.values())) < len(lens_arn):
        found.append(
            "--lens-arn: two lenses have the same ARN; each lens is imported into the tool on its own"
        )
    return _workload_problems(workload_id) + found + _milestone_problems(milestone)


def _comment(text: str) -> str:
    """KB text on one comment line: a line break there would end the comment."""
    return "".join(c for c in fold(text) if c >= " ")


def _targets(kb: KnowledgeBase, lens_arn: str | Mapping[str, str]) -> list[tuple[str | None, str]]:
    """(lens id to build, its ARN) per lens the script may send to: the whole checklist for a KB of one
    lens; each named lens for a KB of several (a bare ARN cannot say which of its lenses it is)."""
    several = lens.several(kb)
    if isinstance(lens_arn, str):
        if several:
            raise WaToolError(
                [
                    f"--lens-arn {lens_arn!r}: this checklist has several lenses, one custom lens each in the "
                    "tool: name each ARN's lens, "
                    + " ".join(f"--lens-arn {aws_lens.id}=ARN" for aws_lens in lens.lenses(kb))
                ]
            )
        return [(None, lens_arn)]
    known = [aws_lens.id for aws_lens in lens.lenses(kb)]
    unknown = [lens_id for lens_id in lens_arn if lens_id not in known]
    if unknown or not lens_arn:
        raise WaToolError(
            [
                f"--lens-arn: {', '.join(map(repr, unknown)) or 'no lens'}: this checklist's lenses are {', '.join(known)}"
            ]
        )
    if not several:
        return [(None, arn) for arn in lens_arn.values()]
    return [(aws_lens.id, lens_arn.get(aws_lens.id, "")) for aws_lens in lens.lenses(kb)]


def script(
    kb: KnowledgeBase,
    state: State,
    workload_id: str,
    lens_arn: str | Mapping[str, str],
    milestone: str = DEFAULT_MILESTONE,
) -> str:
    """The sh script that sends ``state``'s answers to the workload, then creates a milestone.

    Only the ids of the lens exported for this state (``python -m checklist lens --state``: questions and
    practices out of the workload's scope are left out) are used; they are the lens's own ids, which a lens
    exported for the whole checklist has too (a choice's ``lens_id``, scoped to its question). For a KB
    of several lenses, ``lens_arn`` maps each lens id to its ARN; each question's answer goes to its lens's,
    and a lens the state answers needs one."""
    problems = check_target(workload_id, lens_arn, milestone)
    if problems:
        raise WaToolError(problems)
    targets = _targets(kb, lens_arn)
    calls: list[str] = []
    not_applicable = practices = 0
    missing: list[str] = []
    for lens_id, arn in targets:
        sent = len(calls)
        questions, marked = _calls(kb, state, workload_id, lens_id, arn, calls)
        not_applicable, practices = not_applicable + questions, practices + marked
        if sent < len(calls) and not arn:
            assert lens_id is not None  # a KB of one lens has its one ARN
            name = kb.aws_lens(lens_id).name
            missing.append(
                f"the state answers {plural(len(calls) - sent, 'question')} of the {name}: pass its ARN too, "
                f"--lens-arn {lens_id}=ARN (the ARN the tool gave its imported custom lens)"
            )
    if missing:
        raise WaToolError(missing)
    if not calls:
        raise WaToolError(["the state answers no question of the lens: there is nothing to send"])
    answered = plural(len(calls), "answer")
    named = [(lens_id, arn) for lens_id, arn in targets if arn]
    region = named[0][1].split(":")[3]  # check_target: every lens is in one Region
    if len(targets) == 1:
        uses = [
            "# wellarchitected:CreateMilestone, and a workload that uses the checklist's custom lens (the file",
            "# from `python -m sitebuilder.cli lens`, imported into the tool and added to the workload).",
        ]
        lenses = [f"# Lens: {targets[0][1]}"]
    else:
        uses = [
            "# wellarchitected:CreateMilestone, and a workload that uses the checklist's custom lenses (the",
            "# files from `python -m sitebuilder.cli lens -o FOLDER`, each imported into the tool and added to",
            "# the workload).",
        ]
        lenses = [f"# Lens {lens_id}: {arn}" for lens_id, arn in named]
    header = [
        "#!/bin/sh",
        f"# Sends the answers of a {fold(kb.site.title)} checklist to a workload in the AWS",
        "# Well-Architected Tool, then saves them as a milestone. Written by `python -m checklist wa-tool script`.",
        "#",
        "# Needs the AWS CLI v2 (`aws`) with credentials allowed to call wellarchitected:UpdateAnswer and",
        *uses,
        "# Each update-answer call replaces the choices selected for one question in the tool, so the",
        "# calls can be run again. The script stops at the first call that fails; the answers sent before",
        "# it stay. A milestone's name must be new to the workload.",
        "# A practice marked not applicable (with its reason) or given notes goes in --choice-updates. The API",
        "# says nothing of a status the tool held before and this state no longer sets: check there a",
        "# practice once marked not applicable there.",
        "#",
        f"# Workload: {workload_id}",
        *lenses,
        f"# {answered} ({not_applicable} not applicable"
        + (f"; {plural(practices, 'practice')} marked not applicable" if practices else "")
        + "), then the milestone.",
        "set -eu",
    ]
    milestone_call = (
        "# The milestone: a snapshot of the workload with these answers.\n"
        f"aws wellarchitected create-milestone --region {quote(region)} \\\n"
        f"  --workload-id {quote(workload_id)} --milestone-name={quote(milestone)}"
    )
    return "\n\n".join(["\n".join(header), *calls, milestone_call]) + "\n"


def _calls(
    kb: KnowledgeBase, state: State, workload_id: str, lens_id: str | None, lens_arn: str, calls: list[str]
) -> tuple[int, int]:
    """Append the update-answer calls of one lens's answered questions to ``calls``; how many of them say
    not applicable, and how many practices they mark so."""
    region = lens_arn.split(":")[3] if lens_arn else ""
    not_applicable = practices = 0
    for pillar in lens.build(kb, state, lens_id)["pillars"]:
        for question in pillar["questions"]:
            answer = state.answer(question["id"])
            to_lens = _lens_ids(kb, question["id"])
            chosen = {to_lens.get(c, c) for c in answer.selected}
            selected = [c["id"] for c in question["choices"] if c["id"] in chosen]
            marks = {to_lens.get(c, c): mark for c, mark in answer.choices.items()}
            updates = _choice_updates(question["choices"], chosen, marks)
            if not (selected or answer.not_applicable or updates):
                continue
            lines = [f"# {question['id']}: {_comment(question['title'])}"]
            words = [
                f"aws wellarchitected update-answer --region {quote(region)}",
                f"--workload-id {quote(workload_id)} --lens-alias {quote(lens_arn)}",
                f"--question-id {quote(question['id'])}",
            ]
            if selected:
                words.append("--selected-choices " + " ".join(map(quote, selected)))
            if updates:
                practices += sum(1 for update in updates.values() if update["Status"] == NOT_APPLICABLE)
                if any(len(note) < len(_clean(marks[c].notes)) for c, note in _choice_notes(updates)):
                    lines.append(
                        f"# A practice's notes are cut to the API's {CHOICE_NOTES_LIMIT} characters."
                    )
                # JSON, as the AWS CLI takes a map: it starts with "{", so it is never read as an option or
                # a file, and the notes in it are JSON strings.
                words.append(f"--choice-updates={quote(json.dumps(updates, ensure_ascii=False))}")
            if answer.not_applicable:
                not_applicable += 1
                words.append(f"--no-is-applicable --reason {quote(answer.not_applicable_reason)}")
            else:
                words.append("--is-applicable")
            notes = _clean(answer.notes)
            if _utf16_length(notes) > NOTES_LIMIT:
                notes = _cut(notes, NOTES_LIMIT)
                lines.append(f"# The notes are cut to the API's {NOTES_LIMIT:,} characters.")
            if notes.startswith(CLI_LOADED_PREFIXES):
                # The AWS CLI would read the file or URL the notes name; in JSON they stay text.
                body = json.dumps({"Notes": notes}, ensure_ascii=False)
                words.append(f"--cli-input-json {quote(body)}")
            elif notes:
                # "--notes=" keeps notes that start with "-" (or are "--") from being read as an option.
                words.append(f"--notes={quote(notes)}")
            lines.append(" \\\n  ".join(words))
            calls.append("\n".join(lines))
    return not_applicable, practices


def _choice_updates(
    choices: Sequence[Mapping[str, Any]], chosen: set[str], marks: Mapping[str, ChoiceAnswer]
) -> dict[str, dict[str, str]]:
    """UpdateAnswer's ChoiceUpdates for the practices the state marks (by lens choice id, in the lens's
    order): not applicable with its reason code, or the status the tick gives, with the practice's notes
    (cut to the API's 250 characters)."""
    updates: dict[str, dict[str, str]] = {}
    for choice in choices:
        mark = marks.get(choice["id"])
        if mark is None:
            continue
        if mark.not_applicable:
            update = {"Status": NOT_APPLICABLE, "Reason": mark.reason}
        else:
            update = {"Status": SELECTED if choice["id"] in chosen else UNSELECTED}
        notes = _cut(_clean(mark.notes), CHOICE_NOTES_LIMIT)
        if notes:
            update["Notes"] = notes
        updates[choice["id"]] = update
    return updates


def _choice_notes(updates: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str]]:
    return [(c, update["Notes"]) for c, update in updates.items() if "Notes" in update]


def _lens_ids(kb: KnowledgeBase, question_id: str) -> dict[str, str]:
    """A question's choice ids in the KB -> in the lens, where they differ (a lens may repeat a choice id
    across questions; the KB's are unique)."""
    assert kb.checklist is not None
    question = kb.checklist.question(question_id)
    return {c.id: c.lens_choice_id for c in question.choices if c.lens_choice_id}


def _strings(value: object, where: str, problems: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{where}: must be a list of choice ids, not {json_kind(value)}")
        return []
    return list(value)


Read = tuple[dict[str, Answer], list[str], list[str]]  # answers by question id, problems, warnings


def read_answers(kb: KnowledgeBase, data: object) -> State:
    """A state with the answers of the tool's ``list-answers`` or ``get-answer`` output for our lens, or
    of a list of such outputs (one per lens review of a checklist of several lenses), merged.

    Raise :class:`WaToolError` naming every question and choice id that is not this checklist's."""
    if kb.checklist is None:
        raise WaToolError(["the knowledge base has no checklist"])
    answers, problems, warnings = _read_any(kb, data)
    if problems:
        raise WaToolError(problems)
    return State(answers=answers, warnings=tuple(warnings))


def _read_any(kb: KnowledgeBase, data: object) -> Read:
    """One output, or a list of them (each located by its index)."""
    if isinstance(data, list):
        return _merge(kb, [(f"[{index}]", item) for index, item in enumerate(data)])
    return _read_one(kb, data)


def _merge(kb: KnowledgeBase, named: Sequence[tuple[str, object]]) -> Read:
    """The answers of several outputs, each problem and warning prefixed by its output's name; a question
    answered in two of them is refused (question ids are unique across the checklist's lenses)."""
    if not named:
        return {}, ["an empty list: it holds no list-answers or get-answer output (one per lens review)"], []
    answers: dict[str, Answer] = {}
    source: dict[str, str] = {}
    problems: list[str] = []
    warnings: list[str] = []
    for name, data in named:
        read, found, warned = _read_one(kb, data)
        problems += [f"{name}: {problem}" for problem in found]
        warnings += [f"{name}: {warning}" for warning in warned]
        for question_id, answer in read.items():
            if question_id in source:
                problems.append(
                    f"{name}: the question {question_id!r} is also answered in {source[question_id]}"
                )
            else:
                answers[question_id], source[question_id] = answer, name
    return answers, problems, warnings


def _read_one(kb: KnowledgeBase, data: object) -> Read:
    """The answers, problems and warnings of one list-answers or get-answer output."""
    checklist = kb.checklist
    assert checklist is not None  # read_answers checked
    if isinstance(data, dict) and "QuestionId" in data:
        return {}, ["one answer, not an output: pass all that list-answers or get-answer printed"], []
    if not isinstance(data, dict) or not ("AnswerSummaries" in data or "Answer" in data):
        return (
            {},
            [
                "not the output of `aws wellarchitected list-answers` (an object with AnswerSummaries) "
                f"or `get-answer` (an object with Answer), nor a list of them: got {json_kind(data)}"
                + (f" with {', '.join(map(repr, list(data)[:5]))}" if isinstance(data, dict) and data else "")
            ],
            [],
        )
    listed = "AnswerSummaries" in data
    items = data["AnswerSummaries"] if listed else [data["Answer"]]
    if not isinstance(items, list):
        return {}, [f"AnswerSummaries: must be a list, not {json_kind(items)}"], []
    questions = {q.id: q for q in checklist.questions}
    problems: list[str] = []
    unknown_questions: list[str] = []
    answers: dict[str, Answer] = {}
    for index, item in enumerate(items):
        where = f"AnswerSummaries[{index}]" if listed else "Answer"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be an object, not {json_kind(item)}")
            continue
        question_id = item.get("QuestionId")
        if not isinstance(question_id, str):
            problems.append(f"{where}.QuestionId: must be a question id, not {json_kind(question_id)}")
            continue
        question = questions.get(question_id)
        if question is None:
            unknown_questions.append(question_id)
            problems.append(f"{where}: the question {question_id!r} is not in this checklist")
            continue
        if question_id in answers:
            problems.append(f"{where}: the question {question_id!r} is listed twice")
            continue
        where = f"{where} ({question_id})"
        # The tool names choices by their lens ids; the state keeps the KB's.
        ours = {c.lens_id: c.id for c in question.choices} | {question.none_choice: question.none_choice}
        offered = item.get("Choices", [])
        if not isinstance(offered, list) or not all(
            isinstance(c, dict) and isinstance(c.get("ChoiceId"), str) for c in offered
        ):
            problems.append(f"{where}.Choices: must be a list of objects with a ChoiceId")
            offered = []
        selected = _strings(item.get("SelectedChoices", []), f"{where}.SelectedChoices", problems)
        field = "ChoiceAnswerSummaries" if listed else "ChoiceAnswers"
        marked = item.get(field, [])
        ids = [c.get("ChoiceId") for c in marked if isinstance(c, dict)] if isinstance(marked, list) else []
        every = [*(c["ChoiceId"] for c in offered), *selected, *(c for c in ids if isinstance(c, str))]
        unknown = [c for c in dict.fromkeys(every) if c not in ours]
        if unknown:
            problems.append(f"{where}: choices not in this checklist: {', '.join(map(repr, unknown))}")
        if question.none_choice in selected and len(set(selected)) > 1:
            problems.append(
                f"{where}: {question.none_choice!r} ({NONE_TITLE}) is selected with other choices"
            )
        applicable = item.get("IsApplicable", True)
        if not isinstance(applicable, bool):
            problems.append(f"{where}.IsApplicable: must be true or false, not {json_kind(applicable)}")
        notes = item.get("Notes", "")
        if not isinstance(notes, str):
            problems.append(f"{where}.Notes: must be a string, not {json_kind(notes)}")
            notes = ""
        reason = _read_reason(item.get("Reason", "NONE"), f"{where}.Reason", problems)
        marks = _read_choice_answers(question, marked, f"{where}.{field}", ours, problems)
        for choice_id in dict.fromkeys(selected):
            if choice_id in ours and ours[choice_id] in marks and marks[ours[choice_id]].not_applicable:
                problems.append(f"{where}: {choice_id!r} is both selected and NOT_APPLICABLE")
        kept = (ours[c] for c in dict.fromkeys(selected) if c in ours)
        # The question's reason means something only where it is not applicable; the default is not kept.
        reason = reason if applicable is False and reason != reasons.DEFAULT else ""
        answers[question_id] = Answer(tuple(kept), applicable is False, notes, reason, marks)
    if unknown_questions and not answers:
        alias = data.get("LensArn") or data.get("LensAlias")
        named = f" ({alias})" if isinstance(alias, str) and alias else ""
        problems.insert(
            0,
            f"these answers are for another lens{named}: none of their {len(unknown_questions)} "
            "questions is in this checklist",
        )
    warnings = []
    if listed:
        warnings.append(
            "list-answers does not give notes: the state has none (get-answer gives a question's and its "
            "practices')"
        )
    if data.get("NextToken"):
        warnings.append(
            "the list is one page (NextToken is set): answers on later pages are missing; run list-answers "
            "without --max-items or --no-paginate"
        )
    return answers, problems, warnings


def _read_reason(value: object, where: str, problems: list[str]) -> str:
    if isinstance(value, str) and value in reasons.REASONS:
        return value
    problems.append(f"{where}: must be one of {reasons.codes_text()}, not {json.dumps(value)}")
    return reasons.DEFAULT


def _read_choice_answers(
    question: Question, data: object, where: str, ours: Mapping[str, str], problems: list[str]
) -> dict[str, ChoiceAnswer]:
    """The practices get-answer's ChoiceAnswers (or list-answers' ChoiceAnswerSummaries, which have no
    notes) mark not applicable or give notes, by KB id in the question's order."""
    if not isinstance(data, list):
        problems.append(f"{where}: must be a list, not {json_kind(data)}")
        return {}
    found: dict[str, ChoiceAnswer] = {}
    for index, item in enumerate(data):
        at = f"{where}[{index}]"
        choice_id = item.get("ChoiceId") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(choice_id, str):
            problems.append(f"{at}: must be an object with a ChoiceId")
            continue
        if choice_id not in ours:
            continue  # named with the question's other choices that are not this checklist's
        status = item.get("Status", SELECTED)
        if status not in (SELECTED, NOT_APPLICABLE, UNSELECTED):
            problems.append(
                f"{at}.Status: must be {SELECTED}, {NOT_APPLICABLE} or {UNSELECTED}, not {json.dumps(status)}"
            )
            continue
        reason = _read_reason(item.get("Reason", reasons.DEFAULT), f"{at}.Reason", problems)
        notes = item.get("Notes", "")
        if not isinstance(notes, str):
            problems.append(f"{at}.Notes: must be a string, not {json_kind(notes)}")
            notes = ""
        elif _utf16_length(notes) > CHOICE_NOTES_LIMIT:
            problems.append(
                f"{at}.Notes: {_utf16_length(notes):,} characters; a practice's notes have at most "
                f"{CHOICE_NOTES_LIMIT}"
            )
            notes = ""
        if status == NOT_APPLICABLE and ours[choice_id] == question.none_choice:
            problems.append(f"{at}: {choice_id!r} ({NONE_TITLE}) cannot be NOT_APPLICABLE")
        elif ours[choice_id] in found:
            problems.append(f"{at}: the choice {choice_id!r} is listed twice")
        elif status == NOT_APPLICABLE or (notes and ours[choice_id] != question.none_choice):
            found[ours[choice_id]] = ChoiceAnswer(status == NOT_APPLICABLE, reason, notes)
    return {c.id: found[c.id] for c in question.choices if c.id in found}


# What ``aws wellarchitected list-answers`` prints for the largest custom lens is well under this.
AWS_CLI_OUTPUT = bounded.Kind(
    "the AWS CLI's output", 16 * 1024 * 1024, hint=" (run the AWS CLI with --output json)"
)


def read_answers_text(kb: KnowledgeBase, text: str) -> State:
    """Decode and read what the AWS CLI printed (its default output, JSON)."""
    data: Any = bounded.parse(text, AWS_CLI_OUTPUT, WaToolError)
    return read_answers(kb, data)


def read_answer_texts(kb: KnowledgeBase, outputs: Sequence[tuple[str, str]]) -> State:
    """What the AWS CLI printed for each lens review, by file name, merged into one state; every problem
    is prefixed by its file (one file reads exactly as :func:`read_answers_text`, its name added)."""
    if len(outputs) == 1:
        name, text = outputs[0]
        try:
            return read_answers_text(kb, text)
        except WaToolError as error:
            raise WaToolError([f"{name}: {problem}" for problem in error.problems]) from None
    if kb.checklist is None:
        raise WaToolError(["the knowledge base has no checklist"])
    named: list[tuple[str, object]] = []
    problems: list[str] = []
    for name, text in outputs:
        try:
            data = bounded.parse(text, AWS_CLI_OUTPUT, WaToolError)
        except WaToolError as error:
            problems += [f"{name}: {problem}" for problem in error.problems]
            continue
        # A file may hold one output or a list of them.
        named += (
            [(f"{name}: [{i}]", item) for i, item in enumerate(data)]
            if isinstance(data, list)
            else [(name, data)]
        )
    answers, found, warnings = _merge(kb, named)
    if problems or found:
        raise WaToolError(problems + found)
    return State(answers=answers, warnings=tuple(warnings))
