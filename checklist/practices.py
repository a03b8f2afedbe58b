"""Rules for the checklist's practices that the JSON Schema cannot express.

Each practice is asked once (the duplicate measure below), cites real best practices of its lens (ML,
GenAI) and links to their own pages, has a lifecycle phase (an ML Lens one), applies to the workloads its scope condition names, and shows the
caveat of any retired or closed service it names. Moved ids point at what replaced them.

The content checks a review's defect classes asked for live beside them, one module each, and run here on
a hand-written KB: near-duplicates across questions (checklist.similar), impact and effort against the lens
risk and the effort scale (checklist.ratings), a choice's link (checklist.choicelinks), service names and
statuses (checklist.names).
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from checklist import rules
from checklist.awslenses import ML_LENS, data_lenses, lens_label, lens_of_ref
from checklist.choicelinks import check_choice_links
from checklist.kbproblems import DataPath, Finding, dicts, suggest, walk
from checklist.lensareas import check_lens_areas
from checklist.names import check_prose_names, check_service_table
from checklist.ratings import check_efforts, check_impacts
from checklist.similar import check_distinct_practices, check_near_duplicates, content_words, distinct_pairs

LENS_LANDING = (
    "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/machine-learning-lens.html"
)
# The duplicate measure: two choices are the same practice when they cite one lens best practice and
# at least this share of the content words of the shorter title (or improvement) appear in the other.
# Citing the same best practice is already strong evidence, so the bar is low on purpose; practices that
# are really different say so with `distinct_from` and a reason (or are listed in
# checklist.distinct_practices). Choices that cite nothing in common: checklist.similar.
SAME_PRACTICE_SHARE = 0.15
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "by",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "that",
        "this",
        "from",
        "at",
        "every",
        "each",
        "their",
        "them",
        "they",
        "when",
        "which",
        "so",
        "can",
        "more",
        "than",
        "into",
        "only",
        "not",
        "no",
    ]
)
_TEXT_FIELDS = ("title", "text", "improvement", "prompt", "explanation", "description", "summary")


def _choices(data: dict[str, Any]) -> list[tuple[DataPath, dict[str, Any], dict[str, Any]]]:
    """Every choice with its path and its question."""
    checklist = data.get("checklist")
    found: list[tuple[DataPath, dict[str, Any], dict[str, Any]]] = []
    for q_index, question in enumerate(
        dicts(checklist.get("questions") if isinstance(checklist, dict) else None)
    ):
        for c_index, choice in enumerate(dicts(question.get("choices"))):
            found.append((("checklist", "questions", q_index, "choices", c_index), choice, question))
    return found


def _ids(entries: Any) -> list[str]:
    return [str(entry.get("id")) for entry in dicts(entries)]


def check_lenses(data: dict[str, Any]) -> list[Finding]:
    """Each best practice belongs to a lens (by its prefix) and an ML Lens one has its lifecycle phase; a
    question's lens is one of aws_lenses and its choices cite that lens's practices first."""
    lenses = data_lenses(data)
    # A KB imported from a custom lens, without aws_lenses, reviews with that lens alone: no question names one.
    named = [] if "lens" in data and "aws_lenses" not in data else [lens.id for lens in lenses]
    findings: list[Finding] = []
    entries = data.get("aws_lenses")
    if entries is not None and (
        not isinstance(entries, list) or len(dicts(entries)) != len(entries) or len(lenses) != len(entries)
    ):
        # A malformed aws_lenses entry is reported where it is (the schema's messages); checking every
        # practice and question against the lenses left would bury it under dozens of consequences.
        return findings
    seen: dict[str, str] = {}
    ids: dict[str, int] = {}
    for index, entry in enumerate(dicts(entries)):
        ident = str(entry.get("id"))
        if ident in ids:
            findings.append(
                (("aws_lenses", index, "id"), f"'{ident}' is already the id of aws_lenses[{ids[ident]}]")
            )
        ids.setdefault(ident, index)
        prefix = entry.get("prefix")
        if isinstance(prefix, str) and prefix in seen:
            findings.append(
                (
                    ("aws_lenses", index, "prefix"),
                    f"'{prefix}' is already the prefix of lens '{seen[prefix]}'",
                )
            )
        elif isinstance(prefix, str):
            seen[prefix] = str(entry.get("id"))
    phases = bool(dicts(data.get("lens_phases")))
    for index, practice in enumerate(dicts(data.get("lens_practices"))):
        ident = str(practice.get("id"))
        owner = lens_of_ref(ident, lenses)
        if owner is None:
            prefixes = ", ".join(f"{other.prefix} ({other.name})" for other in lenses)
            findings.append(
                (("lens_practices", index, "id"), f"'{ident}' belongs to no lens: ids start with {prefixes}")
            )
        elif owner.prefix == ML_LENS.prefix and phases and "phase" not in practice:
            findings.append(
                (("lens_practices", index), "an ML Lens best practice needs its phase (one of lens_phases)")
            )
    checklist = data.get("checklist")
    questions = dicts(checklist.get("questions")) if isinstance(checklist, dict) else []
    for q_index, question in enumerate(questions):
        here: DataPath = ("checklist", "questions", q_index)
        own = question.get("lens")
        if isinstance(own, str) and own not in named:
            findings.append(
                ((*here, "lens"), f"unknown lens '{own}'{suggest(own, named)} (aws_lenses lists the lenses)")
            )
            continue
        lens = next((known for known in lenses if known.id == own), lenses[0])
        for c_index, choice in enumerate(dicts(question.get("choices"))):
            refs = choice.get("lens_refs")
            first = refs[0] if isinstance(refs, list) and refs and isinstance(refs[0], str) else None
            if first is None or lens_of_ref(first, lenses) in (lens, None):
                continue
            findings.append(
                (
                    (*here, "choices", c_index, "lens_refs", 0),
                    f"'{first}' is not a {lens.name} practice, the lens of question '{question.get('id')}': "
                    f"cite a practice of the {lens.name} first (one of another lens may follow when it is the "
                    "same practice), or move the choice to a question of its lens",
                )
            )
    return findings


def check_lens_refs(data: dict[str, Any]) -> list[Finding]:
    """lens_refs name best practices of the catalogue; a choice without them names its phase and a link."""
    practices = _ids(data.get("lens_practices"))
    phases = _ids(data.get("lens_phases"))
    lenses = data_lenses(data)
    findings: list[Finding] = []
    for path, choice, question in _choices(data):
        refs = [ref for ref in choice.get("lens_refs") or () if isinstance(ref, str)]
        for index, ref in enumerate(refs):
            if ref not in practices:
                findings.append(
                    (
                        (*path, "lens_refs", index),
                        f"unknown {lens_label(ref, lenses)} best practice '{ref}'{suggest(ref, practices)} "
                        "(lens_practices, at the end of the file, lists the real ones)",
                    )
                )
        phase = choice.get("phase")
        if isinstance(phase, str) and phase not in phases:
            findings.append(
                ((*path, "phase"), f"unknown phase '{phase}'{suggest(phase, phases)} (see lens_phases)")
            )
        # A KB with lifecycle phases places every ML Lens choice by them (a lens without phases, such as the
        # Generative AI Lens, lists its choices under its name).
        own = next((lens for lens in lenses if lens.id == question.get("lens")), lenses[0])
        if not refs and phase is None and phases and own.prefix == ML_LENS.prefix:
            findings.append(
                ((*path, "phase"), "a choice without lens_refs needs a phase (one of lens_phases)")
            )
        if not refs and "reference" not in choice and practices:  # a lens's plan may have no URL
            findings.append(
                (
                    (*path, "reference"),
                    "needs a reference, or lens_refs (it then links to that best practice's page)",
                )
            )
    for index, practice in enumerate(dicts(data.get("lens_practices"))):
        phase = practice.get("phase")
        if isinstance(phase, str) and phase not in phases:
            findings.append(
                (("lens_practices", index, "phase"), f"unknown phase '{phase}' (see lens_phases)")
            )
    return findings


def lens_landings(data: dict[str, Any]) -> dict[str, str]:
    """Each lens's landing page (its page pattern with the guide's own folder name: machine-learning-lens/
    machine-learning-lens.html) and how messages name the lens ("ML Lens")."""
    found = {LENS_LANDING: "ML Lens"}
    for lens in data_lenses(data):
        folder = lens.page.split("{}")[0].rstrip("/").rsplit("/", 1)[-1]
        if folder:
            found.setdefault(lens.page.replace("{}", folder), f"{lens.short} Lens")
    return found


def check_links(data: dict[str, Any]) -> list[Finding]:
    """No choice links to a lens's landing page: each links to its own best practice or topic."""
    urls = {str(r.get("id")): r.get("url") for r in dicts(data.get("references"))}
    landings = lens_landings(data)
    findings: list[Finding] = []
    for path, choice, _ in _choices(data):
        reference = choice.get("reference")
        lens = landings.get(str(urls.get(reference, reference))) if isinstance(reference, str) else None
        if lens is None:
            continue
        refs = choice.get("lens_refs") or []
        fix = (
            f"leave `reference` out and it links to {refs[0]}'s own page"
            if refs
            else "link to an AWS page on the choice's own topic"
        )
        findings.append(((*path, "reference"), f"links to the {lens} landing page; {fix}"))
    return findings


