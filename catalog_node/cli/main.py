"""``catalog-node``: the commands (thin: the work is in the node's services)."""

from __future__ import annotations

import json
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from catalog_node.cli.harvest_commands import register as register_harvest_commands
from catalog_node.cli.output import print_sparql, print_write_report
from catalog_node.cli.progress import progress_bars
from catalog_node.client import connect
from catalog_node.errors import CatalogNodeError, ConfigError
from catalog_node.settings import (
    DEFAULT_BASE_IRI,
    Settings,
    init_data_dir,
    load_settings,
    resolve_data_dir,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="National health-data metadata catalogue and EHDS federation node.")
console = Console()
errors = Console(stderr=True)


class ExportFormat(StrEnum):
    trig = "trig"
    nquads = "nquads"
    turtle = "turtle"
    ntriples = "ntriples"
    rdfxml = "rdfxml"
    jsonld = "jsonld"


class SparqlFormat(StrEnum):
    table = "table"
    json = "json"
    tsv = "tsv"
    turtle = "turtle"
    ntriples = "ntriples"


def _settings(ctx: typer.Context) -> Settings:
    return load_settings(ctx.obj["data_dir"])


@app.callback()
def main(ctx: typer.Context,
         data: Annotated[Path | None, typer.Option(
             "--data", help="Data directory (default: $CATALOG_NODE_DATA, else ./data).")] = None,
         ) -> None:
    """Options that apply to every command."""
    ctx.obj = {"data_dir": resolve_data_dir(data)}


@app.command()
def init(ctx: typer.Context,
         base_iri: Annotated[str, typer.Option(help="Base of every IRI the node mints; "
                                                    "fixed for this data directory.")]
         = DEFAULT_BASE_IRI) -> None:
    """Create the data directory (store, ledger, configuration)."""
    from catalog_node.node import Node

    settings, created = init_data_dir(ctx.obj["data_dir"], base_iri)
    if created:
        with Node(settings) as node:
            node.prepare()
        console.print(f"initialised {settings.data_dir} with base IRI {settings.base_iri}")
    else:
        console.print(f"{settings.data_dir} is already initialised "
                      f"(base IRI {settings.base_iri})")


def _stdin_copy(settings: Settings) -> Path:
    settings.tmp_dir.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.tmp_dir, delete=False, suffix=".stdin") as f:
        f.write(sys.stdin.buffer.read())
        return Path(f.name)


@app.command()
def load(ctx: typer.Context,
         files: Annotated[list[Path] | None, typer.Argument(
             help="RDF files (.ttl .trig .nt .nq .rdf .jsonld, optionally .gz); - for stdin.")]
         = None,
         catalog: Annotated[str, typer.Option(help="Sub-catalogue to put the records in.")]
         = "local",
         input_format: Annotated[str | None, typer.Option(
             help="RDF syntax when the file name does not tell it.")] = None,
         demo: Annotated[bool, typer.Option(help="Load the shipped demo catalogue.")] = False,
         validate: Annotated[bool, typer.Option(
             help="Validate changed records before exiting when no node serves (a serving "
                  "node validates in the background). --no-validate leaves them pending.")]
         = True,
         ) -> None:
    """Load RDF documents: one record per dataset, unchanged records left alone."""
    settings = _settings(ctx)
    paths = list(files or [])
    if not paths and not demo:
        raise ConfigError("nothing to load", hint="give FILE… or --demo")
    copies = []
    if any(str(p) == "-" for p in paths):
        if not input_format:
            raise ConfigError("reading stdin needs --input-format")
        copies.append(_stdin_copy(settings))
        paths = [copies[-1] if str(p) == "-" else p for p in paths]
    try:
        with connect(settings) as api, progress_bars(errors) as tick:
            report = api.load(paths, catalog, input_format, demo, tick, validate)
    finally:
        for copy in copies:
            copy.unlink(missing_ok=True)
    print_write_report(console, report)
    if any(e["error"] == "InputError" for e in report["errors"]):
        raise typer.Exit(2)
    if report["failed"]:
        raise typer.Exit(1)


