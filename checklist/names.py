"""Service names come from one table: the KB's ``services``, each with its current ``name`` and the
``former_names`` it had.

The rule for a former name in prose (every text of the KB but the references, whose titles are the
sources' own, and the services table itself): it is refused where it stands for the service, and allowed
where it is only the start of a longer name, that is where the next word starts with a capital letter.
"Amazon SageMaker" is the former name of Amazon SageMaker AI, so "train it in Amazon SageMaker," is
refused, while "Amazon SageMaker AI" (the current name) and "Amazon SageMaker Model Monitor" (a feature,
which AWS still names so) pass. A name matches as whole words, with its capitals.

A service AWS has retired or closed to new customers carries ``status`` (state, since, replacement), so
every page that names it shows the caveat: the KB's entry for one of RETIRED_OR_CLOSED must have it, and
prose that names one of them without a KB entry is refused (the entry and its status come first). An item
that names a service with a status lists it in its ``services`` (checklist.practices).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from checklist.kbproblems import DataPath, Finding, dicts, walk

# Names AWS has announced retired, or closed to new customers: a KB entry named so needs its status.
RETIRED_OR_CLOSED = frozenset(
    [
        "Amazon Elastic Inference",
        "Amazon S3 Select",
        "AWS DeepLens",
        "Amazon Forecast",
    ]
)
_NOT_PROSE = ("references", "services")  # the sources' own titles, and the names table itself


def _former_names(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(former name, current name, service id) for every service."""
    found = []
    for service in dicts(data.get("services")):
        names = service.get("former_names")
        for name in names if isinstance(names, list) else ():
            if isinstance(name, str) and name.strip():
                found.append((name, str(service.get("name")), str(service.get("id"))))
    return found


@lru_cache(maxsize=256)
def _former_pattern(former: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(former)}(?![\w-])(?! [A-Z0-9])")


def former_name_uses(text: str, former: str) -> list[int]:
    """Where ``former`` stands for the service in ``text`` (not where a capitalised word extends it)."""
    if former not in text:  # most of the KB's thousands of texts: no need for the pattern
        return []
    return [match.start() for match in _former_pattern(former).finditer(text)]


def check_prose_names(data: dict[str, Any]) -> list[Finding]:
    """No prose names a service by a name it no longer has, or a retired one the KB has no entry for."""
    formers = _former_names(data)
    entered = {str(s.get("name")) for s in dicts(data.get("services"))} | {f for f, _, _ in formers}
    unentered = [
        (name, re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])"))
        for name in sorted(RETIRED_OR_CLOSED - entered)
    ]
    findings: list[Finding] = []
    for path, node in walk(data):
        if not path or path[0] in _NOT_PROSE or not isinstance(node, str):
            continue
        for name, pattern in unentered:
            if pattern.search(node):
                findings.append(
                    (
                        path,
                        f"names {name}, which AWS has retired or closed to new customers: add it to `services` "
                        "with its `status` and list it in this item's services, so the page shows the caveat",
                    )
                )
        for former, current, ident in formers:
            if former_name_uses(node, former):
                findings.append(
                    (
                        path,
                        f"names '{former}', the former name of {current} (services: {ident}): write "
                        f"'{current}' (a longer name that starts with it, such as a feature's, is fine)",
                    )
                )
    return findings


def check_service_table(data: dict[str, Any]) -> list[Finding]:
    """A former name is no service's current name, and a retired or closed service carries its status."""
    findings: list[Finding] = []
    current = {str(s.get("name")): str(s.get("id")) for s in dicts(data.get("services"))}
    for index, service in enumerate(dicts(data.get("services"))):
        here: DataPath = ("services", index)
        names = service.get("former_names")
        for n, name in enumerate(names if isinstance(names, list) else ()):
            if isinstance(name, str) and name in current:
                findings.append(
                    (
                        (*here, "former_names", n),
                        f"'{name}' is the current name of '{current[name]}': a name is either current or former",
                    )
                )
        given = (service.get("name"), *(names if isinstance(names, list) else ()))
        known = {name for name in given if isinstance(name, str)}
        if known & RETIRED_OR_CLOSED and not isinstance(service.get("status"), dict):
            findings.append(
                (
                    here,
                    f"{service.get('name')} is retired or closed to new customers: add `status` (state, since, "
                    "replacement, reference) so every page that names it shows the caveat",
                )
            )
    return findings
