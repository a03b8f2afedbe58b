"""Well-Architected Tool custom lens documents for tests: small, near the format's limits, deviating, large.

Every function builds (or loads) a fresh document, so a test may change what it gets. Standard library only.
The format's limits: name 128 characters, descriptions 2048, 1-10 pillars of 1-20 questions, 15 choices and 3
risk rules a question, ids of 3-128 characters of [A-Za-z0-9_], the whole file 500 KB.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

SMALL_PATH = Path(__file__).parent / "fixtures" / "lens-small.json"
MAX_BYTES = 500 * 1024

# Deterministic filler text: letters only, so every word also fits in an id.
_FILLER = (
    "pipeline stream queue event record batch schema partition consumer producer retry backoff archive "
    "replay encrypt rotate audit policy boundary throttle capacity latency window checkpoint offset shard "
    "bucket prefix catalog lineage quality alarm metric budget owner review runbook tenant region"
)
_WORDS = _FILLER.split()


def _text(length: int, seed: int) -> str:
    """Exactly `length` characters of sentence-like filler, starting at word `seed`, ending with a period."""
    if length <= 0:
        return ""
    start = seed % len(_WORDS)
    words = _WORDS[start:] + _WORDS[:start]
    text = " ".join(words * (length // (len(" ".join(words)) + 1) + 1))
    body = text[: length - 1].rstrip().ljust(length - 1, "s")
    return body[:1].upper() + body[1:] + "."


def _long_id(prefix: str, length: int) -> str:
    """An id of exactly `length` characters that starts with `prefix` and matches [A-Za-z0-9_]."""
    value = (prefix + "_" + "_".join(_WORDS * 4))[:length]
    return value[:-1] + "x" if value.endswith("_") else value


def _question(
    key: str, qid: str, choice_ids: list[str], title_len: int, desc_len: int, seed: int
) -> dict[str, Any]:
    """A question with the given normal choices, a "None of these" choice and three risk rules."""
    choices: list[dict[str, Any]] = [
        {
            "id": cid,
            "title": _text(title_len, seed + j + 1),
            "helpfulResource": {"displayText": _text(120, seed + j + 2)},
            "improvementPlan": {
                "displayText": _text(200, seed + j + 3),
                "url": f"https://example.com/plans/{key}/{j:02d}",
            },
        }
        for j, cid in enumerate(choice_ids)
    ]
    choices.append({"id": f"{qid}_no", "title": "None of these"})
    return {
        "id": qid,
        "title": _text(title_len, seed),
        "description": _text(desc_len, seed + 5),
        "helpfulResource": {"displayText": _text(250, seed + 7), "url": f"https://example.com/docs/{key}"},
        "choices": choices,
        "riskRules": [
            {"condition": " && ".join(choice_ids), "risk": "NO_RISK"},
            {"condition": " && ".join(choice_ids[: len(choice_ids) // 2]), "risk": "MEDIUM_RISK"},
            {"condition": "default", "risk": "HIGH_RISK"},
        ],
    }


def _lens(counts: list[int], desc_lens: list[int], long_ids: bool = False) -> dict[str, Any]:
    """10-pillar-at-most lens with counts[p] questions in pillar p; question n (overall) has desc_lens[n]."""
    pillars: list[dict[str, Any]] = []
    n = 0
    for p, count in enumerate(counts):
        questions = []
        for q in range(count):
            key = f"p{p:02d}_q{q:02d}"
            choice_ids = [f"{key}_c{j:02d}" for j in range(14)]
            qid = key
            if long_ids and n == 0:
                qid = _long_id(key, 125)  # its "None of these" choice id, qid + "_no", is then 128 long
                choice_ids[0] = _long_id(f"{key}_c00", 128)
            questions.append(_question(key, qid, choice_ids, 128, desc_lens[n], seed=n * 3))
            n += 1
        pillars.append({"id": f"pillar_{p:02d}", "name": _text(128, p), "questions": questions})
    return {
        "schemaVersion": "2021-11-01",
        "name": _text(128, 11),
        "description": _text(2048, 13),
        "pillars": pillars,
    }


def _size(lens: dict[str, Any]) -> int:
    return len(to_text(lens).encode("utf-8")) - 1  # json.dumps(..., indent=2) without the final newline


@functools.cache
def _small() -> dict[str, Any]:
    return dict(json.loads(SMALL_PATH.read_text(encoding="utf-8")))


def small() -> dict[str, Any]:
    """The hand-written lens in fixtures/lens-small.json (2 pillars, 3 questions; a non-standard "version")."""
    return copy.deepcopy(_small())


@functools.cache
def _near_limits() -> dict[str, Any]:
    lens = _lens([20] + [1] * 9, [2048] * 29, long_ids=True)
    assert _size(lens) <= MAX_BYTES, _size(lens)
    return lens


def near_limits() -> dict[str, Any]:
    """A valid lens at the limits: 10 pillars, 20 questions in the first, 15 choices and 3 rules a question.

    Names and titles are 128 characters, descriptions 2048. The first question's id is 125 characters (its
    "None of these" choice id, the question id + "_no", is 128) and its first choice id is 128.
    """
    return copy.deepcopy(_near_limits())


def deviations() -> tuple[dict[str, Any], list[str]]:
    """The small lens with six deviations real lenses show, and the JSON path of each, in this order.

    (a) a helpfulResource url without http(s), (b) an ftp improvementPlan url, (c) a question title of 150
    characters, (d) a choice title of 140, (e) risk rules without the `default` rule, (f) a question without
    its "None of these" choice (and no rule that mentions it).
    """
    lens = small()
    paths: list[str] = []
    ingest, security = lens["pillars"][0]["questions"], lens["pillars"][1]["questions"]

    ingest[1]["choices"][2]["helpfulResource"]["url"] = "www.example.com/docs"
    paths.append("pillars[0].questions[1].choices[2].helpfulResource.url")

    security[0]["choices"][0]["improvementPlan"]["url"] = "ftp://files.example.com/plan"
    paths.append("pillars[1].questions[0].choices[0].improvementPlan.url")

    ingest[1]["title"] = (
        "How do you manage changes to the shape of incoming data, such as new, renamed or removed fields"
        " and changed types, across all producers and consumers?"
    )  # 150 characters
    paths.append("pillars[0].questions[1].title")

    security[0]["choices"][1]["title"] = (
        "All traffic between components, to outside endpoints and to the managed services in the pipeline"
        " uses TLS 1.2 or later; plain HTTP is denied"
    )  # 140 characters
    paths.append("pillars[1].questions[0].choices[1].title")

    ingest[0]["riskRules"] = [rule for rule in ingest[0]["riskRules"] if rule["condition"] != "default"]
    paths.append("pillars[0].questions[0].riskRules")

    none_id = security[0]["id"] + "_no"
    security[0]["choices"] = [c for c in security[0]["choices"] if c["id"] != none_id]
    mentions = re.compile(rf"\b{re.escape(none_id)}\b")
    security[0]["riskRules"] = [r for r in security[0]["riskRules"] if not mentions.search(r["condition"])]
    paths.append("pillars[1].questions[0].choices")

    return lens, paths


def no_default() -> dict[str, Any]:
    """The small lens with two questions of three risk rules and no `default` rule, as some published lenses
    have: in ingest_q1 an answer can fall through every rule (only ingest_q1_idempotent or ingest_q1_replay
    ticked), in sec_q1 the HIGH_RISK rule takes what the others leave."""
    lens = small()
    ingest, security = lens["pillars"][0]["questions"][0], lens["pillars"][1]["questions"][0]
    ingest["riskRules"] = [
        {"condition": "ingest_q1_retry && ingest_q1_dlq && ingest_q1_idempotent", "risk": "NO_RISK"},
        {"condition": "(ingest_q1_retry || ingest_q1_dlq) && !ingest_q1_no", "risk": "MEDIUM_RISK"},
        {"condition": "ingest_q1_no", "risk": "HIGH_RISK"},
    ]
    security["riskRules"] = [
        {
            "condition": "sec_q1_encrypt_rest && sec_q1_tls && (sec_q1_least_priv || sec_q1_keys)",
            "risk": "NO_RISK",
        },
        {"condition": "sec_q1_encrypt_rest||sec_q1_tls", "risk": "MEDIUM_RISK"},
        {"condition": "!sec_q1_encrypt_rest && !sec_q1_tls", "risk": "HIGH_RISK"},
    ]
    return lens


# A question id of 121 characters: its id + "_" + a choice id would pass 128, so the import must shorten.
LONG_QUESTION_ID = _long_id("sec_q2", 121)


def repeated_choice_ids() -> dict[str, Any]:
    """A lens written from the WA Tool's template: every question names its choices `choice1`, `choice2`,
    `choice3` and `risk_mitigated` (the tool scopes a choice id to its question), plus its own None of these.
    Four questions in two pillars; the last question's id is 121 characters long."""

    def question(qid: str, title: str, topic: str) -> dict[str, Any]:
        practices = ["choice1", "choice2", "choice3", "risk_mitigated"]
        choices: list[dict[str, Any]] = [
            {
                "id": cid,
                "title": f"{topic}: practice {n + 1}",
                "helpfulResource": {"displayText": f"Why {topic.lower()} practice {n + 1} matters."},
                "improvementPlan": {
                    "displayText": f"Put {topic.lower()} practice {n + 1} in place.",
                    "url": f"https://example.com/{qid[:12]}/{cid}",
                },
            }
            for n, cid in enumerate(practices)
        ]
        choices.append({"id": f"{qid}_no", "title": "None of these"})
        return {
            "id": qid,
            "title": title,
            "description": f"How the workload handles {topic.lower()}.",
            "choices": choices,
            "riskRules": [
                {"condition": "choice1 && choice2 && (choice3 || risk_mitigated)", "risk": "NO_RISK"},
                {"condition": f"(choice1 || risk_mitigated) && !{qid}_no", "risk": "MEDIUM_RISK"},
                {"condition": "default", "risk": "HIGH_RISK"},
            ],
        }

    return {
        "schemaVersion": "2021-11-01",
        "name": "Template-style Lens",
        "description": "Questions whose choices keep the template's ids.",
        "pillars": [
            {
                "id": "operationalExcellence",
                "name": "Operational Excellence",
                "questions": [
                    question("ops_q1", "How do you deploy changes?", "Deployment"),
                    question("ops_q2", "How do you watch the workload?", "Monitoring"),
                ],
            },
            {
                "id": "security",
                "name": "Security",
                "questions": [
                    question("sec_q1", "How do you protect data?", "Data protection"),
                    question(LONG_QUESTION_ID, "How do you manage identities?", "Identity"),
                ],
            },
        ],
    }


