"""Command line: assess a state file, compare two milestones, rewrite a state file, export the custom lens.

    python -m checklist assess STATE.json --kb KB.json [--format json|markdown|csv|jira|azure-boards|gitlab|github]
        [--site-url URL] [--today YYYY-MM-DD] [-o FILE]
    python -m checklist compare OLD.json NEW.json --kb KB.json [--since NAME] [--format json|markdown] [-o FILE]
    python -m checklist merge A.json B.json [C.json ...] --kb KB.json [--format json|markdown] [-o FILE]
    python -m checklist state STATE.json --kb KB.json [-o FILE]
    python -m checklist portfolio A.json B.json [...] --kb KB.json [--format markdown|json|csv|html]
        [--today YYYY-MM-DD] [-o FILE]
    python -m checklist lens --kb KB.json [--state STATE.json] -o custom-lens.json      (a KB with one lens)
    python -m checklist lens --kb KB.json [--state STATE.json] -o DIR          (several: one file per lens)
    python -m checklist lens --kb KB.json --lens LENS_ID [--state STATE.json] -o FILE   (one lens's file)
    python -m checklist wa-tool script STATE.json --workload-id ID --lens-arn [LENS_ID=]ARN [--lens-arn ...]
        --kb KB.json [--milestone NAME] [-o FILE]
    python -m checklist wa-tool import ANSWERS.json [ANSWERS.json ...] --kb KB.json -o STATE.json
    python -m checklist tracker-status STATE.json EXPORT [--format jira|github|gitlab|azure] --kb KB.json
        [-o NEW_STATE.json]      (the decisions a tracker's export updates; the report on stdout)
    python -m checklist template save STATE.json --name NAME --version VERSION --kb KB.json [-o FILE]
    python -m checklist template apply TEMPLATE.json STATE.json --kb KB.json [-o FILE]
    python -m sitebuilder.cli COMMAND ... [--kb docs/knowledge-base.yml]   (any of the above, on the YAML KB)
    python -m sitebuilder.cli lens import LENS.json -o knowledge-base.yml

The engine's own command reads the KB as JSON (as the site publishes it, in its checklist bundle) and
checks it with every rule the builder applies. The site builder's command, ``python -m sitebuilder.cli``,
runs this same ``main`` with a reader for the KB's YAML source and adds ``lens import`` (dependency
injection: the engine never imports the builder, so it behaves the same from the repository and from
its wheel).

Errors go to stderr with exit status 2. Output is byte-identical to what the browser offers for download.
"""

from __future__ import annotations

import argparse
import datetime
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checklist import compare, kbjson, lens, merge, report, templates, trackerstatus, watool
from checklist import portfolio as portfolios
from checklist.assess import assess
from checklist.errors import InputError
from checklist.knowledge import KnowledgeBase
from checklist.state import STATE_FILE, State, parse_state_text

PROG = "python -m checklist"
BUILDER_PROG = "python -m sitebuilder.cli"  # named in messages only: the engine never imports the builder
YAML_SUFFIXES = (".yml", ".yaml")
REPORT_BUGS = "https://github.com/well-architected-ml/well-architected-ml/issues"


class CliError(Exception):
    """A problem to report on stderr with exit status 2."""


ReadKb = Callable[[Path], KnowledgeBase]  # the builder's YAML reader; raises InputError, located
ImportLens = Callable[[bytes, str, str], tuple[str, list[str]]]  # (lens bytes, its name, KB name)


@dataclass(frozen=True)
class Builder:
    """What the site builder lends the command line: its YAML reader, ``lens import`` and its defaults.
    Without it (the engine alone) a KB is read as JSON, and both of those say which command to use."""

    read_yaml: ReadKb
    import_lens: ImportLens
    default_kb: Path
    prog: str = BUILDER_PROG


def _builder_command(argv: Sequence[str]) -> str:
    return shlex.join([*BUILDER_PROG.split(), *argv])


def _load_kb(path: Path | None, builder: Builder | None, argv: Sequence[str]) -> KnowledgeBase:
    """The KB at ``path``: as JSON by the engine, or as YAML by the builder's reader when it lent one."""
    if path is None:
        raise CliError(
            "--kb: pass the knowledge base as JSON (the site publishes it in its checklist bundle: "
            f"assets/checklist/*/knowledge-base.json); for the YAML source, run {BUILDER_PROG}"
        )
    if not path.is_file():
        raise CliError(f"knowledge base not found: {path} (pass --kb PATH)")
    yaml = path.suffix.lower() in YAML_SUFFIXES
    if yaml and builder is None:
        raise CliError(
            f"{path}: a knowledge base in YAML is read by the site builder: run `{_builder_command(argv)}` "
            "in a clone of the repository, or pass the KB as JSON (assets/checklist/*/knowledge-base.json "
            "in the built site)"
        )
    try:
        if yaml and builder is not None:
            kb = builder.read_yaml(path)
        else:
            kb = kbjson.load_text(_read_text(path), str(path))
    except InputError as error:
        raise CliError(str(error)) from None
    if kb.checklist is None:
        raise CliError(f"{path}: the knowledge base has no checklist section")
    return kb


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"{path}: cannot read: {error}") from None


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


