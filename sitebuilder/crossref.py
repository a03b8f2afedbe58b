"""Rules the JSON Schema cannot express: unique ids, resolvable citations, nothing left unused.

Works on the plain data (as loaded from YAML or JSON) and returns ``(path, message)`` findings;
the caller turns paths into line numbers. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

from checklist import rules
from checklist.knowledge import cells, none_choice_id
from checklist.scales import EFFORTS, IMPACTS
from checklist.text import fold
from sitebuilder.practices import check_practices
from sitebuilder.problems import DataPath, Finding, dotted, walk
from sitebuilder.problems import dicts as _dicts
from sitebuilder.problems import suggest as _suggest

RULE_IMPACTS = ("high", "low")  # the assessment's rules name only the ends of each scale
RULE_EFFORTS = ("low", "high")


def _catalogue(data: dict[str, Any], key: str) -> list[str]:
    entries = data.get(key)
    if not isinstance(entries, list):
        return []
    return [e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]


def check_unique_ids(data: dict[str, Any]) -> list[Finding]:
    """Ids share one namespace across the file: they become anchors and custom-lens ids."""
    seen: dict[str, DataPath] = {}
    findings: list[Finding] = []
    for path, node in walk(data):
        if not (isinstance(node, dict) and isinstance(node.get("id"), str)):
            continue
        if path[:2] == ("checklist", "moved") or "distinct_from" in path:
            continue  # ids that name others (a retired id, a practice it differs from), not new ones
        ident, here = node["id"], (*path, "id")
        if ident in seen:
            findings.append((here, f"id '{ident}' is already used by {dotted(seen[ident])}"))
        else:
            seen[ident] = here
    return findings


def check_links(data: dict[str, Any]) -> list[Finding]:
    """Every ``cites`` names a reference and every ``services`` entry a service; both lists are used."""
    findings: list[Finding] = []
    targets = {"cites": _catalogue(data, "references"), "services": _catalogue(data, "services")}
    used: dict[str, set[str]] = {"cites": set(), "services": set()}
    for path, node in walk(data):
        key = path[-1] if path else None
        if key == "reference" and isinstance(node, str) and not node.startswith("https://"):
            used["cites"].add(node)
            if node not in targets["cites"]:
                findings.append((path, f"unknown reference '{node}'{_suggest(node, targets['cites'])}"))
            continue
        if key not in targets or path == ("services",):
            continue
        if isinstance(node, str):  # a schema error (not a list); still counts as a use
            used[key].add(node)
            continue
        if not isinstance(node, list):
            continue
        known = targets[key]
        kind = "reference" if key == "cites" else "service"
        for index, ident in enumerate(node):
            if not isinstance(ident, str):
                continue
            used[key].add(ident)
            if ident not in known:
                findings.append(((*path, index), f"unknown {kind} '{ident}'{_suggest(ident, known)}"))
    for key, catalogue, field in (("cites", "references", "cites"), ("services", "services", "services")):
        for index, ident in enumerate(_catalogue(data, catalogue)):
            if ident not in used[key]:
                message = f"'{ident}' is not used: list it in the {field} of an item, or remove it"
                findings.append(((catalogue, index, "id"), message))
    return findings


def check_prioritization(data: dict[str, Any]) -> list[Finding]:
    """Each impact x effort pair must fall under exactly one prioritization rule."""
    assessment = data.get("assessment")
    prioritization = assessment.get("prioritization") if isinstance(assessment, dict) else None
    rules = prioritization.get("rules") if isinstance(prioritization, dict) else None
    if not isinstance(rules, list):
        return []
    return _each_pair_once(
        ("assessment", "prioritization", "rules"),
        product(RULE_IMPACTS, RULE_EFFORTS),
        lambda impact, effort: [
            str(rule.get("id", f"#{index}"))
            for index, rule in enumerate(rules)
            if isinstance(rule, dict)
            and rule.get("impact") == impact
            and rule.get("effort") in (effort, "any")
        ],
        ("no rule covers", "matches more than one rule"),
    )


def _each_pair_once(
    path: DataPath,
    pairs: Iterable[tuple[str, str]],
    matching: Callable[[str, str], list[str]],
    wording: tuple[str, str],
) -> list[Finding]:
    """Every impact x effort pair must be taken by exactly one rule (or bucket), named in the finding."""
    findings: list[Finding] = []
    for impact, effort in pairs:
        found = matching(impact, effort)
        if not found:
            findings.append((path, f"{wording[0]} {impact} impact with {effort} effort"))
        elif len(found) > 1:
            names = ", ".join(f"'{m}'" for m in found)
            findings.append((path, f"{impact} impact with {effort} effort {wording[1]}: {names}"))
    return findings


def check_pillars(data: dict[str, Any]) -> list[Finding]:
    """Custom-lens pillar ids must be unique, or the exported lens would be rejected."""
    findings: list[Finding] = []
    seen: set[str] = set()
    pillars = data.get("pillars")
    for index, pillar in enumerate(pillars if isinstance(pillars, list) else []):
        lens_id = pillar.get("lens_pillar_id") if isinstance(pillar, dict) else None
        if isinstance(lens_id, str):
            if lens_id in seen:
                findings.append(
                    (("pillars", index, "lens_pillar_id"), f"'{lens_id}' is used by another pillar")
                )
            seen.add(lens_id)
    return findings


def _pillar_ids(data: dict[str, Any]) -> list[str]:
    return [p["id"] for p in _dicts(data.get("pillars")) if isinstance(p.get("id"), str)]


def check_quizzes(data: dict[str, Any]) -> list[Finding]:
    """Options are distinct, the right number are correct, and every pillar guide gets one quiz."""
    if "quizzes" not in data:
        return []
    findings: list[Finding] = []
    pillars = _pillar_ids(data)
    owners: dict[str, str] = {}
    for q_index, quiz in enumerate(data["quizzes"] if isinstance(data["quizzes"], list) else []):
        if not isinstance(quiz, dict):
            continue
        pillar = quiz.get("pillar")
        if isinstance(pillar, str):
            here: DataPath = ("quizzes", q_index, "pillar")
            if pillar not in pillars:
                findings.append((here, f"unknown pillar '{pillar}'{_suggest(pillar, pillars)}"))
            elif pillar in owners:
                findings.append((here, f"pillar '{pillar}' already has the quiz '{owners[pillar]}'"))
            else:
                owners[pillar] = str(quiz.get("id"))
        for n, question in enumerate(_dicts(quiz.get("questions"))):
            findings.extend(_check_quiz_question(question, ("quizzes", q_index, "questions", n)))
    for index, pillar in enumerate(pillars):
        if pillar not in owners:
            findings.append(
                (("pillars", index, "id"), f"pillar '{pillar}' has no quiz (set `pillar: {pillar}` on one)")
            )
    return findings


def _check_quiz_question(question: dict[str, Any], path: DataPath) -> list[Finding]:
    findings: list[Finding] = []
    options = _dicts(question.get("options"))
    seen: dict[str, int] = {}
    for index, option in enumerate(options):
        text = option.get("text")
        if not isinstance(text, str):
            continue
        key = fold(text).casefold()
        if key in seen:
            findings.append(((*path, "options", index, "text"), f"same text as option {seen[key] + 1}"))
        else:
            seen[key] = index
    correct = sum(1 for option in options if option.get("correct") is True)
    if question.get("multi") is True:
        if correct == 0:
            findings.append(((*path, "options"), "no option is marked `correct: true`"))
    elif correct != 1:
        what = "no option is" if correct == 0 else f"{correct} options are"
        findings.append(
            ((*path, "options"), f"{what} marked `correct: true`; mark exactly one, or set `multi: true`")
        )
    return findings


def check_checklist(data: dict[str, Any]) -> list[Finding]:
    """Questions name real pillars, risk rules parse over their own choices, buckets cover every pair."""
    checklist = data.get("checklist")
    if not isinstance(checklist, dict):
        return []
    findings: list[Finding] = []
    pillars = _pillar_ids(data)
    all_ids = {
        path_node["id"]
        for _, path_node in walk(data)
        if isinstance(path_node, dict) and isinstance(path_node.get("id"), str)
    }
    for index, question in enumerate(_dicts(checklist.get("questions"))):
        path: DataPath = ("checklist", "questions", index)
        pillar = question.get("pillar")
        if isinstance(pillar, str) and pillar not in pillars:
            findings.append(((*path, "pillar"), f"unknown pillar '{pillar}'{_suggest(pillar, pillars)}"))
        qid = question.get("id")
        if not isinstance(qid, str):
            continue
        none_id = none_choice_id(qid)
        if none_id in all_ids:
            findings.append(((*path, "id"), f"'{none_id}' is reserved for this question's \"None of these\""))
        choices = [c["id"] for c in _dicts(question.get("choices")) if isinstance(c.get("id"), str)]
        findings.extend(_check_rules(question.get("risk_rules"), [*choices, none_id], (*path, "risk_rules")))
    findings.extend(_check_buckets(data, checklist.get("buckets")))
    findings.extend(_check_focus(checklist))
    return findings


def _check_focus(checklist: dict[str, Any]) -> list[Finding]:
    """Each question's focus names one of the checklist's focus areas."""
    areas = [str(a.get("id")) for a in _dicts(checklist.get("focus_areas"))]
    findings: list[Finding] = []
    for index, question in enumerate(_dicts(checklist.get("questions"))):
        focus = question.get("focus")
        if isinstance(focus, str) and focus not in areas:
            findings.append(
                (
                    ("checklist", "questions", index, "focus"),
                    f"unknown focus area '{focus}'{_suggest(focus, areas)} (checklist.focus_areas lists them)",
                )
            )
    return findings


def _check_rules(rule_list: Any, choices: list[str], path: DataPath) -> list[Finding]:
    findings: list[Finding] = []
    rule_dicts = _dicts(rule_list)
    for index, rule in enumerate(rule_dicts):
        condition = rule.get("condition")
        if not isinstance(condition, str):
            continue
        here: DataPath = (*path, index, "condition")
        try:
            tree = rules.parse(condition)
        except rules.ConditionError as error:
            findings.append((here, f"cannot parse {condition!r}: {error}"))
            continue
        for ident in dict.fromkeys(tree.ids()):
            if ident not in choices:
                findings.append((here, f"unknown choice '{ident}'{_suggest(ident, choices)}"))
        last = index == len(rule_dicts) - 1
        if isinstance(tree, rules.Always) and not last:
            findings.append((here, "'default' must be the last rule: the rules after it can never apply"))
        if last and not isinstance(tree, rules.Always):
            findings.append((here, "the last rule must be 'default', so every answer gets a risk"))
    return findings


def _bucket_cells(bucket: dict[str, Any], rules_by_id: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """The cells a bucket takes: its assessment rule's, then its declared middle values."""
    taken: list[tuple[str, str]] = []
    rule = rules_by_id.get(str(bucket.get("rule")))
    if rule is not None and isinstance(rule.get("impact"), str) and isinstance(rule.get("effort"), str):
        taken += cells(rule["impact"], rule["effort"])
    for middle in _dicts(bucket.get("middle")):
        if isinstance(middle.get("impact"), str) and isinstance(middle.get("effort"), str):
            taken += cells(middle["impact"], middle["effort"])
    return taken


