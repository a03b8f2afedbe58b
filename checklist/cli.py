"""Command line: assess a state file, compare two milestones, export the custom lens.

    python -m checklist assess STATE.json [--kb PATH] [--format json|markdown|csv] [-o FILE]
    python -m checklist compare OLD.json NEW.json [--kb PATH] [--format json|markdown] [-o FILE]
    python -m checklist lens [--kb PATH] -o custom-lens.json

Errors go to stderr with exit status 2. Output is byte-identical to what the browser offers for download.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from checklist import compare, lens, report
from checklist.assess import assess
from checklist.knowledge import KnowledgeBase
from checklist.problems import KnowledgeBaseError
from checklist.state import State, StateError, parse_state_text

DEFAULT_KB = Path("docs") / "knowledge-base.yml"


class CliError(Exception):
    """A problem to report on stderr with exit status 2."""


def _load_kb(path: Path) -> KnowledgeBase:
    from checklist import kbfile  # needs the kb extra (PyYAML, jsonschema): imported only here

    if not path.is_file():
        raise CliError(f"knowledge base not found: {path} (pass --kb PATH)")
    try:
        kb = kbfile.load(path)
    except KnowledgeBaseError as error:
        raise CliError(error.report()) from None
    if kb.checklist is None:
        raise CliError(f"{path}: the knowledge base has no checklist section")
    return kb


def _load_state(path: str, kb: KnowledgeBase) -> State:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        state = parse_state_text(text, kb)
    except StateError as error:
        raise CliError("\n".join(f"{path}: {problem}" for problem in error.problems)) from None
    for warning in state.warnings:
        print(f"{path}: warning: {warning}", file=sys.stderr)
    return state


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m checklist",
        description="Assess an AI/ML workload against the Well-Architected checklist, offline.",
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
    kb_option(sub)

    sub = commands.add_parser("compare", help="risks resolved and introduced between two state files")
    sub.add_argument("old", help="the earlier state file (a milestone)")
    sub.add_argument("new", help="the later state file")
    sub.add_argument(
        "--format", choices=["json", "markdown"], default="json", help="output format (default: json)"
    )
    kb_option(sub)

    sub = commands.add_parser("lens", help="export the checklist as an AWS Well-Architected Tool custom lens")
    kb_option(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        kb = _load_kb(args.kb)
        if args.command == "assess":
            result = assess(kb, _load_state(args.state, kb))
            _write(report.FORMATS[args.format](result), args.output)
        elif args.command == "compare":
            comparison = compare.compare(kb, _load_state(args.old, kb), _load_state(args.new, kb))
            text = report.to_json(comparison) if args.format == "json" else compare.to_markdown(comparison)
            _write(text, args.output)
        else:
            try:
                _write(lens.export(kb), args.output)
            except lens.LensError as error:
                raise CliError("the checklist breaks custom-lens limits:\n" + str(error)) from None
    except CliError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
