"""Command line: assess a state file, compare two milestones, rewrite a state file, export the custom lens.

    python -m checklist assess STATE.json [--kb PATH] [--format json|markdown|csv|jira|azure-boards|gitlab|github]
        [--site-url URL] [--today YYYY-MM-DD] [-o FILE]
    python -m checklist compare OLD.json NEW.json [--kb PATH] [--since NAME] [--format json|markdown] [-o FILE]
    python -m checklist merge A.json B.json [C.json ...] [--kb PATH] [--format json|markdown] [-o FILE]
    python -m checklist state STATE.json [--kb PATH] [-o FILE]
    python -m checklist lens [--kb PATH] [--state STATE.json] -o custom-lens.json
    python -m checklist lens import LENS.json -o knowledge-base.yml
    python -m checklist wa-tool script STATE.json --workload-id ID --lens-arn ARN [--kb PATH] [--milestone NAME] [-o FILE]
    python -m checklist wa-tool import ANSWERS.json [--kb PATH] -o STATE.json

Errors go to stderr with exit status 2. Output is byte-identical to what the browser offers for download.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from checklist import compare, lens, merge, report, watool
from checklist.assess import assess
from checklist.bounded import depth_problem, loads
from checklist.errors import InputError
from checklist.knowledge import KB_FILENAME, KnowledgeBase
from checklist.state import State, parse_state_text

DEFAULT_KB = Path("docs") / KB_FILENAME
REPORT_BUGS = "https://github.com/well-architected-ml/well-architected-ml/issues"


class CliError(Exception):
    """A problem to report on stderr with exit status 2."""


def _load_kb(path: Path) -> KnowledgeBase:
    """The KB at ``path``. The YAML source is read, with line numbers and every check, by the site builder
    (installed beside the engine in this repository); a KB published as JSON needs the engine alone."""
    if not path.is_file():
        raise CliError(f"knowledge base not found: {path} (pass --kb PATH)")
    try:
        kbfile = importlib.import_module("sitebuilder.kbfile")
    except ImportError:
        kb = _load_json_kb(path)
    else:
        try:
            kb = kbfile.load(path)
        except InputError as error:
            raise CliError(str(error)) from None
    if kb.checklist is None:
        raise CliError(f"{path}: the knowledge base has no checklist section")
    return kb


def _load_json_kb(path: Path) -> KnowledgeBase:
    try:
        text = path.read_text(encoding="utf-8")
        if problem := depth_problem(text):
            raise CliError(f"{path}: {problem}")
        return KnowledgeBase.from_dict(loads(text))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise CliError(
            f"{path}: not a knowledge base in JSON ({error}); a YAML knowledge base needs the site builder "
            "(run the command from a clone of the repository, where make sets it up)"
        ) from None


def _load_state(path: str, kb: KnowledgeBase) -> State:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        state = parse_state_text(text, kb)
    except InputError as error:
        raise CliError("\n".join(f"{path}: {problem}" for problem in error.problems)) from None
    for warning in state.warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    return state


def _write(text: str, output: str | None) -> None:
    """Standard output, or the file, written whole or not at all (a temporary file renamed over it)."""
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CliError(f"cannot write {output}: {error}") from None


def _import_lens(path: str, output: str | None) -> None:
    """``lens import``: a KB (YAML) from a custom lens file, with one warning line per deviation."""
    try:
        lensimport = importlib.import_module("sitebuilder.lensimport")
    except ImportError:
        raise CliError(
            "lens import needs the site builder: run it from a clone of the repository (make sets it up)"
        ) from None
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        text, warnings = lensimport.import_lens(data, path, output or "knowledge-base.yml")
    except InputError as error:
        raise CliError("\n".join(error.problems)) from None
    for warning in warnings:
        print(warning, file=sys.stderr)
    _write(text, output)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checklist",
        description="Assess a workload against a knowledge base's Well-Architected checklist, offline.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def kb_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--kb",
            type=Path,
            default=DEFAULT_KB,
            help=f"knowledge base, YAML or JSON (default: {DEFAULT_KB})",
        )
        sub.add_argument("-o", "--output", help="write here instead of standard output")

    sub = commands.add_parser("assess", help="risks and the prioritized improvement plan for a state file")
    sub.add_argument("state", help="state file saved by the checklist page (- for standard input)")
    sub.add_argument(
        "--format", choices=sorted(report.FORMATS), default="json", help="output format (default: json)"
    )
    sub.add_argument(
        "--site-url", default="", help="the published guide's address, so the plan links to its sections"
    )
    sub.add_argument(
        "--today",
        default="",
        metavar="YYYY-MM-DD",
        help="the review's date: shown in the report, and accepted risks past their review date are flagged",
    )
    kb_option(sub)

    sub = commands.add_parser("compare", help="risks resolved and introduced between two state files")
    sub.add_argument("old", help="the earlier state file (a milestone)")
    sub.add_argument("new", help="the later state file")
    sub.add_argument("--since", help="the milestone's name in the summary (default: the old file's name)")
    sub.add_argument(
        "--format", choices=["json", "markdown"], default="json", help="output format (default: json)"
    )
    kb_option(sub)

    sub = commands.add_parser(
        "merge", help="merge teammates' state files into one, cautious where they differ"
    )
    sub.add_argument("states", nargs="+", metavar="STATE", help="two or more state files (names say who)")
    sub.add_argument(
        "--format",
        choices=["json", "markdown"],
        default="json",
        help="json: the merged state file; markdown: the review agenda of disagreements (default: json)",
    )
    kb_option(sub)

    sub = commands.add_parser("state", help="check a state file and write it as the checklist page saves it")
    sub.add_argument("state", help="state file (- for standard input)")
    kb_option(sub)

    sub = commands.add_parser(
        "lens",
        help="export the checklist as an AWS Well-Architected Tool custom lens, or import one as a KB",
        description="Without an action: write the checklist as a custom lens. "
        "`lens import LENS.json -o knowledge-base.yml`: write a knowledge base made from a custom lens "
        "(one warning line per deviation from the lens format; nothing is written if it is not a lens).",
    )
    sub.add_argument(
        "action", nargs="?", choices=["export", "import"], default="export", help="default: export"
    )
    sub.add_argument("lens_file", nargs="?", metavar="LENS.json", help="for import: the custom lens file")
    sub.add_argument("--state", help="a workload's state file: leave out what its scope does not cover")
    kb_option(sub)

    sub = commands.add_parser(
        "wa-tool", help="send answers to the AWS Well-Architected Tool, or read its answers"
    )
    actions = sub.add_subparsers(dest="wa_command", required=True, metavar="ACTION")
    sub = actions.add_parser(
        "script", help="an sh script of AWS CLI calls that sends a state's answers to a workload"
    )
    sub.add_argument("state", help="state file (- for standard input)")
    sub.add_argument("--workload-id", required=True, help="the workload's id in the tool (32 hex characters)")
    sub.add_argument("--lens-arn", required=True, help="the ARN the tool gave the imported custom lens")
    sub.add_argument(
        "--milestone",
        default=watool.DEFAULT_MILESTONE,
        help=f"the milestone the script saves last (default: {watool.DEFAULT_MILESTONE})",
    )
    kb_option(sub)
    sub = actions.add_parser(
        "import", help="a state file from what `aws wellarchitected list-answers` or `get-answer` printed"
    )
    sub.add_argument("answers", help="the AWS CLI's JSON output (- for standard input)")
    kb_option(sub)
    return parser


def _wa_tool(args: argparse.Namespace, kb: KnowledgeBase) -> None:
    """``wa-tool script`` and ``wa-tool import``: the round trip with the AWS Well-Architected Tool."""
    if args.wa_command == "script":
        problems = watool.check_target(args.workload_id, args.lens_arn, args.milestone)
        if problems:
            raise CliError("\n".join(problems))
        state = _load_state(args.state, kb)
        try:
            text = watool.script(kb, state, args.workload_id, args.lens_arn, args.milestone)
        except InputError as error:
            raise CliError(f"{args.state}: " + f"\n{args.state}: ".join(error.problems)) from None
        _write(text, args.output)
        return
    path = args.answers
    try:
        answers = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        state = watool.read_answers_text(kb, answers)
    except InputError as error:
        raise CliError("\n".join(f"{path}: {problem}" for problem in error.problems)) from None
    for warning in state.warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    _write(state.to_json(kb), args.output)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "lens" and args.action == "import":
            if not args.lens_file:
                raise CliError(
                    "lens import needs the lens file: python -m checklist lens import LENS.json -o KB.yml"
                )
            _import_lens(args.lens_file, args.output)
            return 0
        if args.command == "lens" and args.lens_file:
            raise CliError(
                f"lens: unexpected {args.lens_file!r} (did you mean `lens import {args.lens_file}`?)"
            )
        kb = _load_kb(args.kb)
        if args.command == "assess":
            site_url = args.site_url and args.site_url.rstrip("/") + "/"
            if args.today and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.today):
                raise CliError(f"--today: must be a date as YYYY-MM-DD (got {args.today!r})")
            result = assess(kb, _load_state(args.state, kb), site_url, args.today)
            _write(report.FORMATS[args.format](result), args.output)
        elif args.command == "compare":
            since = args.since or Path(args.old).stem
            comparison = compare.compare(kb, _load_state(args.old, kb), _load_state(args.new, kb), since)
            text = report.to_json(comparison) if args.format == "json" else compare.to_markdown(comparison)
            _write(text, args.output)
        elif args.command == "merge":
            if len(args.states) < 2:
                raise CliError("merge needs two or more state files")
            named = [(Path(path).stem, _load_state(path, kb)) for path in args.states]
            merged = merge.merge(kb, named)
            _write(merged.to_json(kb) if args.format == "json" else merge.agenda(kb, merged), args.output)
        elif args.command == "state":
            _write(_load_state(args.state, kb).to_json(kb), args.output)
        elif args.command == "wa-tool":
            _wa_tool(args, kb)
        else:
            try:
                _write(lens.export(kb, _load_state(args.state, kb) if args.state else None), args.output)
            except InputError as error:
                raise CliError("the checklist breaks custom-lens limits:\n" + str(error)) from None
    except CliError as error:
        print(error, file=sys.stderr)
        return 2
    except Exception as error:  # the boundary: a bug is one line saying so, never a traceback
        print(
            f"internal error ({type(error).__name__}: {error}); please report it at {REPORT_BUGS}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
