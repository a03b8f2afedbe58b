"""The portfolio (checklist.portfolio) as files: JSON, a Markdown report, a CSV of the risk table, and a
standalone HTML page with the heat map.

Each function returns text, so the CLI and the page's downloads are the same bytes. The HTML file asks for
nothing outside itself: its one <style> is allowed by its own policy (by hash), it has no script, and every
string in it is escaped. Its heat map reads without colour: each cell says its level and its counts.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from html import escape

from checklist.portfolio import Cell, DecisionItem, Portfolio, Row, Table
from checklist.report import md, table
from checklist.scales import RISK_LABELS
from checklist.text import fold


def to_json(portfolio: Portfolio) -> str:
    return json.dumps(portfolio, indent=2, ensure_ascii=False) + "\n"


def _tables(portfolio: Portfolio) -> list[Table]:
    return [portfolio["pillars"]] + ([portfolio["lenses"]] if portfolio["lenses"] else [])


def _md_cell(item: Cell) -> str:
    return f"**{item['label']}**: {item['text']}"


def _md_table(found: Table) -> list[str]:
    header = [found["corner"], *(md(c["name"]) for c in found["columns"]), found["total"]]
    rows = [
        [md(row["workload"]), *(_md_cell(c) for c in row["cells"]), _md_cell(row["total"])]
        for row in found["rows"]
    ]
    totals = found["totals"]
    rows.append(
        [f"**{md(totals['workload'])}**", *(_md_cell(c) for c in totals["cells"]), _md_cell(totals["total"])]
    )
    return table(header, rows)


def to_markdown(portfolio: Portfolio) -> str:
    """The portfolio as a review record: the heat map as tables whose cells say their level in words."""
    lines = [f"# {md(portfolio['title'])}", ""]
    if portfolio["dated"]:
        lines += [md(portfolio["dated"]), ""]
    lines += [md(portfolio["summary"]) + ".", ""]
    if portfolio["left_out"]:
        lines += [f"## {portfolio['left_out_heading']}", "", portfolio["left_out_text"], ""]
        lines += [
            f"- **{md(item['file'])}**: {md('; '.join(item['problems']))}" for item in portfolio["left_out"]
        ]
        lines.append("")
    for n, found in enumerate(_tables(portfolio)):
        lines += [f"## {found['heading']}", "", f"{found['caption']}.", ""]
        if n == 0:
            lines += [portfolio["legend"], "", *(f"- {level['text']}" for level in portfolio["levels"]), ""]
        lines += [*_md_table(found), ""]
    practices = portfolio["practices"]
    lines += [f"## {practices['heading']}", "", practices["text"] or practices["empty"], ""]
    shown = practices["items"][: practices["shown"]]
    if shown:
        lines += table(
            practices["columns"],
            [
                [
                    str(item["rank"]),
                    md(item["title"]),
                    md(item["pillar_name"]),
                    md(item["lens_name"]),
                    md(item["text"]),
                    md(", ".join(item["workloads"])),
                ]
                for item in shown
            ],
        )
        lines.append("")
    lines += [f"## {portfolio['decisions_heading']}", ""]
    for listed in portfolio["decisions"]:
        lines += [f"### {listed['heading']}", ""]
        if not listed["items"]:
            lines += [listed["empty"], ""]
            continue
        lines += table(
            listed["columns"],
            [
                [md(v) for v in _decision_values(listed["id"], i)[:-1]]
                + [_md_last(listed["id"], _decision_values(listed["id"], i)[-1])]
                for i in listed["items"]
            ],
        )
        lines.append("")
    noted = [w for w in portfolio["workloads"] if w["warnings"]]
    if noted:
        lines += [f"## {portfolio['warnings_heading']}", ""]
        for workload in noted:
            lines += [
                f"- **{md(workload['name'])}** ({md(workload['file'])}): {md(w)}"
                for w in workload["warnings"]
            ]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_last(kind: str, value: str) -> str:
    """An open decision's last column is its ticket: a link where Markdown reads it as one."""
    if kind != "review" and value and not re.search(r"[\s<>|`\\]", value):  # a "|" would split the cell
        return f"<{value}>"
    return md(value)