@app.command()
def export(ctx: typer.Context,
           format: Annotated[ExportFormat, typer.Option(
               "--format", help="trig keeps the record graphs; triple syntaxes merge them.")]
           = ExportFormat.trig,
           output: Annotated[Path | None, typer.Option("-o", "--output",
                                                       help="File (default stdout).")] = None,
           ) -> None:
    """Stream the published catalogue out."""
    settings = _settings(ctx)
    with connect(settings) as api, progress_bars(errors) as tick:
        if output is None:
            api.export(format.value, sys.stdout.buffer, tick)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as sink:
            api.export(format.value, sink, tick)
        partial.replace(output)
    errors.print(f"exported to {output} ({output.stat().st_size} bytes)")


@app.command()
def sparql(ctx: typer.Context,
           query: Annotated[str | None, typer.Argument(help="A SPARQL 1.1 query.")] = None,
           file: Annotated[Path | None, typer.Option("--file", help="Read the query here.")]
           = None,
           format: Annotated[SparqlFormat, typer.Option(
               "--format", help="table/json/tsv for SELECT; turtle/ntriples for graphs.")]
           = SparqlFormat.table,
           ) -> None:
    """Query the published records (every record graph, merged, is the default graph)."""
    if (query is None) == (file is None):
        raise ConfigError("give either QUERY or --file F")
    text = query if query is not None else file.read_text(encoding="utf-8")  # type: ignore[union-attr]
    with connect(_settings(ctx)) as api:
        content_type, body = api.sparql(text)
    print_sparql(console, content_type, body, format.value)