def _scope_options(data: dict[str, Any]) -> list[str]:
    checklist = data.get("checklist")
    scope = dicts(checklist.get("scope")) if isinstance(checklist, dict) else []
    return [option for question in scope for option in _ids(question.get("options"))]


def _condition_findings(here: DataPath, condition: str, options: list[str], where: str) -> list[Finding]:
    """An applies_if that parses and names only ``options`` (``where`` says which ones are allowed)."""
    try:
        tree = rules.parse(condition)
    except rules.ConditionError as error:
        return [(here, f"cannot parse {condition!r}: {error}")]
    findings: list[Finding] = []
    if isinstance(tree, rules.Always):
        findings.append((here, "'default' means every workload: leave applies_if out instead"))
    for ident in dict.fromkeys(tree.ids()):
        if ident not in options:
            findings.append((here, f"unknown scope option '{ident}'{suggest(ident, options)} ({where})"))
    return findings


def check_scope(data: dict[str, Any]) -> list[Finding]:
    """applies_if conditions parse and name the scope's options; a scope question's names only the options
    of the scope questions before it (so they are answered in order) and comes with its ``otherwise``."""
    options = _scope_options(data)
    findings: list[Finding] = []
    checklist = data.get("checklist")
    scope = dicts(checklist.get("scope")) if isinstance(checklist, dict) else []
    earlier: list[str] = []
    for index, question in enumerate(scope):
        here: DataPath = ("checklist", "scope", index)
        own = _ids(question.get("options"))
        condition, otherwise = question.get("applies_if"), question.get("otherwise")
        if isinstance(condition, str):
            findings += _condition_findings(
                (*here, "applies_if"), condition, earlier, "a scope question names the options before it"
            )
            if otherwise is None:
                findings.append(((*here, "otherwise"), "needs the option it counts as when not asked"))
        elif otherwise is not None and condition is None:
            findings.append(((*here, "otherwise"), "only a scope question with applies_if needs it"))
        if isinstance(otherwise, str) and otherwise not in own:
            findings.append(
                ((*here, "otherwise"), f"'{otherwise}' is not one of its options{suggest(otherwise, own)}")
            )
        earlier += own
    items: list[tuple[DataPath, dict[str, Any]]] = [
        (("checklist", "questions", index), question)
        for index, question in enumerate(
            dicts(checklist.get("questions") if isinstance(checklist, dict) else None)
        )
    ]
    items += [(path, choice) for path, choice, _ in _choices(data)]
    for path, item in items:
        condition = item.get("applies_if")
        if isinstance(condition, str):
            findings += _condition_findings(
                (*path, "applies_if"), condition, options, "checklist.scope lists them"
            )
    return findings


