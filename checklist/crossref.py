"""Rules the JSON Schema cannot express: unique ids, resolvable citations, nothing left unused.

Works on the plain data (as loaded from YAML or JSON) and returns ``(path, message)`` findings;
the caller turns paths into line numbers. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import product
from typing import Any

from checklist import rules
from checklist.kbproblems import DataPath, Finding, dotted, walk
from checklist.kbproblems import dicts as _dicts
from checklist.kbproblems import suggest as _suggest
from checklist.knowledge import cells, none_choice_id
from checklist.practices import check_practices
from checklist.scales import EFFORTS, IMPACTS
from checklist.text import fold

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
        if path[:1] == ("aws_lenses",):
            continue  # a lens's id is named only by a question's `lens` (its own namespace, no anchor)
        ident, here = node["id"], (*path, "id")
        if ident in seen:
            findings.append((here, f"id '{ident}' is already used by {dotted(seen[ident])}"))
        else:
            seen[ident] = here
    return findings


_KINDS = {"cites": ("reference", "references"), "services": ("service", "services")}


def one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped: the usual typo."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def check_links(data: dict[str, Any]) -> list[Finding]:
    """Every ``cites`` names a reference and every ``services`` entry a service; both lists are used.

    A definition nothing uses that is one typo away from an id that is used but defined nowhere is the
    likely mistake: that is reported once, on the definition, rather than on every correct citation."""
    targets = {key: _catalogue(data, section) for key, (_, section) in _KINDS.items()}
    uses: list[tuple[DataPath, str, str]] = []  # (where, cites|services, id)
    for path, node in walk(data):
        key = path[-1] if path else None
        if key == "reference" and isinstance(node, str) and not node.startswith("https://"):
            uses.append((path, "cites", node))
        elif key in _KINDS and path != ("services",):
            if isinstance(node, str):  # a schema error (not a list); still counts as a use
                uses.append((path, str(key), node))
            elif isinstance(node, list):
                uses += [((*path, n), str(key), i) for n, i in enumerate(node) if isinstance(i, str)]
    findings: list[Finding] = []
    misspelt: set[tuple[str, str]] = set()  # (kind, the id used) explained by a misspelt definition
    for key, (_, section) in _KINDS.items():
        used = [ident for _, k, ident in uses if k == key]
        unknown = sorted({ident for ident in used if ident not in targets[key]})
        for index, ident in enumerate(targets[key]):
            if ident in used:
                continue
            typo = next((u for u in unknown if one_edit_apart(u, ident)), None)
            if typo is not None:
                misspelt.add((key, typo))
                places = [dotted(path) for path, k, i in uses if k == key and i == typo]
                verdict = (
                    f"is used {len(places)} times and defined nowhere: this id is probably misspelt"
                    if len(places) > 1
                    else f"is used once ({places[0]}) and defined nowhere: one of the two is misspelt"
                )
                findings.append(
                    ((section, index, "id"), f"'{ident}' is used nowhere, but '{typo}' {verdict}")
                )
            else:
                findings.append(
                    (
                        (section, index, "id"),
                        f"'{ident}' is not used: list it in the {key} of an item, or remove it",
                    )
                )
    for path, key, ident in uses:
        kind, section = _KINDS[key]
        if ident not in targets[key] and (key, ident) not in misspelt:
            hint = _suggest(ident, targets[key])
            findings.append(
                (path, f"unknown {kind} '{ident}'{hint} ({section} are defined under `{section}:`)")
            )
    findings += _same_urls(data)
    return findings


def _same_urls(data: dict[str, Any]) -> list[Finding]:
    """Two references to one page split its back-links and its citations: cite the first."""
    first: dict[str, str] = {}
    findings: list[Finding] = []
    for index, reference in enumerate(_dicts(data.get("references"))):
        url = reference.get("url")
        if not isinstance(url, str):
            continue
        if url in first:
            findings.append(
                (
                    ("references", index, "url"),
                    f"the same URL as reference '{first[url]}': cite that one instead",
                )
            )
        else:
            first[url] = str(reference.get("id"))
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
    if "lens" not in data:  # written by hand: every pillar has its guide (a lens gives only questions)
        for index, pillar in enumerate(_dicts(pillars)):
            for key in GUIDE_FIELDS:
                if key not in pillar:
                    findings.append((("pillars", index), f"missing '{key}': a pillar's guide needs it"))
    return findings


# What a hand-written KB's pillar guide is made of; a KB imported from a custom lens has none of them.
GUIDE_FIELDS = ("summary", "outcome", "considerations", "practices", "example")


def _pillar_ids(data: dict[str, Any]) -> list[str]:
    return [p["id"] for p in _dicts(data.get("pillars")) if isinstance(p.get("id"), str)]


def check_lens_practice_pillars(data: dict[str, Any]) -> list[Finding]:
    """Each lens best practice names one of the KB's pillars: the guides group practices by pillar, so one
    with another pillar would drop off its lens's page while questions still link to it."""
    pillars = _pillar_ids(data)
    findings: list[Finding] = []
    for index, practice in enumerate(_dicts(data.get("lens_practices"))):
        pillar = practice.get("pillar")
        if isinstance(pillar, str) and pillars and pillar not in pillars:
            findings.append(
                (("lens_practices", index, "pillar"), f"unknown pillar '{pillar}'{_suggest(pillar, pillars)}")
            )
    return findings


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
        open_ended = "unmatched_risk" in question
        findings.extend(
            _check_rules(question.get("risk_rules"), [*choices, none_id], (*path, "risk_rules"), open_ended)
        )
        findings.extend(_check_lens_choice_ids(question, none_id, path))
    findings.extend(_check_buckets(data, checklist.get("buckets")))
    findings.extend(_check_focus(checklist))
    return findings