@functools.cache
def _large(target_bytes: int) -> dict[str, Any]:
    fill = target_bytes - 1024  # a little below the target: the result lies in (target - 20 KB, target]
    for total in range(10, 201):
        counts = [total // 10 + (p < total % 10) for p in range(10)]
        base = _size(_lens(counts, [0] * total))
        if base + total * 2048 >= fill:
            break
    else:
        raise ValueError(f"{target_bytes} bytes is more than 10 pillars of 20 questions can hold")
    each, extra = divmod(fill - base, total)
    if each < 1:
        raise ValueError(f"{target_bytes} bytes is too small for a 10-pillar lens of this shape")
    lens = _lens(counts, [each + (n < extra) for n in range(total)])
    assert _size(lens) == fill, (_size(lens), fill)
    return lens


def large(target_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """A valid lens whose JSON (indent 2) is just under `target_bytes` (by 1 KB): 10 pillars, 15 choices each.

    The number of questions grows (spread over the pillars) until their descriptions, at most 2048
    characters, can fill the target; the descriptions' lengths then make up the exact size.
    """
    return copy.deepcopy(_large(target_bytes))


def to_text(lens: dict[str, Any]) -> str:
    """The lens as the file the Well-Architected Tool imports: JSON, 2-space indent, UTF-8, final newline."""
    return json.dumps(lens, indent=2, ensure_ascii=False) + "\n"


def write(lens: dict[str, Any], path: str | Path) -> Path:
    """Write the lens to `path` (see to_text) and return the path."""
    target = Path(path)
    target.write_text(to_text(lens), encoding="utf-8")
    return target