def check_moves(data: dict[str, Any]) -> list[Finding]:
    """A moved id is no longer in use, and what replaced it exists and is of the same kind."""
    checklist = data.get("checklist")
    if not isinstance(checklist, dict):
        return []
    questions = _ids(checklist.get("questions"))
    choices = [str(choice.get("id")) for _, choice, _ in _choices(data)]
    moved = {str(move.get("id")) for move in dicts(checklist.get("moved"))}
    findings: list[Finding] = []
    for index, move in enumerate(dicts(checklist.get("moved"))):
        here: DataPath = ("checklist", "moved", index)
        old, new = move.get("id"), move.get("to")
        if old in questions or old in choices:
            findings.append(((*here, "id"), f"'{old}' is still in use: only a retired id can move"))
        if not isinstance(new, str):
            continue
        if new in moved:
            findings.append(((*here, "to"), f"'{new}' moved too: point at where it went"))
        elif old in moved and new not in questions + choices:
            known = questions + choices
            findings.append(((*here, "to"), f"unknown question or choice '{new}'{suggest(new, known)}"))
    return findings


def _words(text: str) -> set[str]:
    """Content words, folded as checklist.similar folds them."""
    return set(content_words(text, _STOP_WORDS))


def shared_share(a: str, b: str) -> float:
    """The share of the shorter text's content words that the other text also has (0 to 1)."""
    return _share(_words(a), _words(b))


