"""checklist.share: the share link's format, from Python (the browser's side is in test_browser_checklist
and test_browser_fuzz). Links the page wrote before the engine did keep opening."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from checklist import share
from checklist.api import Session
from checklist.errors import StateError
from checklist.state import MAX_BYTES, parse_state
from sitebuilder import kbfile

FIXTURES = Path(__file__).parent / "fixtures"
KB = kbfile.load(FIXTURES / "engine-kb.yml")
SESSION = Session(json.dumps(KB.source))
EARLY = json.loads((FIXTURES / "states" / "early.json").read_text())


def ask(**request: Any) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(SESSION.handle(json.dumps(request)))
    return reply


def old_page_link(payload: bytes) -> str:
    """As the page wrote links before: CompressionStream("deflate-raw"), then base64url without padding."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(packer.compress(payload) + packer.flush()).decode().rstrip("=")


def test_round_trip_through_the_api() -> None:
    fragment = ask(op="share", state=EARLY)["fragment"]
    assert fragment.startswith("state=")
    assert set(fragment.removeprefix("state=")) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    reply = ask(op="open_link", fragment=fragment, current="Mine")
    assert reply["ok"] and reply["state"] == parse_state(EARLY, KB).to_dict(KB)
    name = EARLY["workload"]["name"]
    assert (
        reply["question"] == f"Replace your answers for “Mine” with those for “{name}” from the share link?"
    )
    # The link holds the state file the engine saves, byte for byte.
    assert share.decode(fragment.removeprefix("state=")) == ask(op="save", state=EARLY)["text"]


def test_a_link_the_page_made_before_keeps_opening() -> None:
    text = json.dumps(EARLY).encode()
    reply = ask(op="open_link", fragment="state=" + old_page_link(text))
    assert reply["ok"] and reply["state"]["workload"]["name"] == EARLY["workload"]["name"]


def test_a_decompression_bomb_stops_at_the_limit() -> None:
    bomb = old_page_link(b" " * 50_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(StateError, match="at most 1,000,000 bytes"):
        share.decode(bomb)
    exactly = old_page_link(b" " * MAX_BYTES)
    assert len(share.decode(exactly)) == MAX_BYTES


@pytest.mark.parametrize(
    ("fragment", "why"),
    [
        ("state=abc$", "only letters"),
        ("state=A", "cut short"),
        ("state=" + base64.urlsafe_b64encode(b"\xff\xff\xff").decode(), "not compressed"),
        ("state=" + old_page_link(json.dumps(EARLY).encode())[:-6], "cut short"),
        ("state=" + old_page_link(b"\xff\xfe{}"), "not UTF-8"),
    ],
)
def test_a_damaged_link_is_refused_in_words(fragment: str, why: str) -> None:
    reply = ask(op="open_link", fragment=fragment)
    assert reply["ok"] is False
    assert len(reply["problems"]) == 1 and why in reply["problems"][0], reply
    assert "the share link" in reply["problems"][0]


def test_a_link_that_is_not_a_state_file_is_refused_as_an_import_is() -> None:
    reply = ask(op="open_link", fragment="state=" + share.encode("[1, 2]"))
    assert reply["ok"] is False and reply["problems"]


@given(st.text(max_size=2000))
def test_any_state_text_survives_the_link(text: str) -> None:
    assume(not any("\ud800" <= c <= "\udfff" for c in text))  # UTF-8 has no lone surrogates
    assert share.decode(share.encode(text)) == text


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ $", max_size=400)
)
def test_any_fragment_opens_or_is_refused_in_words(fragment: str) -> None:
    reply = ask(op="open_link", fragment=fragment)
    assert reply["ok"] or (reply["problems"] and not reply["problems"][0].startswith("internal error"))