def _decision_values(kind: str, item: DecisionItem) -> list[str]:
    """A decision's row, in its list's columns."""
    if kind == "review":
        return [item["workload"], item["title"], item["owner"], item["date"], item["reason"]]
    return [item["workload"], item["title"], item["status"], item["owner"], item["date"], item["ticket"]]


CSV_COLUMNS = ("Workload", "File", "By", "Group", "Level", *RISK_LABELS.values())


def to_csv(portfolio: Portfolio) -> str:
    """The risk table for a spreadsheet: one row per workload and pillar (then per workload and lens), with
    the cell's level and its counts (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for by, found in (("Pillar", portfolio["pillars"]), ("Lens", portfolio["lenses"])):
        if found is None:
            continue
        names = {c["id"]: c["name"] for c in found["columns"]}
        for row in [*found["rows"], found["totals"]]:
            for item in row["cells"]:
                counts = item["counts"]
                writer.writerow(
                    [
                        fold(row["workload"]),
                        row["file"],
                        by,
                        names[item["id"]],
                        item["label"],
                        *(counts[risk] for risk in RISK_LABELS),  # type: ignore[literal-required]
                    ]
                )
    return buffer.getvalue()


# Light and dark, by the reader's setting; each level a colour and, as every cell also says it in words, a
# heat map that reads in print and without colour too.
STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fff; --line: #c8c8d0; --muted: #55555f;
  --high: #f6c4c0; --medium: #fde3b0; --unanswered: #e4e4ea; --none: #cdebd3; --na: #f4f4f6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8ee; --bg: #1e1f26; --line: #4a4b57; --muted: #b4b4c0;
  --high: #6b2723; --medium: #5f4712; --unanswered: #3a3b45; --none: #1f4d2b; --na: #2a2b33; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 1.5rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; } h3 { font-size: 1.05rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--na); }
tbody th { position: sticky; left: 0; background: var(--bg); }
td.level strong { display: block; }
td.level small { color: var(--fg); }
.level-high { background: var(--high); } .level-medium { background: var(--medium); }
.level-unanswered { background: var(--unanswered); } .level-none { background: var(--none); }
.level-not_applicable, .level-not_in_scope { background: var(--na); color: var(--muted); }
.note { color: var(--muted); }
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
POLICY = f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'"


def _h(text: str) -> str:
    return escape(text, quote=True)


def _html_cell(item: Cell, tag: str = "td") -> str:
    return (
        f'<{tag} class="level level-{_h(item["level"])}" title="{_h(item["title"])}">'
        f"<strong>{_h(item['label'])}</strong> <small>{_h(item['text'])}</small></{tag}>"
    )


def _html_row(row: Row, total_row: bool = False) -> str:
    name = f"<strong>{_h(row['workload'])}</strong>" if total_row else _h(row["workload"])
    cells = "".join(_html_cell(c) for c in row["cells"]) + _html_cell(row["total"])
    return f'<tr><th scope="row">{name}</th>{cells}</tr>'


def _html_table(found: Table) -> str:
    head = "".join(f'<th scope="col">{_h(c["name"])}</th>' for c in found["columns"])
    body = "".join(_html_row(row) for row in found["rows"]) + _html_row(found["totals"], True)
    return (
        f'<div class="scroll"><table class="heat"><caption class="note">{_h(found["caption"])}</caption>'
        f'<thead><tr><th scope="col">{_h(found["corner"])}</th>{head}<th scope="col">{_h(found["total"])}</th>'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _html_value(value: str, link: bool) -> str:
    """A cell's text; a ticket's address (the state parser lets only http and https ones in) as a link."""
    if link and value.startswith(("https://", "http://")):
        return f'<a href="{_h(value)}" rel="noreferrer">{_h(value)}</a>'
    return _h(value)


def _plain_table(columns: list[str], rows: list[list[str]], links: bool = False) -> str:
    """A table of text; with ``links``, its last column holds tickets."""
    head = "".join(f'<th scope="col">{_h(c)}</th>' for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_html_value(v, links and n == len(row) - 1)}</td>" for n, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def to_html(portfolio: Portfolio) -> str:
    """A standalone page: no script, no request, its style allowed by its own policy."""
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',  # ours: no quote to escape
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(portfolio['title'])}</title>",
        f"<style>{STYLE}</style></head>",
        "<body>",
        f"<h1>{_h(portfolio['title'])}</h1>",
    ]
    if portfolio["dated"]:
        parts.append(f'<p class="note">{_h(portfolio["dated"])}</p>')
    parts.append(f"<p>{_h(portfolio['summary'])}.</p>")
    if portfolio["left_out"]:
        parts += [f"<h2>{_h(portfolio['left_out_heading'])}</h2>", f"<p>{_h(portfolio['left_out_text'])}</p>"]
        items = "".join(
            f"<li><strong>{_h(item['file'])}</strong>: {_h('; '.join(item['problems']))}</li>"
            for item in portfolio["left_out"]
        )
        parts.append(f"<ul>{items}</ul>")
    legend = "".join(
        f'<li><span class="level-{_h(level["id"])}">{_h(level["label"])}</span>: {_h(level["meaning"])}</li>'
        for level in portfolio["levels"]
    )
    for found in _tables(portfolio):
        parts += [f"<h2>{_h(found['heading'])}</h2>", _html_table(found)]
    parts += [f"<p>{_h(portfolio['legend'])}</p>", f"<ul>{legend}</ul>"]
    practices = portfolio["practices"]
    parts += [f"<h2>{_h(practices['heading'])}</h2>", f"<p>{_h(practices['text'] or practices['empty'])}</p>"]
    shown = practices["items"][: practices["shown"]]
    if shown:
        parts.append(
            _plain_table(
                practices["columns"],
                [
                    [
                        str(item["rank"]),
                        item["title"],
                        item["pillar_name"],
                        item["lens_name"],
                        item["text"],
                        ", ".join(item["workloads"]),
                    ]
                    for item in shown
                ],
            )
        )
    parts.append(f"<h2>{_h(portfolio['decisions_heading'])}</h2>")
    for listed in portfolio["decisions"]:
        parts.append(f"<h3>{_h(listed['heading'])}</h3>")
        if listed["items"]:
            rows = [_decision_values(listed["id"], item) for item in listed["items"]]
            parts.append(_plain_table(listed["columns"], rows, links=listed["id"] != "review"))
        else:
            parts.append(f'<p class="note">{_h(listed["empty"])}</p>')
    noted = [w for w in portfolio["workloads"] if w["warnings"]]
    if noted:
        parts.append(f"<h2>{_h(portfolio['warnings_heading'])}</h2>")
        items = "".join(
            f"<li><strong>{_h(w['name'])}</strong> ({_h(w['file'])}): {_h(text)}</li>"
            for w in noted
            for text in w["warnings"]
        )
        parts.append(f"<ul>{items}</ul>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


FORMATS: dict[str, Callable[[Portfolio], str]] = {
    "markdown": to_markdown,
    "json": to_json,
    "csv": to_csv,
    "html": to_html,
}
# The page's downloads, in its order: (format, file name, media type, the button's words).
DOWNLOADS = (
    ("html", "portfolio.html", "text/html", "Report (HTML)"),
    ("markdown", "portfolio.md", "text/markdown", "Report (Markdown)"),
    ("csv", "portfolio.csv", "text/csv", "Risk table (CSV)"),
    ("json", "portfolio.json", "application/json", "Figures (JSON)"),
)