def _import_lens(path: str, output: str | None, builder: Builder | None, argv: Sequence[str]) -> None:
    """``lens import``: a KB (YAML) from a custom lens file, with one warning line per deviation."""
    if builder is None:
        raise CliError(
            f"lens import writes the KB's YAML source, the site builder's: run `{_builder_command(argv)}`"
        )
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise CliError(f"{path}: cannot read: {error}") from None
    try:
        text, warnings = builder.import_lens(data, path, output or "knowledge-base.yml")
    except InputError as error:
        raise CliError("\n".join(error.problems)) from None
    for warning in warnings:
        print(warning, file=sys.stderr)
    _write(text, output)


def _parser(builder: Builder | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=builder.prog if builder else PROG,
        description="Assess a workload against a knowledge base's Well-Architected checklist, offline.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def kb_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--kb",
            type=Path,
            default=builder.default_kb if builder else None,
            help=f"knowledge base, YAML or JSON (default: {builder.default_kb})"
            if builder
            else "knowledge base as JSON, as the site publishes it (assets/checklist/*/knowledge-base.json)",
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

    sub = commands.add_parser(
        "portfolio",
        help="many workloads side by side: risks per pillar and lens, the practices most miss, their decisions",
        description="The portfolio of several workloads' state files. A file that cannot be read is left out "
        "and named in the report and on stderr, and the exit status is then 2 (the report is still written).",
    )
    sub.add_argument("states", nargs="+", metavar="STATE", help="state files saved by the checklist page")
    sub.add_argument(
        "--format",
        choices=["markdown", "json", "csv", "html"],
        default="markdown",
        help="markdown, json, csv (the risk table) or html (a standalone page with the heat map); "
        "default: markdown",
    )
    sub.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the date decisions are overdue by (default: today's date on this computer)",
    )
    kb_option(sub)

    sub = commands.add_parser("state", help="check a state file and write it as the checklist page saves it")
    sub.add_argument("state", help="state file (- for standard input)")
    kb_option(sub)

    sub = commands.add_parser(
        "lens",
        help="export the checklist as an AWS Well-Architected Tool custom lens, or import one as a KB",
        description="Without an action: write the checklist as a custom lens; a checklist of several AWS "
        "lenses is one custom lens per lens (-o FOLDER for all of them, --lens LENS_ID for one). "
        "`lens import LENS.json -o knowledge-base.yml`: write a knowledge base made from a custom lens "
        "(one warning line per deviation from the lens format; nothing is written if it is not a lens).",
    )
    sub.add_argument(
        "action", nargs="?", choices=["export", "import"], default="export", help="default: export"
    )
    sub.add_argument("lens_file", nargs="?", metavar="LENS.json", help="for import: the custom lens file")
    sub.add_argument("--state", help="a workload's state file: leave out what its scope does not cover")
    sub.add_argument(
        "--lens",
        metavar="LENS_ID",
        help="only this lens's questions (a KB with several lenses: without it, -o is a folder that gets "
        "one file per lens)",
    )
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
    sub.add_argument(
        "--lens-arn",
        required=True,
        action="append",
        metavar="[LENS_ID=]ARN",
        help="the ARN the tool gave the imported custom lens; for a checklist of several lenses, one per lens "
        "the state answers, named by its lens (--lens-arn generative_ai=ARN)",
    )
    sub.add_argument(
        "--milestone",
        default=watool.DEFAULT_MILESTONE,
        help=f"the milestone the script saves last (default: {watool.DEFAULT_MILESTONE})",
    )
    kb_option(sub)
    sub = actions.add_parser(
        "import", help="a state file from what `aws wellarchitected list-answers` or `get-answer` printed"
    )
    sub.add_argument(
        "answers",
        nargs="+",
        help="the AWS CLI's JSON output (- for standard input); one per lens review, merged into one state",
    )
    kb_option(sub)

    sub = commands.add_parser(
        "tracker-status",
        help="update a state's decisions from what a tracker exports (Jira, GitHub, GitLab, Azure Boards)",
        description="Match each ticket of a tracker's export to a recommendation by its stable id, update "
        "the decision's status and ticket, and print what matched, what did not and what conflicts. With -o, "
        "write the updated state file there; without it, nothing is written.",
    )
    sub.add_argument("state", help="state file (- for standard input)")
    sub.add_argument(
        "export",
        help="the tracker's export: Jira's CSV, `gh issue list --state all --json number,title,state,labels,url`, "
        "GitLab's issues CSV or an Azure Boards query's CSV",
    )
    sub.add_argument(
        "--format",
        choices=sorted(trackerstatus.FORMATS),
        help="the export's tracker (default: read from the file)",
    )
    kb_option(sub)

    sub = commands.add_parser(
        "template", help="save a state's answers as a review template, or apply one to a workload"
    )
    actions = sub.add_subparsers(dest="template_command", required=True, metavar="ACTION")
    sub = actions.add_parser("save", help="a template file from a state file's answers and scope")
    sub.add_argument("state", help="state file (- for standard input)")
    sub.add_argument(
        "--name", required=True, help="the template's name, as answers will say where they came from"
    )
    sub.add_argument("--version", required=True, help="the template's version (2, 2026-03, ...)")
    kb_option(sub)
    sub = actions.add_parser(
        "apply",
        help="a workload's state with a template applied: never overwrites an answer the workload changed "
        "itself; what changed goes to standard error",
    )
    sub.add_argument("template", help="the template file")
    sub.add_argument("state", help="the workload's state file (- for standard input)")
    kb_option(sub)
    return parser


def _tracker_status(args: argparse.Namespace, kb: KnowledgeBase) -> None:
    """``tracker-status``: the report on standard output (standard error when -o - takes it), and with -o
    the state file with the updated decisions."""
    if args.state == "-" and args.export == "-":
        raise CliError("tracker-status: standard input (-) can be read once")
    state = _load_state(args.state, kb)
    try:
        data = sys.stdin.buffer.read() if args.export == "-" else Path(args.export).read_bytes()
    except OSError as error:
        raise CliError(f"{args.export}: cannot read: {error}") from None
    try:
        update = trackerstatus.update(kb, state, data, args.format or "")
    except InputError as error:
        raise CliError("\n".join(f"{args.export}: {problem}" for problem in error.problems)) from None
    if args.output:
        _write(update.state.to_json(kb), args.output)
    print(update.text(), end="", file=sys.stderr if args.output == "-" else sys.stdout)


def _template(args: argparse.Namespace, kb: KnowledgeBase) -> None:
    """``template save`` and ``template apply``: review templates (checklist.templates)."""
    if args.template_command == "save":
        state = _load_state(args.state, kb)
        try:
            template = templates.save(kb, state, args.name, args.version)
        except InputError as error:
            raise CliError("\n".join(p.replace("template.", "--", 1) for p in error.problems)) from None
        _write(template.to_json(kb), args.output)
        return
    if args.template == "-":
        raise CliError("template apply: give the template as a file (the state may come from standard input)")
    try:
        template = templates.parse_template_text(Path(args.template).read_bytes(), kb)
    except OSError as error:
        raise CliError(f"{args.template}: cannot read: {error}") from None
    except InputError as error:
        raise CliError("\n".join(f"{args.template}: {problem}" for problem in error.problems)) from None
    for warning in template.warnings:
        print(f"{args.template}: warning: {warning}", file=sys.stderr)
    state, changes = templates.apply(kb, _load_state(args.state, kb), template)
    _write(state.to_json(kb), args.output)
    sys.stderr.write(changes.to_text())


def _wa_tool(args: argparse.Namespace, kb: KnowledgeBase) -> None:
    """``wa-tool script`` and ``wa-tool import``: the round trip with the AWS Well-Architected Tool."""
    if args.wa_command == "script":
        try:
            lens_arns = watool.lens_arns(kb, args.lens_arn)
        except InputError as error:
            raise CliError("\n".join(error.problems)) from None
        problems = watool.check_target(args.workload_id, lens_arns, args.milestone)
        if problems:
            raise CliError("\n".join(problems))
        state = _load_state(args.state, kb)
        try:
            text = watool.script(kb, state, args.workload_id, lens_arns, args.milestone)
        except InputError as error:
            raise CliError(f"{args.state}: " + f"\n{args.state}: ".join(error.problems)) from None
        _write(text, args.output)
        return
    if args.answers.count("-") > 1:
        raise CliError("wa-tool import: standard input (-) can be read once")
    outputs: list[tuple[str, str]] = []
    for path in args.answers:
        try:
            outputs.append(
                (path, sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8"))
            )
        except (OSError, UnicodeDecodeError) as error:
            raise CliError(f"{path}: cannot read: {error}") from None
    try:
        state = watool.read_answer_texts(kb, outputs)
    except InputError as error:
        raise CliError("\n".join(error.problems)) from None
    prefix = f"{outputs[0][0]}: " if len(outputs) == 1 else ""  # several: each warning names its file
    for warning in state.warnings:
        print(f"{prefix}warning: {warning}", file=sys.stderr)
    _write(state.to_json(kb), args.output)


def _portfolio(args: argparse.Namespace, kb: KnowledgeBase) -> bool:
    """``portfolio``: the report of every readable file; False when a file was left out (each named)."""
    from checklist import portfolioreport

    today = args.today if args.today is not None else datetime.date.today().isoformat()
    if today and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", today):
        raise CliError(f"--today: must be a date as YYYY-MM-DD (got {today!r})")
    files: list[portfolios.StateFile] = []
    for path in args.states:
        try:
            size = Path(path).stat().st_size
            with open(path, "rb") as handle:  # never more than the cap: the engine refuses it by its size
                data = handle.read(STATE_FILE.max_bytes + 1)
        except OSError as error:
            files.append(portfolios.StateFile(path, "", problem=f"cannot read: {error.strerror or error}"))
            continue
        try:
            files.append(portfolios.StateFile(path, data.decode("utf-8-sig"), size))
        except UnicodeDecodeError as undecodable:
            files.append(portfolios.StateFile(path, "", size, f"not UTF-8 text (byte {undecodable.start})"))
    try:
        found = portfolios.portfolio(kb, files, today)
    except InputError as error:
        raise CliError("\n".join(error.problems)) from None
    for item in found["left_out"]:
        for problem in item["problems"]:
            print(f"{item['file']}: {problem}", file=sys.stderr)
    for workload in found["workloads"]:
        for warning in workload["warnings"]:
            print(f"{workload['file']}: warning: {warning}", file=sys.stderr)
    _write(portfolioreport.FORMATS[args.format](found), args.output)
    return not found["left_out"]


def _export_lens(args: argparse.Namespace, kb: KnowledgeBase) -> None:
    """``lens``: the custom lens file, or with several lenses one lens's (``--lens``) or a folder of them."""
    state = _load_state(args.state, kb) if args.state else None
    known = [aws_lens.id for aws_lens in lens.lenses(kb)]
    try:
        if args.lens is not None:
            if args.lens not in known:
                raise CliError(
                    f"--lens {args.lens!r}: not a lens of this checklist; its lenses: {', '.join(known)}"
                )
            if state is not None and not lens.build(kb, state, args.lens)["pillars"]:
                raise CliError(
                    f"--lens {args.lens}: the workload's scope ({args.state}) leaves out every question "
                    f"of the {kb.aws_lens(args.lens).name}: there is no lens to write"
                )
            _write(lens.export(kb, state, args.lens if lens.several(kb) else None), args.output)
        elif not lens.several(kb):
            _write(lens.export(kb, state), args.output)
        else:
            _export_lenses(args, kb, state, known)
    except InputError as error:
        raise CliError("the checklist breaks custom-lens limits:\n" + str(error)) from None


def _export_lenses(
    args: argparse.Namespace, kb: KnowledgeBase, state: State | None, known: list[str]
) -> None:
    """One file per lens into the folder ``-o`` names (made if missing)."""
    output = args.output
    if output in (None, "-") or output.lower().endswith(".json") or Path(output).is_file():
        raise CliError(
            f"this checklist has {len(known)} lenses ({', '.join(known)}), one custom lens file each: "
            "pass -o FOLDER for all of them, or --lens LENS_ID -o FILE for one"
        )
    files = lens.exports(kb, state)
    if not files:
        raise CliError(f"the workload's scope ({args.state}) leaves out every question: no lens to write")
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot make the folder {output}: {error}") from None
    for name, text in files.items():
        _write(text, str(folder / name))
    for aws_lens in lens.lenses(kb):
        if lens.file_name(kb, aws_lens.id) not in files:
            print(
                f"{args.state}: the workload's scope leaves out every question of the {aws_lens.name}: "
                f"no {lens.file_name(kb, aws_lens.id)}",
                file=sys.stderr,
            )


def main(argv: Sequence[str] | None = None, builder: Builder | None = None) -> int:
    """Run one command; 0, or 2 with the problems on stderr (1 for a bug, one line)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser(builder).parse_args(argv)
    try:
        if args.command == "lens" and args.action == "import":
            if not args.lens_file:
                raise CliError(
                    f"lens import needs the lens file: {BUILDER_PROG} lens import LENS.json -o KB.yml"
                )
            _import_lens(args.lens_file, args.output, builder, argv)
            return 0
        if args.command == "lens" and args.lens_file:
            raise CliError(
                f"lens: unexpected {args.lens_file!r} (did you mean `lens import {args.lens_file}`?)"
            )
        kb = _load_kb(args.kb, builder, argv)
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
        elif args.command == "portfolio":
            if not _portfolio(args, kb):
                return 2
        elif args.command == "wa-tool":
            _wa_tool(args, kb)
        elif args.command == "tracker-status":
            _tracker_status(args, kb)
        elif args.command == "template":
            _template(args, kb)
        else:
            _export_lens(args, kb)
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
