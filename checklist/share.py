"""The share link: a state file carried in a URL's fragment, so answers travel without a server.

The fragment after ``#state=`` is the state file's UTF-8 text, compressed with raw DEFLATE (no zlib or
gzip header: what a browser's ``CompressionStream("deflate-raw")`` writes) and written in base64url
without padding. Links made before the engine wrote them (by the page itself) have this same form.
A link is untrusted: a few kilobytes may inflate to gigabytes, so inflating stops past the state file's
size limit.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from checklist.errors import StateError
from checklist.state import MAX_BYTES

PREFIX = "state="  # what the fragment starts with
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
DAMAGED = "the share link is damaged: it does not hold a state file"


def encode(text: str) -> str:
    """The fragment's value (after ``state=``) for a state file's text."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(text.encode("utf-8")) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(value: str, limit: int = MAX_BYTES) -> str:
    """The state file's text in a link's fragment value; a StateError when it is damaged or too large.

    Never more than ``limit`` + 1 bytes are inflated, whatever the link."""
    if not _BASE64URL.fullmatch(value):
        raise StateError([f"{DAMAGED} (only letters, digits, - and _ may follow {PREFIX})"])
    try:
        packed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise StateError([f"{DAMAGED} (its base64url text is cut short)"]) from None
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(packed, limit + 1)
    except zlib.error:
        raise StateError([f"{DAMAGED} (it is not compressed data)"]) from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise StateError([f"the share link holds more than a state file may: at most {limit:,} bytes"])
    if not inflater.eof or inflater.unused_data:
        raise StateError([f"{DAMAGED} (its compressed data is cut short or has bytes after the end)"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StateError([f"{DAMAGED} (byte {error.start} is not UTF-8 text)"]) from None
