"""An AWS Well-Architected custom lens (JSON) as a knowledge base: the generator's way in for any lens.

The lens's pillar, question and choice ids are kept as they are (answers map one to one to the AWS
Well-Architected Tool), and so are its risk rules. The WA Tool scopes a choice id to its question, so a lens
may give two questions a ``choice1``; the KB's ids are unique, so such a choice gets its question's id in
front, and its lens id is kept beside it (``lens_choice_id``) for the export and the WA Tool's answers.
What a lens does not have is derived: each choice's impact is the risk its question falls to when that
practice alone is missing; effort is "unrated".
Real lenses stray from the format; what is usable is kept and every deviation is one warning line with its
JSON path. A file that is not a lens raises :class:`LensImportError` and nothing is written.

    python -m sitebuilder.cli lens import LENS.json -o knowledge-base.yml
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checklist import bounded, rules
from checklist.errors import InputError
from checklist.knowledge import NONE_SUFFIX, lens_site_id
from checklist.lens import LIMITS, SCHEMA_VERSION

MAX_BYTES = 5 * 1024 * 1024  # ten times the format's own limit: a bigger file is not a lens
LENS_FILE = bounded.Kind("a custom lens", MAX_BYTES)
_ID = re.compile(r"^[A-Za-z0-9_]{3,128}$")
_URL = re.compile(r'^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]+)?(/[^\s<>"]*)?$')
_RISKS = {"HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none"}
_IMPACT = {"high": "high", "medium": "medium", "none": "low"}
MAX_CHOICES = LIMITS["choices"] - 1  # the checklist adds "None of these"
RESOURCE_KINDS = {"HELPFUL_RESOURCE": "helpful", "IMPROVEMENT_PLAN": "improvement"}


class LensImportError(InputError):
    """The file is not a custom lens (or nothing of it is usable); ``problems`` says why, one line each."""


@dataclass
class Imported:
    """The KB's data (ready for YAML) and one line per deviation from the lens format, with its JSON path."""

    kb: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _prioritization() -> dict[str, Any]:
    return {
        "summary": (
            "A custom lens rates no effort, so the plan orders missing best practices by impact: the risk "
            "their question is left at while they are missing, by the lens's own risk rules."
        ),
        "rules": [
            {
                "id": "impact_high",
                "impact": "high",
                "effort": "any",
                "action": "Act first",
                "text": "Missing alone, the practice leaves its question at high risk.",
            },
            {
                "id": "impact_low",
                "impact": "low",
                "effort": "any",
                "action": "Act when time allows",
                "text": "Missing alone, the practice leaves its question at no risk.",
            },
        ],
    }


_BUCKETS = [
    {
        "id": "first",
        "label": "High impact",
        "rule": "impact_high",
        "description": "Each of these alone leaves its question at high risk.",
    },
    {
        "id": "next",
        "label": "Medium impact",
        "middle": [{"impact": "medium", "effort": "any"}],
        "description": "Each of these alone leaves its question at medium risk.",
    },
    {
        "id": "later",
        "label": "Low impact",
        "rule": "impact_low",
        "description": "Recommended by the lens, though missing one alone leaves no risk.",
    },
]


