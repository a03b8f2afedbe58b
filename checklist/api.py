"""JSON in, JSON out: the one entry point the browser's worker calls, so the page holds no logic.

Every request is ``{"op": ..., ...}``; every reply is ``{"ok": true, ...}`` or ``{"ok": false,
"problems": [...]}``. The operations are the CLI's, on the same engine: the browser's downloads are the
CLI's bytes.

- ``assess`` {state, today?, status?, owner?, pillar?} → {result, words}: ``today`` dates it; the others
  filter; ``words`` are what the page writes around the result (checklist.words)
- ``report`` {state, format (a key of report.FORMATS), site_url?, today?} → {text}: the CLI's bytes
- ``save`` {state} → {text}: the state file, as ``python -m checklist state`` writes it
- ``import`` {text, size?, current?, source?} → {state, warnings, question}: ``size`` is the file's byte size,
  checked before its text; ``question`` asks whether the state replaces the answers for the workload named
  ``current``, from ``source`` ("the file x.json")
- ``share`` {state} → {fragment}: the share link's fragment (``state=...``, checklist.share) for the state
- ``open_link`` {fragment, current?} → {state, warnings, question}: a share link's state, as ``import``
- ``compare`` {old, new, since} → {comparison, sections, text}: ``sections`` are its changes under their
  headings, as the page lists them; ``text`` is the Markdown ``compare`` writes
- ``merge`` {mine, mine_name, theirs_text, theirs_name} → {state, text, agenda}: a teammate's file merged in
- ``tracker_status`` {state, text, size?, format?} → {summary, sections, changed}: a tracker's export (text,
  of ``size`` bytes) read into the decisions; ``changed`` holds each decision it changes, whole
  (checklist.trackerstatus)
- ``template_save`` {state, name, version} → {text, file}: the template file, as ``template save`` writes
  it, and a name for it
- ``template_apply`` {state, text, size?} → {state, changes, warnings}: the template file applied to the
  answers (checklist.templates); ``changes`` is {summary, sections}, each section {kind, heading, items}
- ``portfolio`` {files: [{name, text, size}], today?, format?} → {portfolio} (checklist.portfolio), or with
  ``format`` (a key of portfolioreport.FORMATS) → {text}: the CLI's bytes. The last portfolio is kept, so its
  downloads are not computed again
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from checklist import bounded
from checklist.assess import assess
from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from checklist.share import PREFIX
from checklist.share import decode as decode_link
from checklist.share import encode as encode_link
from checklist.state import State, check_size, parse_state, parse_state_text
from checklist.words import page_words, replace_question

# What only the later operations need (exports, milestones, merging): imported on first use, or by warm()
# once the page has its first answer, so that first answer waits for the fewest modules to compile.
LATER = ("checklist.report", "checklist.compare", "checklist.merge", "checklist.trackerstatus")
# A request carries at most a state file or two and a teammate's file (each capped by the state parser),
# escaped; the page's JSON.stringify may send half a UTF-16 pair the page itself holds.
REQUEST = bounded.Kind("a request from the page", 64 * 1024 * 1024, lone_surrogates=True)


def warm() -> None:
    """Import the modules of the later operations, in the worker's idle time after the first answer."""
    for name in LATER:
        importlib.import_module(name)


