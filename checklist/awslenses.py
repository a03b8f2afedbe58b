"""The AWS lenses a KB reviews with, and which lens a best-practice id belongs to (by its prefix).

Plain functions over plain values, so the model (checklist.knowledge) and the checks over not yet validated
data (checklist.practices, checklist.ratings) decide a practice's lens, and its page, the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checklist.kbproblems import dicts

ML_PAGE = "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/{}.html"
_FIELDS = ("id", "name", "short", "prefix", "page")


@dataclass(frozen=True)
class LensArea:
    """A focus area of a lens organised by its own areas rather than by pillars (the Responsible AI Lens's
    "Dataset planning"): its practices' ids start with ``prefix`` (RAIDP01-BP01)."""

    id: str
    name: str
    prefix: str


@dataclass(frozen=True)
class AwsLens:
    """An AWS lens the KB reviews with: its best-practice ids start with ``prefix``; ``page`` is the address
    pattern of a practice's page (``{}`` is the id in lower case); ``intro`` opens its guide page, where a
    lens other than the first has one. A lens without pillars of its own has ``areas``: its guide and
    results group it by them, while each practice still names the pillar it most affects."""

    id: str
    name: str
    short: str
    prefix: str
    page: str
    intro: str = ""
    areas: tuple[LensArea, ...] = ()

    def url(self, lens_ref: str) -> str:
        return self.page.format(lens_ref.lower())

    def area_of(self, lens_ref: str) -> LensArea | None:
        """The area a practice id belongs to: the one whose prefix is the longest that starts it."""
        matching = [area for area in self.areas if lens_ref.startswith(area.prefix)]
        return max(matching, key=lambda area: len(area.prefix), default=None)


# The lens of a KB that names none (``aws_lenses`` is newer than the ML Lens content): the ML Lens.
ML_LENS = AwsLens("machine_learning", "Machine Learning Lens", "ML", "ML", ML_PAGE)


def lens_of_ref(lens_ref: str, lenses: tuple[AwsLens, ...] = (ML_LENS,)) -> AwsLens | None:
    """The lens a best-practice id belongs to: the one whose prefix is the longest that starts it."""
    matching = [lens for lens in lenses if lens_ref.startswith(lens.prefix)]
    return max(matching, key=lambda lens: len(lens.prefix), default=None)


def lens_practice_url(lens_ref: str, lenses: tuple[AwsLens, ...] = (ML_LENS,)) -> str:
    """A best practice's page in its own lens, e.g. ``MLSEC01-BP01`` (lens ids are lower case in its URLs);
    an id no lens claims keeps the ML Lens's page pattern, as before lenses were named."""
    lens = lens_of_ref(lens_ref, lenses)
    return (lens or ML_LENS).url(lens_ref)


def data_lenses(data: dict[str, Any]) -> tuple[AwsLens, ...]:
    """The lenses of a KB's plain data (its well-formed ``aws_lenses`` entries, with their well-formed
    areas), or the ML Lens alone."""
    lenses = tuple(
        AwsLens(
            entry["id"],
            entry["name"],
            entry["short"],
            entry["prefix"],
            entry["page"],
            areas=tuple(
                LensArea(area["id"], area["name"], area["prefix"])
                for area in dicts(entry.get("areas"))
                if all(isinstance(area.get(key), str) for key in ("id", "name", "prefix"))
            ),
        )
        for entry in dicts(data.get("aws_lenses"))
        if all(isinstance(entry.get(key), str) for key in _FIELDS)
    )
    return lenses or (ML_LENS,)


def lens_label(ref: str, lenses: tuple[AwsLens, ...]) -> str:
    """How messages name a best practice's lens: "ML Lens", "GenAI Lens" (or "lens" when none claims it)."""
    lens = lens_of_ref(ref, lenses)
    return f"{lens.short} Lens" if lens else "lens"