class _Reader:
    """Walks the lens, collecting warnings (kept going) and problems (the file is not usable)."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}  # every pillar and question id -> the path that took it first
        self.choices: list[tuple[str, str, str]] = []  # (choice id, question id, path), in lens order

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")

    def text(self, node: dict[str, Any], key: str, where: str, limit: int, required: bool = True) -> str:
        """A text field, stripped; over the format's limit it is shortened at a word, with a warning.
        ``where`` is the node's JSON path ("" for the top level)."""
        where = f"{where}." if where else ""
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.warn(f"{where}{key}", "missing")
            return ""
        if not isinstance(value, str):
            self.warn(f"{where}{key}", f"must be text, not {type(value).__name__}; left out")
            return ""
        value = " ".join(value.split()) if limit <= LIMITS["title"] else value.strip()
        if len(value) > limit:
            cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
            self.warn(f"{where}{key}", f"{len(value)} characters, over the format's {limit}: shortened")
            value = cut
        return value

    def ident(self, node: dict[str, Any], where: str, scope: dict[str, str] | None = None) -> str | None:
        """The node's id, unique in ``scope`` (id -> path; the lens's pillar and question ids by default)."""
        taken = self.ids if scope is None else scope
        value = node.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            self.problems.append(
                f"{where}.id: {value!r} is not an id (3 to 128 characters of A-Z, a-z, 0-9, _)"
            )
            return None
        if value in taken:
            self.problems.append(f"{where}.id: {value!r} is already the id of {taken[value]}")
            return None
        taken[value] = where
        return value

    def link(self, node: Any, where: str) -> dict[str, str] | None:
        """A helpfulResource or improvementPlan as {text, url}; a URL that is not http(s) is left out."""
        if node is None:
            return None
        if not isinstance(node, dict):
            self.warn(where, f"must be an object, not {type(node).__name__}; left out")
            return None
        text = self.text(node, "displayText", where, LIMITS["text"])
        url = node.get("url")
        found = {"text": text} if text else {}
        if url is not None:
            if isinstance(url, str) and _URL.match(url.strip()):
                found["url"] = url.strip()
            else:
                self.warn(f"{where}.url", f"{url!r} is not an http:// or https:// URL; left out")
        return found if text else None


def _condition_ids(condition: str) -> set[str]:
    return set(rules.parse(condition).ids())


# The risk of an answer no rule of a question covers, when the lens's rules do not end with ``default``.
# The format makes ``default`` mandatory and does not say what the WA Tool does without it; its usual
# last rule is ``default: HIGH_RISK``, and an answer nothing rates is not reported as safe.
UNMATCHED_RISK = "high"


def _risk_rules(
    reader: _Reader, question: dict[str, Any], where: str, known: set[str]
) -> tuple[list[dict[str, str]], str]:
    """The question's rules as written (unusable ones are dropped), and its risk when none of them holds:
    "" when the last is ``default``. Rules without ``default`` are kept as they are, however many, so the
    lens comes back as written; only a question left with no rule at all gets ``default``."""
    raw = question.get("riskRules")
    if not isinstance(raw, list):
        reader.warn(
            f"{where}.riskRules", "missing; every answer counts as high risk (rule 'default: HIGH_RISK')"
        )
        return [{"condition": rules.DEFAULT, "risk": UNMATCHED_RISK}], ""
    kept: list[dict[str, str]] = []
    for n, rule in enumerate(raw):
        here = f"{where}.riskRules[{n}]"
        if not isinstance(rule, dict) or not isinstance(rule.get("condition"), str):
            reader.warn(here, "not a rule with a condition; left out")
            continue
        risk = _RISKS.get(rule["risk"]) if isinstance(rule.get("risk"), str) else None
        if risk is None:
            reader.warn(
                f"{here}.risk", f"{rule.get('risk')!r} is not HIGH_RISK, MEDIUM_RISK or NO_RISK; left out"
            )
            continue
        condition = rule["condition"].strip()
        if condition != rules.DEFAULT:
            try:
                unknown = sorted(_condition_ids(condition) - known)
            except rules.ConditionError as error:
                reader.warn(f"{here}.condition", f"{error}; left out")
                continue
            if unknown:
                reader.warn(
                    f"{here}.condition",
                    f"names {', '.join(unknown)}, not a choice of this question; left out",
                )
                continue
        kept.append({"condition": condition, "risk": risk})
        if condition == rules.DEFAULT:
            if n < len(raw) - 1:
                reader.warn(
                    f"{where}.riskRules", f"rules after 'default' (rule {n}) can never apply; left out"
                )
            return kept, ""
    if not kept:
        reader.warn(f"{where}.riskRules", "no usable rule; every answer counts as high risk (rule 'default')")
        return [{"condition": rules.DEFAULT, "risk": UNMATCHED_RISK}], ""
    reader.warn(
        f"{where}.riskRules",
        "no 'default' rule: the rules are kept as written, and an answer none of them covers counts as "
        f"{UNMATCHED_RISK} risk (unmatched_risk in the KB)",
    )
    return kept, UNMATCHED_RISK