def _check_focus(checklist: dict[str, Any]) -> list[Finding]:
    """Each question's focus names one of the checklist's focus areas."""
    areas = [str(a.get("id")) for a in _dicts(checklist.get("focus_areas"))]
    findings: list[Finding] = []
    for index, question in enumerate(_dicts(checklist.get("questions"))):
        focus = question.get("focus")
        if focus is None and areas:
            findings.append(
                (("checklist", "questions", index), "missing 'focus': one of checklist.focus_areas")
            )
        if isinstance(focus, str) and focus not in areas:
            findings.append(
                (
                    ("checklist", "questions", index, "focus"),
                    f"unknown focus area '{focus}'{_suggest(focus, areas)} (checklist.focus_areas lists them)",
                )
            )
    return findings


def _check_lens_choice_ids(question: dict[str, Any], none_id: str, path: DataPath) -> list[Finding]:
    """A choice's id in the lens (``lens_choice_id``, else ``id``) is unique within its question, as the WA
    Tool needs; across questions it may repeat."""
    findings: list[Finding] = []
    seen = {none_id}
    for index, choice in enumerate(_dicts(question.get("choices"))):
        lens_id = choice.get("lens_choice_id", choice.get("id"))
        if not isinstance(lens_id, str):
            continue
        if lens_id in seen:
            key = "lens_choice_id" if "lens_choice_id" in choice else "id"
            findings.append(
                (
                    (*path, "choices", index, key),
                    f"'{lens_id}' is already a choice of this question in the lens",
                )
            )
        seen.add(lens_id)
    return findings


def _check_rules(
    rule_list: Any, choices: list[str], path: DataPath, open_ended: bool = False
) -> list[Finding]:
    """Rules parse over the question's own choices and end with ``default``; ``open_ended`` (the question
    has an ``unmatched_risk``, a lens's rules kept as written) they must not: that risk would never apply."""
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
        if last and not open_ended and not isinstance(tree, rules.Always):
            findings.append((here, "the last rule must be 'default', so every answer gets a risk"))
        if last and open_ended and isinstance(tree, rules.Always):
            findings.append((here, "'default' always holds, so the question's unmatched_risk never applies"))
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


CONVENTIONS = "see CONTRIBUTING.md, Id conventions"


def check_id_conventions(data: dict[str, Any]) -> list[Finding]:
    """Ids say where they belong: a pillar's items start with its id_prefix, choices with their question's id."""
    findings: list[Finding] = []
    prefixes = {str(p.get("id")): p.get("id_prefix") for p in _dicts(data.get("pillars"))}

    def expect(path: DataPath, ident: object, start: str, what: str) -> None:
        if isinstance(ident, str) and not ident.startswith(start):
            findings.append((path, f"'{ident}' should start with '{start}': {what} ({CONVENTIONS})"))

    for p_index, pillar in enumerate(_dicts(data.get("pillars"))):
        prefix = pillar.get("id_prefix")
        if not isinstance(prefix, str):
            continue
        for section in ("considerations", "practices"):
            for index, item in enumerate(_dicts(pillar.get(section))):
                where: DataPath = ("pillars", p_index, section, index, "id")
                expect(
                    where,
                    item.get("id"),
                    f"{prefix}_",
                    f"the {pillar.get('id')} pillar's {section} start with its id_prefix",
                )
    for q_index, quiz in enumerate(_dicts(data.get("quizzes"))):
        prefix = prefixes.get(str(quiz.get("pillar")))
        if isinstance(prefix, str):
            for index, question in enumerate(_dicts(quiz.get("questions"))):
                where = ("quizzes", q_index, "questions", index, "id")
                expect(
                    where,
                    question.get("id"),
                    f"{prefix}q_",
                    "a pillar quiz's questions start with its id_prefix and q_",
                )
    checklist = data.get("checklist")
    for q_index, question in enumerate(
        _dicts(checklist.get("questions") if isinstance(checklist, dict) else None)
    ):
        prefix = prefixes.get(str(question.get("pillar")))
        where = ("checklist", "questions", q_index, "id")
        if isinstance(prefix, str):
            expect(
                where,
                question.get("id"),
                f"{prefix}_",
                "a checklist question starts with its pillar's id_prefix",
            )
        qid = question.get("id")
        if "lens" in data:  # imported from a custom lens: the ids are the lens's own, kept as they are
            continue
        for c_index, choice in enumerate(_dicts(question.get("choices"))):
            where = ("checklist", "questions", q_index, "choices", c_index, "id")
            expect(where, choice.get("id"), f"{qid}_", "a choice's id starts with its question's id and _")
    return findings


def cross_check(data: dict[str, Any]) -> list[Finding]:
    """All cross-reference rules, in a stable order."""
    return [
        *check_unique_ids(data),
        *check_links(data),
        *check_prioritization(data),
        *check_pillars(data),
        *check_lens_practice_pillars(data),
        *check_quizzes(data),
        *check_checklist(data),
        *check_practices(data),
        *check_id_conventions(data),
    ]