def _check_buckets(data: dict[str, Any], bucket_list: Any) -> list[Finding]:
    """Buckets apply the assessment's prioritization rules: each rule is one bucket's, and what the rules
    leave open (medium impact or effort) is declared as a bucket's ``middle``; every cell exactly once."""
    assessment = data.get("assessment")
    prioritization = assessment.get("prioritization") if isinstance(assessment, dict) else None
    rule_list = _dicts(prioritization.get("rules")) if isinstance(prioritization, dict) else []
    rules_by_id = {str(r.get("id")): r for r in rule_list}
    buckets = _dicts(bucket_list)
    findings: list[Finding] = []
    owner: dict[str, str] = {}
    for index, bucket in enumerate(buckets):
        here: DataPath = ("checklist", "buckets", index)
        rule = bucket.get("rule")
        if isinstance(rule, str):
            if rule not in rules_by_id:
                known = sorted(rules_by_id)
                findings.append(
                    ((*here, "rule"), f"unknown prioritization rule '{rule}'{_suggest(rule, known)}")
                )
            elif rule in owner:
                findings.append(
                    ((*here, "rule"), f"rule '{rule}' is already applied by bucket '{owner[rule]}'")
                )
            else:
                owner[rule] = str(bucket.get("id"))
        for m_index, middle in enumerate(_dicts(bucket.get("middle"))):
            if "medium" not in (middle.get("impact"), middle.get("effort")):
                findings.append(
                    (
                        (*here, "middle", m_index),
                        "a middle value has medium impact or medium effort; the other cells come from a rule",
                    )
                )
    for rule_id in rules_by_id:
        if rule_id not in owner:
            findings.append(
                (
                    ("checklist", "buckets"),
                    f"no bucket applies the prioritization rule '{rule_id}' (set `rule:`)",
                )
            )
    taken = {str(b.get("id")): _bucket_cells(b, rules_by_id) for b in buckets}
    findings += _each_pair_once(
        ("checklist", "buckets"),
        product(IMPACTS, EFFORTS),
        lambda impact, effort: [
            ident for ident, own in taken.items() for _ in range(own.count((impact, effort)))
        ],
        ("no bucket takes", "falls in more than one bucket"),
    )
    return findings


def cross_check(data: dict[str, Any]) -> list[Finding]:
    """All cross-reference rules, in a stable order."""
    return [
        *check_unique_ids(data),
        *check_links(data),
        *check_prioritization(data),
        *check_pillars(data),
        *check_quizzes(data),
        *check_checklist(data),
        *check_practices(data),
    ]