def _risk(risk_rules: list[dict[str, str]], unmatched: str, selected: frozenset[str]) -> str:
    for rule in risk_rules:
        if rules.parse(rule["condition"]).holds(selected):
            return rule["risk"]
    return unmatched


def _choices(
    reader: _Reader, question: dict[str, Any], qid: str, where: str
) -> tuple[list[dict[str, Any]], bool]:
    """The question's practices (without its "None of these") and whether the lens had that choice."""
    raw = question.get("choices")
    if not isinstance(raw, list):
        reader.warn(f"{where}.choices", "missing")
        return [], False
    found: list[dict[str, Any]] = []
    has_none = False
    own: dict[str, str] = {}  # the question's choice ids -> path: the WA Tool scopes them to the question
    for n, choice in enumerate(raw):
        here = f"{where}.choices[{n}]"
        if not isinstance(choice, dict):
            reader.warn(here, f"must be an object, not {type(choice).__name__}; left out")
            continue
        if choice.get("id") == qid + NONE_SUFFIX:
            has_none = True
            reader.ids.setdefault(qid + NONE_SUFFIX, here)  # reserved: no pillar or question may take it
            continue
        cid = reader.ident(choice, here, own)
        if cid is None:
            continue
        if len(found) == MAX_CHOICES:
            reader.warn(here, f"more than {MAX_CHOICES} choices besides None of these; left out")
            continue
        reader.choices.append((cid, qid, here))
        title = reader.text(choice, "title", here, LIMITS["title"]) or cid
        data: dict[str, Any] = {"id": cid, "title": title, "impact": "", "effort": "unrated"}
        plan = reader.link(choice.get("improvementPlan"), f"{here}.improvementPlan")
        if plan is None:
            if "improvementPlan" not in choice:
                reader.warn(f"{here}.improvementPlan", "missing; the plan says to put the practice in place")
            plan = {"text": f"Put this practice in place: {title}"}
        data["improvement"] = plan["text"]
        if "url" in plan:
            data["reference"] = plan["url"]
        if (helpful := reader.link(choice.get("helpfulResource"), f"{here}.helpfulResource")) is not None:
            data["helpful"] = helpful
        resources = _resources(reader, choice.get("additionalResources"), f"{here}.additionalResources")
        if resources:
            data["resources"] = resources
        found.append(data)
    if not has_none:
        reader.warn(
            f"{where}.choices", f"no 'None of these' choice; the checklist adds one ({qid}{NONE_SUFFIX})"
        )
    return found, has_none


