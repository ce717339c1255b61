"""Validation reports and summaries printed for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

_STYLE = {"violation": "red", "warning": "yellow", "info": "cyan"}
_WORDS = {
    "en": {"conforms": "conforms", "fails": "does not conform", "violation": "violation",
           "warning": "warning", "info": "info", "value": "value", "fix": "fix",
           "level": "access level", "profile": "profile"},
    "fr": {"conforms": "conforme", "fails": "non conforme", "violation": "violation",
           "warning": "avertissement", "info": "information", "value": "valeur",
           "fix": "correction", "level": "niveau d'accès", "profile": "profil"},
}


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or texts.get("") or next(iter(texts.values()), "")


def print_report(console: Console, report: dict[str, Any], lang: str = "en") -> None:
    """One document's report, grouped by resource, most serious first."""
    words = _WORDS.get(lang, _WORDS["en"])
    verdict = words["conforms"] if report["conforms"] else words["fails"]
    colour = "green" if report["conforms"] else "red"
    levels = ", ".join(report["levels"]) if report["levels"] else "—"
    console.print(f"[bold]{escape(report['source'])}[/bold]: [{colour}]{verdict}[/{colour}] · "
                  f"{words['profile']} {report['profile']} {report['version']} · "
                  f"{words['level']} {levels} · {report['violations']} {words['violation']}(s), "
                  f"{report['warnings']} {words['warning']}(s), {report['infos']} "
                  f"{words['info']}(s)", highlight=False)
    for resource in report["resources"]:
        console.print(f"  [bold]{escape(resource['label'])}[/bold] "
                      f"<{escape(resource['focus'])}>", highlight=False)
        for result in resource["results"]:
            style = _STYLE[result["severity"]]
            name = _pick(result["property_name"], lang)
            path = result["path_label"] or "—"
            head = f"{path} ({name})" if name else path
            console.print(f"    [{style}]{words[result['severity']]}[/{style}] {escape(head)}: "
                          f"{escape(_pick(result['constraint'], lang))}", highlight=False)
            message = _pick(result["message"], lang)
            if message:
                console.print(f"      {escape(message)}", highlight=False)
            if result["value"]:
                console.print(f"      {words['value']}: {escape(result['value'])}",
                              highlight=False)
            hint = _pick(result["hint"], lang)
            if hint:
                console.print(f"      {words['fix']}: {escape(hint)}", highlight=False)


def print_stored_summary(console: Console, summaries: list[dict[str, Any]]) -> None:
    for summary in summaries:
        console.print(f"[bold]{summary['profile']}[/bold]: {summary['records']} records · "
                      f"validated {summary['validated']} · conforming {summary['conforming']} · "
                      f"violations {summary['violations']} · warnings {summary['warnings']} · "
                      f"pending {summary['pending']}", highlight=False)
        for row in summary["publishers"][:50]:
            console.print(f"  {row['records']:>6} records  {row['conforming']:>6} conform  "
                          f"{row['violations']:>6} violations  {row['warnings']:>6} warnings  "
                          f"{escape(str(row['publisher']))}", highlight=False)