@app.command()
def stats(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of records, quads, sub-catalogues, access levels and publishers."""
    with connect(_settings(ctx)) as api:
        figures = api.stats()
    if as_json:
        console.print_json(json.dumps(figures))
        return
    console.print(f"base IRI           {figures['base_iri']}")
    console.print(f"records published  {figures['records_published']}")
    console.print(f"records withdrawn  {figures['records_withdrawn']}")
    console.print(f"quads              {figures['quads']}")
    for title, key in (("by sub-catalogue", "by_catalog"), ("by access level", "by_access_level"),
                       ("by publisher", "by_publisher")):
        console.print(f"[bold]{title}[/bold]")
        for value, count in figures[key]:
            console.print(f"  {count:>7}  {value or '—'}")


@app.command()
def check(ctx: typer.Context,
          repair: Annotated[bool, typer.Option(help="Rebuild differing ledger rows from the "
                                                    "store and close unfinished intents.")]
          = False) -> None:
    """Compare the ledger with the store (exit 1 on any difference)."""
    with connect(_settings(ctx)) as api:
        report = api.check(repair)
    console.print(f"store records {report['records_in_store']} · ledger records "
                  f"{report['records_in_ledger']} · differences {report['differences']}")
    for key in ("missing_in_ledger", "missing_in_store", "hash_mismatch", "open_intents"):
        for item in report[key][:20]:
            console.print(f"  {key}: {item}")
    if repair:
        console.print(f"repaired {report['repaired']}")
        return
    if report["differences"]:
        raise typer.Exit(1)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"
    jsonld = "jsonld"


class ProfileName(StrEnum):
    healthdcat_ap = "healthdcat-ap"
    dcat_ap = "dcat-ap"
    hdh = "hdh"


@app.command()
def validate(ctx: typer.Context,
             files: Annotated[list[Path] | None, typer.Argument(
                 help="RDF files (any syntax, by extension or --input-format); - for stdin.")]
             = None,
             profile: Annotated[ProfileName, typer.Option(
                 help="Profile; healthdcat-ap picks the access level from dct:accessRights.")]
             = ProfileName.healthdcat_ap,
             format: Annotated[ReportFormat, typer.Option("--format", help="Report format.")]
             = ReportFormat.text,
             input_format: Annotated[str | None, typer.Option(
                 help="RDF syntax when the file name does not tell it.")] = None,
             vocabularies: Annotated[Path | None, typer.Option(
                 help="Load every vocabulary file of DIR instead of the shipped subset.")]
             = None,
             stored: Annotated[bool, typer.Option(
                 "--stored", help="Summarise the stored records instead (per profile and "
                                  "publisher).")] = False,
             lang: Annotated[str, typer.Option(help="Language of the text report: en or fr.")]
             = "en",
             ) -> None:
    """Validate metadata as given: exit 0 conforms, 1 violations, 2 unusable input."""
    from catalog_node.cli.validation_output import print_report, print_stored_summary
    from catalog_node.validation.commands import validate_paths

    if stored:
        if files:
            raise ConfigError("--stored takes no FILE")
        with connect(_settings(ctx)) as api, progress_bars(errors) as tick:
            summaries = api.validation_summary(tick)
        if format is ReportFormat.json:
            console.print_json(json.dumps(summaries))
        else:
            print_stored_summary(console, summaries)
        return
    if not files:
        raise ConfigError("nothing to validate", hint="give FILE… (or - for stdin), or --stored")
    outcomes = validate_paths(files, profile.value, input_format, vocabularies, sys.stdin.buffer)
    status = 0
    for outcome in outcomes:
        if outcome.error is not None:
            errors.print(f"[red]error:[/red] {outcome.error}", highlight=False)
            status = 2
        elif outcome.report is not None and not outcome.report.conforms and status == 0:
            status = 1
    reports = [o.report for o in outcomes if o.report is not None]
    if format is ReportFormat.text:
        for report in reports:
            print_report(console, report.to_json(), lang)
    elif format is ReportFormat.json:
        items = [r.to_json() for r in reports]
        sys.stdout.write(json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False,
                                    indent=2) + "\n")
    else:
        from catalog_node.validation.commands import merged_report_graph

        syntax = "turtle" if format is ReportFormat.turtle else "json-ld"
        sys.stdout.write(merged_report_graph(reports).serialize(format=syntax))
    raise typer.Exit(status)


@app.command()
def profiles(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
             ) -> None:
    """The validation profiles: name, version and the files each loads."""
    from catalog_node.validation.profiles import load_profiles

    found = [p.to_json() for p in load_profiles().values()]
    if as_json:
        console.print_json(json.dumps(found))
        return
    for profile in found:
        console.print(f"[bold]{profile['name']}[/bold]  {profile['title']} {profile['version']}"
                      + (f"  (includes {profile['include']})" if profile["include"] else ""),
                      highlight=False)
        console.print(f"  {profile['description']['en']}", highlight=False)
        for file in profile["files"]:
            console.print(f"  {file}", highlight=False)
        for level, files in sorted(profile["levels"].items()):
            console.print(f"  [{level}] {', '.join(files)}", highlight=False)


@app.command()
def quality(ctx: typer.Context,
            check_urls: Annotated[bool, typer.Option(
                "--check-urls", help="Check every access and download URL first (outbound "
                                     "requests under the harvest safety rules).")] = False,
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
            ) -> None:
    """Metadata quality (MQA-style, 405 points) per publisher."""
    with connect(_settings(ctx)) as api, progress_bars(errors) as tick:
        figures = api.quality(check_urls, tick)
    if as_json:
        console.print_json(json.dumps(figures))
        return
    console.print(f"{figures['records']} records · mean {figures['mean_points']} / 405 · "
                  f"{figures['rating']}", highlight=False)
    for row in figures["publishers"]:
        ratings = " ".join(f"{k} {v}" for k, v in row["ratings"].items() if v)
        urls = f" · URLs checked {row['urls_checked']}" if row["urls_checked"] else \
            " · URLs not checked"
        console.print(f"  {row['mean_points']:>6} {row['rating']:<10} {row['records']:>5} "
                      f"records  {row['publisher']}  ({ratings}{urls})", highlight=False)


@app.command()
def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info") -> None:
    """Serve pages, RDF and the admin routes; the CLI then writes through this process."""
    from catalog_node.server import serve as run_server

    run_server(_settings(ctx), host, port, log_level)


register_harvest_commands(app)


def run() -> None:
    """Entry point: node errors become one clear line on stderr and an exit status."""
    try:
        app()
    except CatalogNodeError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(exc.exit_code)