def _resources(reader: _Reader, raw: Any, where: str) -> list[dict[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.warn(where, "must be a list; left out")
        return []
    found = []
    for n, group in enumerate(raw):
        kind = RESOURCE_KINDS.get(str(group.get("type"))) if isinstance(group, dict) else None
        if kind is None or not isinstance(group.get("content"), list):
            reader.warn(f"{where}[{n}]", "not a HELPFUL_RESOURCE or IMPROVEMENT_PLAN list; left out")
            continue
        for m, item in enumerate(group["content"]):
            if (resource := reader.link(item, f"{where}[{n}].content[{m}]")) is not None:
                found.append({"kind": kind, **resource})
    return found


def _question(reader: _Reader, question: Any, pillar: str, where: str) -> dict[str, Any] | None:
    if not isinstance(question, dict):
        reader.problems.append(f"{where}: must be an object, not {type(question).__name__}")
        return None
    qid = reader.ident(question, where)
    if qid is None:
        return None
    if len(qid) > 125:
        reader.problems.append(f"{where}.id: over 125 characters, so its None of these id would be over 128")
        return None
    choices, _ = _choices(reader, question, qid, where)
    if not choices:
        reader.warn(where, "no usable choices; the question is left out")
        return None
    known = {c["id"] for c in choices} | {qid + NONE_SUFFIX}
    risk_rules, unmatched = _risk_rules(reader, question, where, known)
    everything = frozenset(c["id"] for c in choices)
    for choice in choices:
        choice["impact"] = _IMPACT[_risk(risk_rules, unmatched, everything - {choice["id"]})]
    data: dict[str, Any] = {
        "id": qid,
        "pillar": pillar,
        "title": reader.text(question, "title", where, LIMITS["title"]) or qid,
        "description": reader.text(question, "description", where, LIMITS["text"], required=False),
    }
    if (helpful := reader.link(question.get("helpfulResource"), f"{where}.helpfulResource")) is not None:
        data["helpful"] = helpful
    data["choices"] = choices
    data["risk_rules"] = risk_rules
    if unmatched:
        data["unmatched_risk"] = unmatched
    return data


QUALIFIER_LENGTH = 40  # a question id up to this long goes in front of its repeated choice ids


def _qualify(reader: _Reader, questions: list[dict[str, Any]]) -> None:
    """Give a unique KB id to each choice whose lens id another question's choice (or a pillar, a question,
    a "None of these") also has: its question's id in front (or ``q`` and its number, for a long id); the
    lens's id stays in ``lens_choice_id``, and the question's rules are rewritten to the new ids. One
    warning names the repeated ids."""
    uses: dict[str, int] = {}
    for cid, _, _ in reader.choices:
        uses[cid] = uses.get(cid, 0) + 1
    others = set(reader.ids) | {q["id"] + NONE_SUFFIX for q in questions}
    repeated = [cid for cid in uses if uses[cid] > 1 or cid in others]
    if not repeated:
        return
    renamed, taken = set(repeated), others | set(uses)
    given: list[str] = []  # the new ids, in lens order
    for number, question in enumerate(questions, 1):
        names: dict[str, str] = {}
        # A long question id would make long conditions longer still: its place in the lens stands in.
        prefix = question["id"] if len(question["id"]) <= QUALIFIER_LENGTH else f"q{number}"
        for index, choice in enumerate(question["choices"]):
            cid = choice["id"]
            if cid not in renamed:
                continue
            candidates = [
                f"{prefix}_{cid}",
                *(f"{prefix}_{n}" for n in range(index + 1, 999)),
            ]
            new = next(c for c in candidates if len(c) <= 128 and c not in taken)
            taken.add(new)
            given.append(new)
            names[cid] = new
            question["choices"][index] = {"id": new, "lens_choice_id": cid} | {
                key: value for key, value in choice.items() if key != "id"
            }
        for rule in question["risk_rules"]:
            rule["condition"] = rules.rename(rule["condition"], names)
    first = next(path for cid, _, path in reader.choices if cid in renamed)
    shown = ", ".join(repeated[:5]) + (f" and {len(repeated) - 5} more" if len(repeated) > 5 else "")
    reader.warn(
        f"{first}.id",
        f"choice ids repeat across questions ({shown}), as the WA Tool allows: the checklist puts the "
        f"question in front of each such id ({given[0]}); the lens export and the WA Tool script use the "
        "lens's own ids",
    )


def convert(lens: Any) -> Imported:
    """The KB data for ``lens`` (parsed JSON); raise :class:`LensImportError` if it is not a lens."""
    if not isinstance(lens, dict) or not isinstance(lens.get("pillars"), list):
        raise LensImportError(
            ["not an AWS Well-Architected custom lens: the top level has no list of pillars"]
        )
    reader = _Reader()
    if lens.get("schemaVersion") != SCHEMA_VERSION:
        reader.warn(
            "schemaVersion",
            f"{lens.get('schemaVersion')!r}, not {SCHEMA_VERSION!r}; read as {SCHEMA_VERSION}",
        )
    name = reader.text(lens, "name", "", LIMITS["name"]) or "Custom lens"
    description = reader.text(lens, "description", "", LIMITS["description"], required=False)
    pillars: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    for p, pillar in enumerate(lens["pillars"]):
        where = f"pillars[{p}]"
        if not isinstance(pillar, dict):
            reader.problems.append(f"{where}: must be an object, not {type(pillar).__name__}")
            continue
        pid = reader.ident(pillar, where)
        if pid is None:
            continue
        raw_questions = pillar.get("questions")
        if not isinstance(raw_questions, list):
            reader.warn(f"{where}.questions", "missing or not a list")
            raw_questions = []
        own = [
            q
            for n, raw in enumerate(raw_questions)
            if (q := _question(reader, raw, pid, f"{where}.questions[{n}]")) is not None
        ]
        if not own:
            reader.warn(where, "no usable questions; the pillar is left out")
            continue
        if len(own) > LIMITS["questions"]:
            reader.warn(
                f"{where}.questions", f"{len(own)} questions, over the format's {LIMITS['questions']}"
            )
        pillars.append(
            {
                "id": pid,
                "name": reader.text(pillar, "name", where, LIMITS["name"]) or pid,
                "lens_pillar_id": pid,
            }
        )
        questions += own
    if reader.problems:
        raise LensImportError(reader.problems)
    if not questions:
        raise LensImportError(["not a usable custom lens: no pillar has a question with choices"])
    _qualify(reader, questions)
    source: dict[str, Any] = {"name": name, "description": description}
    version = lens.get("version")
    if isinstance(version, (str, int, float)) and not isinstance(version, bool) and str(version).strip():
        source["version"] = str(version).strip()[:32]
    source["schema_version"] = SCHEMA_VERSION
    summary = description or f"{name}: a custom lens for the AWS Well-Architected Framework."
    kb = {
        "site": {"id": lens_site_id(name), "title": name},  # its saved answers, caches and tickets its own
        "lens": source,
        "framework": {"name": name, "summary": summary},
        "pillars": pillars,
        "assessment": {
            "tool": "AWS Well-Architected Tool",
            "summary": (
                f"Answer the questions of the {name} for your workload, privately in this browser: each "
                "question gets its risk by the lens's own rules, and every missing best practice becomes a "
                "step of an improvement plan."
            ),
            "prioritization": _prioritization(),
        },
        "services": [],
        "references": [],
        "checklist": {
            "intro": (
                "Tick the best practices your workload follows. Your answers stay in this browser until you "
                "save or share them."
            ),
            "buckets": _BUCKETS,
            "questions": questions,
        },
    }
    return Imported(kb, reader.warnings)


def parse(data: bytes, name: str) -> Any:
    """The lens file's JSON; raise :class:`LensImportError` saying where it is not JSON."""
    try:
        return bounded.parse(data, LENS_FILE, LensImportError)
    except LensImportError as error:
        raise LensImportError([f"{name}: {problem}" for problem in error.problems]) from None


def _yaml_text(data: dict[str, Any], source: str) -> str:
    import yaml  # the builder's dependency, as for reading the KB

    class _Dumper(yaml.SafeDumper):
        pass

    def string(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, string)
    header = (
        f"# Imported from the custom lens {source} by `python -m sitebuilder.cli lens import`.\n"
        "# Ids are the lens's own; each choice's impact comes from the lens's risk rules. Edit freely:\n"
        "# knowledge-base.schema.json describes every field.\n"
    )
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    return header + body


def import_lens(data: bytes, source: str, kb_name: str) -> tuple[str, list[str]]:
    """The KB's YAML text for the lens file's bytes, checked as the build checks a KB, and the warnings.

    Raise :class:`LensImportError` if the file is not a usable lens (or, were the importer wrong, if the KB
    it made fails the checks: then nothing is written either)."""
    from sitebuilder import kbfile

    try:
        imported = convert(parse(data, source))
    except LensImportError as error:
        raise LensImportError(
            [p if p.startswith(f"{source}:") else f"{source}: {p}" for p in error.problems]
        ) from None
    text = _yaml_text(imported.kb, source)
    try:
        kbfile.load_text(text, kb_name)
    except InputError as error:
        raise LensImportError(
            [
                f"{source}: the knowledge base made from it fails its checks (a bug in the importer):",
                *error.problems,
            ]
        ) from None
    return text, [f"{source}: warning: {warning}" for warning in imported.warnings]