def _share(first: set[str], second: set[str]) -> float:
    return len(first & second) / max(1, min(len(first), len(second)))


def same_practice(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The duplicate measure (see SAME_PRACTICE_SHARE)."""
    if not set(a.get("lens_refs") or ()) & set(b.get("lens_refs") or ()):
        return False
    share = max(
        shared_share(str(a.get("title", "")), str(b.get("title", ""))),
        shared_share(str(a.get("improvement", "")), str(b.get("improvement", ""))),
    )
    return share >= SAME_PRACTICE_SHARE


def check_duplicates(data: dict[str, Any]) -> list[Finding]:
    """A practice is asked once: two choices that are the same practice stop the build, unless marked.

    Only choices that cite a common best practice can be the same practice, so each choice is compared
    with the other citers of its best practices, not with every choice (that grew with the square of the
    checklist), and its words are found once, not once per comparison."""
    choices = _choices(data)
    known = [str(choice.get("id")) for _, choice, _ in choices]
    known_set = set(known)
    findings: list[Finding] = []
    for path, choice, _ in choices:
        for index, other in enumerate(dicts(choice.get("distinct_from"))):
            ident = other.get("id")
            if isinstance(ident, str) and ident not in known_set:
                findings.append(
                    (
                        (*path, "distinct_from", index, "id"),
                        f"unknown choice '{ident}'{suggest(ident, known)}",
                    )
                )
    refs = [_lens_refs(choice) for _, choice, _ in choices]
    citers: dict[str, list[int]] = {}
    for index, cited in enumerate(refs):
        for ref in cited:
            citers.setdefault(ref, []).append(index)
    # The pairs in the order of the file (as every pair of choices, in order, would meet them).
    pairs = sorted({pair for group in citers.values() for pair in combinations(group, 2)})
    words: dict[int, tuple[set[str], set[str]]] = {}

    def words_of(index: int) -> tuple[set[str], set[str]]:
        if index not in words:
            choice = choices[index][1]
            words[index] = (_words(str(choice.get("title", ""))), _words(str(choice.get("improvement", ""))))
        return words[index]

    marks = [{str(d.get("id")) for d in dicts(choice.get("distinct_from"))} for _, choice, _ in choices]
    listed = distinct_pairs(data)
    for first, second in pairs:
        (_, a, _), (path, b, _) = choices[first], choices[second]
        marked = marks[first] | marks[second]
        if a.get("id") in marked or b.get("id") in marked:
            continue
        if frozenset((str(a.get("id")), str(b.get("id")))) in listed:
            continue
        (title_a, improvement_a), (title_b, improvement_b) = words_of(first), words_of(second)
        if max(_share(title_a, title_b), _share(improvement_a, improvement_b)) < SAME_PRACTICE_SHARE:
            continue
        shared = sorted(refs[first] & refs[second])
        findings.append(
            (
                (*path, "id"),
                f"the same practice as '{a.get('id')}' (both cite {', '.join(shared)} and read alike): ask it "
                f"once, or add `distinct_from: [{{id: {a.get('id')}, reason: ...}}]` to one of them",
            )
        )
    findings += check_distinct_practices(data, known)
    if "lens" not in data:  # an imported custom lens's words are its authors', kept as written
        findings += check_near_duplicates(choices, data, _STOP_WORDS)
    return findings


def _lens_refs(choice: dict[str, Any]) -> set[str]:
    return {ref for ref in choice.get("lens_refs") or () if isinstance(ref, str)}


def _item_text(item: dict[str, Any]) -> str:
    """The words an item shows: its own text fields and its options, not its children that are items."""
    parts = [str(item[key]) for key in _TEXT_FIELDS if isinstance(item.get(key), str)]
    parts += [str(option.get("text", "")) for option in dicts(item.get("options"))]
    return "\n".join(parts)


def check_service_mentions(data: dict[str, Any]) -> list[Finding]:
    """Whoever names a retired or closed service lists it, so its caveat shows; no title names a retired one."""
    flagged = [s for s in dicts(data.get("services")) if isinstance(s.get("status"), dict)]
    findings: list[Finding] = []
    for path, node in walk(data):
        if not path or path[0] in ("references", "services", "lens_practices") or not isinstance(node, dict):
            continue
        if not any(isinstance(node.get(key), str) for key in _TEXT_FIELDS):
            continue
        if "id" not in node and path[-1] != "example":
            continue  # a quiz option: its words count as its question's, which lists the services
        text = _item_text(node)
        for service in flagged:
            name = str(service.get("name"))
            short = re.sub(r"^(Amazon|AWS) ", "", name)
            formers = [str(f) for f in service.get("former_names") or () if isinstance(f, str)]
            shorts = [short, *(re.sub(r"^(Amazon|AWS) ", "", f) for f in formers)]
            if not any(re.search(rf"\b{re.escape(s)}\b", text) for s in shorts):
                continue
            if service.get("id") not in (node.get("services") or ()):
                findings.append(
                    (
                        (*path, "services"),
                        f"names {name}, which has a status: list '{service.get('id')}' in services so the page "
                        "shows its caveat",
                    )
                )
            title = node.get("title")
            if service["status"].get("state") == "retired" and isinstance(title, str) and short in title:
                findings.append(((*path, "title"), f"is titled after {name}, which is no longer available"))
    return findings


def check_practices(data: dict[str, Any]) -> list[Finding]:
    # The content checks hold a hand-written KB to its own yardsticks; an imported custom lens is its
    # authors' and is kept as written (it may name a service AWS has since retired: that is its text).
    hand_written = "lens" not in data
    names = [
        *check_service_mentions(data),
        *check_service_table(data),
        *(check_prose_names(data) if hand_written else []),
    ]
    if not isinstance(data.get("checklist"), dict):
        return names
    choices = _choices(data)
    content = (
        []
        if not hand_written
        else [
            *check_choice_links(choices, data, reported=tuple(lens_landings(data))),
            *check_impacts(choices, data),
            *check_efforts(choices, data),
        ]
    )
    return [
        *check_lenses(data),
        *check_lens_areas(data),
        *check_lens_refs(data),
        *check_links(data),
        *check_scope(data),
        *check_moves(data),
        *check_duplicates(data),
        *content,
        *names,
    ]
