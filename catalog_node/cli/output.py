"""Printing reports and query results for people (tables) and for scripts (JSON)."""

from __future__ import annotations

import json
from typing import Any

from pyoxigraph import RdfFormat, parse, serialize
from rich.console import Console
from rich.table import Table

from catalog_node.namespaces import PREFIXES


def print_write_report(console: Console, report: dict[str, Any]) -> None:
    console.print(
        f"documents {report['documents']} · datasets {report['datasets']} · "
        f"created {report['created']} · updated {report['updated']} · "
        f"unchanged {report['unchanged']} · failed {report['failed']} · "
        f"{report['seconds']} s"
        + (f" · validated {report['validated']}" if report.get("validated") else ""))
    if report.get("validation_error"):
        error = report["validation_error"]
        console.print(f"[yellow]validation postponed[/yellow] {error['place']}: "
                      f"{error['message']}", highlight=False)
    for error in report["errors"]:
        place = f"{error['place']}: " if error.get("place") else ""
        hint = f" ({error['hint']})" if error.get("hint") else ""
        console.print(f"[red]error[/red] {place}{error['message']}{hint}", highlight=False)


def _term(binding: dict[str, str]) -> str:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if "xml:lang" in binding:
        return f'"{value}"@{binding["xml:lang"]}'
    return value


def print_sparql(console: Console, content_type: str, body: bytes, fmt: str) -> None:
    """A SELECT as a table (or JSON/TSV), an ASK as true/false, a graph as Turtle."""
    if content_type == "application/n-triples":
        if fmt == "ntriples":
            console.file.write(body.decode())
            return
        triples = list(parse(body, format=RdfFormat.N_TRIPLES))
        console.file.write(serialize(triples, format=RdfFormat.TURTLE,
                                     prefixes=PREFIXES).decode())
        return
    result = json.loads(body)
    if "boolean" in result:
        console.print("true" if result["boolean"] else "false")
        return
    if fmt == "json":
        console.file.write(body.decode() + "\n")
        return
    variables = result["head"]["vars"]
    rows = result["results"]["bindings"]
    if fmt == "tsv":
        console.file.write("\t".join(f"?{v}" for v in variables) + "\n")
        for row in rows:
            console.file.write("\t".join(_term(row[v]) if v in row else "" for v in variables)
                               + "\n")
        return
    table = Table(*variables, show_lines=False)
    for row in rows:
        table.add_row(*(_term(row[v]) if v in row else "" for v in variables))
    console.print(table)
    console.print(f"{len(rows)} rows")
