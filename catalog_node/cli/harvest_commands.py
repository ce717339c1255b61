"""``catalog-node source …``, ``harvest`` and ``history``: sources, runs and versions."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from catalog_node.cli.progress import progress_bars
from catalog_node.client import connect
from catalog_node.errors import ConfigError
from catalog_node.settings import load_settings

console = Console()
errors = Console(stderr=True)
source_app = typer.Typer(no_args_is_help=True, help="Configure the sources the node harvests.")


class SourceType(StrEnum):
    dcat = "dcat"
    ckan = "ckan"
    sparql = "sparql"
    fdp = "fdp"
    omop = "omop"
    sql = "sql"
    datapackage = "datapackage"
    template = "template"


def _options(pairs: list[str] | None) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--option {pair!r} is not KEY=VALUE")
        options[key.strip()] = value.strip()
    return options


@source_app.command("add")
def add(ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Source name (lower-case slug).")],
        url: Annotated[str, typer.Argument(help="Where the source is: a URL (a dcat source may "
                                                "be a local file), a database URL (omop, sql; "
                                                "password as {env:VAR} or {file:/path}), or a "
                                                "file or folder (datapackage, template).")],
        type: Annotated[SourceType, typer.Option("--type", help="Source type.")],
        catalog: Annotated[str | None, typer.Option(
            help="Sub-catalogue for its records (default: the source name).")] = None,
        schedule: Annotated[str | None, typer.Option(
            help="CRON expression, daily or hourly: when `serve` harvests it.")] = None,
        grace_days: Annotated[int, typer.Option(
            help="Days a vanished record stays before it is withdrawn (0: at once).")] = 7,
        max_bytes: Annotated[int, typer.Option(help="Largest document accepted.")]
        = 50 * 1024 * 1024,
        allow_private: Annotated[bool, typer.Option(
            "--allow-private", help="Allow private, loopback and link-local addresses.")]
        = False,
        credential: Annotated[str | None, typer.Option(
            help="Where the secret is: env:VARIABLE or file:/path (mode 0600); the secret "
                 "itself is never stored.")] = None,
        option: Annotated[list[str] | None, typer.Option(
            help="Source-type option KEY=VALUE (e.g. rows=100 for CKAN).")] = None,
        schema: Annotated[str | None, typer.Option(
            help="Database schema to describe (omop, sql).")] = None,
        metadata: Annotated[str | None, typer.Option(
            help="What the source cannot say about itself (title, publisher, HDAB, "
                 "legislation, access rights): a Turtle file describing one dcat:Dataset, "
                 "or the template's dataset sheet (.xlsx, .csv).")] = None,
        threshold: Annotated[int | None, typer.Option(
            help="Counts below it are never published (omop, sql; default 10).")] = None,
        ) -> None:
    """Add a source to harvest."""
    options = _options(option)
    if schema is not None:
        options["schema"] = schema
    if metadata is not None:
        options["metadata"] = metadata
    if threshold is not None:
        options["threshold"] = str(threshold)
    job = {"name": name, "url": url, "type": type.value, "catalog": catalog or name,
           "schedule": schedule, "grace_days": grace_days, "max_bytes": max_bytes,
           "allow_private": allow_private, "credential": credential,
           "options": options}
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        added = api.add_source(job)
    console.print(f"added source {added['name']} ({added['type']}, {added['url']}) "
                  f"→ sub-catalogue {added['catalog']}", highlight=False)


@source_app.command("list")
def list_(ctx: typer.Context,
          as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The configured sources (credentials shown by reference only)."""
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        sources = api.sources()
    if as_json:
        console.file.write(json.dumps(sources, indent=2) + "\n")
        return
    table = Table("name", "type", "url", "catalog", "schedule", "grace", "credential")
    for s in sources:
        table.add_row(s["name"], s["type"], s["url"], s["catalog"], s["schedule"] or "",
                      str(s["grace_days"]), s["credential"] or "")
    console.print(table)