class Session:
    """The knowledge base, loaded once per worker, and the operations over it."""

    def __init__(self, kb_json: str) -> None:
        # The site's own KB, checked when the site was built: no stranger wrote it.
        self.kb = KnowledgeBase.from_dict(json.loads(kb_json))
        self._portfolio: tuple[str, Any] | None = None  # (its request's files and date, the portfolio)

    def _portfolio_of(self, request: dict[str, Any]) -> Any:
        """The portfolio of the request's files, computed once for the page and each of its downloads."""
        from checklist import portfolio

        files, today = request.get("files"), str(request.get("today") or "")
        if not isinstance(files, list) or not all(
            isinstance(f, dict)
            and isinstance(f.get("name"), str)
            and isinstance(f.get("text"), str)
            and type(f.get("size", -1)) is int
            for f in files
        ):
            raise InputError(["files: must be a list of {name, text, size}"])
        key = json.dumps([files, today])
        if self._portfolio is None or self._portfolio[0] != key:
            given = [portfolio.StateFile(f["name"], f["text"], int(f.get("size", -1))) for f in files]
            self._portfolio = (key, portfolio.portfolio(self.kb, given, today))
        return self._portfolio[1]

    def handle(self, request_json: str) -> str:
        try:
            reply = self._dispatch(bounded.parse(request_json, REQUEST))
        except InputError as error:
            reply = {"ok": False, "problems": error.problems}
        except Exception as error:  # the boundary: a bug must reach the page as a message, not a traceback
            reply = {"ok": False, "problems": [f"internal error ({type(error).__name__}): {error}"]}
        # ASCII: half a UTF-16 pair in the page's own text (a lone surrogate) goes back escaped, as the
        # page's JSON.stringify sent it, never as a string Python cannot encode.
        return json.dumps(reply)

    def _page_state(self, data: object) -> State:
        """The page's own answers: a decision still being filled in is set aside, not an error."""
        return parse_state(data, self.kb, lenient_decisions=True)

    def _imported(self, state: State, request: dict[str, Any], source: str) -> dict[str, Any]:
        question = replace_question(str(request.get("current") or ""), state.workload.name, source)
        return {
            "ok": True,
            "state": state.to_dict(self.kb),
            "warnings": list(state.warnings),
            "question": question,
        }

    def _dispatch(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "assess":
            state = self._page_state(request["state"])
            today, status, owner, pillar, lens = (
                str(request.get(k, "")) for k in ("today", "status", "owner", "pillar", "lens")
            )
            result = assess(self.kb, state, "", today, status, owner, pillar, lens)
            return {"ok": True, "result": result, "words": page_words(result)}
        if op == "report":
            from checklist import report

            render = report.FORMATS[request["format"]]
            state = self._page_state(request["state"])
            site_url, today = str(request.get("site_url", "")), str(request.get("today", ""))
            return {"ok": True, "text": render(assess(self.kb, state, site_url, today))}
        if op == "save":
            return {"ok": True, "text": self._page_state(request["state"]).to_json(self.kb)}
        if op == "import":
            check_size(int(request.get("size", 0)))
            state = parse_state_text(request["text"], self.kb)
            return self._imported(state, request, str(request.get("source") or "the file"))
        if op == "share":
            text = self._page_state(request["state"]).to_json(self.kb)
            return {"ok": True, "fragment": PREFIX + encode_link(text)}
        if op == "open_link":
            fragment = str(request["fragment"]).removeprefix("#").removeprefix(PREFIX)
            state = parse_state_text(decode_link(fragment), self.kb)
            return self._imported(state, request, "the share link")
        if op == "compare":
            from checklist import compare

            old = self._page_state(request["old"])
            new = self._page_state(request["new"])
            comparison = compare.compare(self.kb, old, new, str(request.get("since") or "the milestone"))
            return {
                "ok": True,
                "comparison": comparison,
                "sections": compare.sections(comparison),
                "text": compare.to_markdown(comparison),
            }
        if op == "merge":
            from checklist import merge

            mine = self._page_state(request["mine"])
            theirs = parse_state_text(request["theirs_text"], self.kb)
            named = [(str(request.get("mine_name") or "You"), mine), (str(request["theirs_name"]), theirs)]
            merged = merge.merge(self.kb, named)
            return {
                "ok": True,
                "state": merged.to_dict(self.kb),
                "text": merge.merged_text(len(merged.disagreements)),
                "agenda": merge.agenda(self.kb, merged),
            }
        if op == "tracker_status":
            from checklist import trackerstatus

            bounded.check_size(int(request.get("size", 0)), trackerstatus.EXPORT, trackerstatus.ExportError)
            state = self._page_state(request["state"])
            update = trackerstatus.update(
                self.kb, state, str(request["text"]), str(request.get("format") or "")
            )
            return {"ok": True, **update.to_dict()}
        if op in ("template_save", "template_apply"):
            return self._template(op, request)
        if op == "portfolio":
            from checklist import portfolioreport

            found = self._portfolio_of(request)
            if "format" in request:
                write = portfolioreport.FORMATS.get(str(request["format"]))
                if write is None:
                    raise InputError([f"format: must be one of {', '.join(portfolioreport.FORMATS)}"])
                return {"ok": True, "text": write(found)}
            return {"ok": True, "portfolio": found}
        return {"ok": False, "problems": [f"unknown operation {op!r}"]}

    def _template(self, op: str, request: dict[str, Any]) -> dict[str, Any]:
        """Review templates: the page's "Save as template" and "Apply a template"."""
        from checklist import templates

        state = self._page_state(request["state"])
        if op == "template_save":
            template = templates.save(self.kb, state, str(request["name"]), str(request["version"]))
            return {"ok": True, "text": template.to_json(self.kb), "file": template.file_name}
        templates.check_size(int(request.get("size", 0)))
        template = templates.parse_template_text(request["text"], self.kb)
        applied, changes = templates.apply(self.kb, state, template)
        return {
            "ok": True,
            "state": applied.to_dict(self.kb),
            "changes": changes.to_dict(),
            "warnings": list(template.warnings),
        }