@source_app.command("remove")
def remove(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Forget a source; its records are withdrawn (kept as history)."""
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        result = api.remove_source(name)
    console.print(f"removed source {name}; {result['withdrawn']} records withdrawn")


@source_app.command("runs")
def runs(ctx: typer.Context,
         name: Annotated[str | None, typer.Argument(help="Only this source's runs.")] = None,
         limit: Annotated[int, typer.Option(help="How many, newest first.")] = 20,
         as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Past harvest runs and their counts."""
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        found = api.runs(name, limit)
    if as_json:
        console.file.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("run", "source", "started", "state", "created", "updated", "unchanged",
                  "withdrawn", "invalid", "failed", "errors", "s")
    for r in found:
        table.add_row(*(str(r.get(k, "")) for k in ("run", "source", "started", "state",
                                                     "created", "updated", "unchanged",
                                                     "withdrawn", "invalid", "failed")),
                      str(len(r.get("errors", []))), str(r.get("seconds", "")))
    console.print(table)


@source_app.command("report")
def report(ctx: typer.Context, run: Annotated[int, typer.Argument(help="Run number.")],
           records: Annotated[bool, typer.Option(
               help="Every record the run changed, with its normalisation changes.")] = False,
           ) -> None:
    """One run's full report, as JSON."""
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        found = api.run_report(run, records)
    console.file.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")


def print_harvest_report(report: dict[str, Any]) -> None:
    state = "committed" if report.get("committed") else "[red]nothing committed[/red]"
    invalid = report.get("invalid")
    console.print(
        f"{report['source']} run {report['run']}: {state} · pages {report['pages']} "
        f"({report['pages_unchanged']} unchanged, {report['pages_failed']} failed) · "
        f"datasets {report['datasets']} · created {report['created']} · "
        f"updated {report['updated']} · unchanged {report['unchanged']} · "
        f"withdrawn {report['withdrawn']} · missing {report['missing']} · "
        f"invalid {'pending' if invalid is None else invalid} · failed {report['failed']} · "
        f"duplicates {report['duplicates']} · {report['seconds']} s", highlight=False)
    if report.get("normalised"):
        console.print("normalised: " + ", ".join(
            f"{rule} x{count}" for rule, count in sorted(report["normalised"].items())),
            highlight=False)
    if not report.get("complete", True):
        console.print(f"[yellow]incomplete[/yellow]: {report.get('incomplete_reason')} "
                      "— nothing was withdrawn", highlight=False)
    for error in report.get("errors", []):
        place = f"{error['place']}: " if error.get("place") else ""
        hint = f" ({error['hint']})" if error.get("hint") else ""
        errors.print(f"[red]error[/red] {place}{error['message']}{hint}", highlight=False)


def harvest(ctx: typer.Context,
            name: Annotated[str | None, typer.Argument(help="Source to harvest.")] = None,
            all_sources: Annotated[bool, typer.Option("--all", help="Every source.")] = False,
            conditional: Annotated[bool, typer.Option(
                help="Use conditional GETs and modified_since where the source offers them; "
                     "--no-conditional re-reads everything and compares hashes.")] = True,
            validate: Annotated[bool, typer.Option(
                help="Validate changed records before exiting when no node serves.")] = True,
            as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]
            = False,
            ) -> None:
    """Harvest a source now. Exit 0 when the run committed (even with reported errors),
    1 when nothing could be harvested."""
    if bool(name) == all_sources:
        raise ConfigError("give a source NAME or --all")
    settings = load_settings(ctx.obj["data_dir"])
    failed = 0
    with connect(settings) as api:
        names = [s["name"] for s in api.sources()] if all_sources else [name]
        for source in names:
            with progress_bars(errors) as tick:
                result = api.harvest(str(source), conditional, tick, validate)
            if as_json:
                console.file.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            else:
                print_harvest_report(result)
            failed += not result.get("committed")
    if failed:
        raise typer.Exit(1)


def history(ctx: typer.Context,
            record: Annotated[str, typer.Argument(help="Record IRI.")],
            ) -> None:
    """A record's versions, newest first, with the statements each added and removed."""
    with connect(load_settings(ctx.obj["data_dir"])) as api:
        found = api.record_history(record)
    console.file.write(json.dumps(found, indent=2, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")
    app.command("harvest")(harvest)
    app.command("history")(history)
