"""Rich progress bars fed by the pipeline's ``progress(stage, done, total)`` callback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from catalog_node.pipeline import Progress as ProgressCallback

_LABELS = {"parse": "parsing", "store": "storing records", "export": "exporting records",
           "receive": "receiving", "pages": "reading pages", "datasets": "listing datasets",
           "fetch": "fetching documents", "validate": "validating",
           "tables": "describing tables", "files": "reading files"}
_UNITS = {"parse": "bytes", "receive": "bytes", "pages": "pages", "fetch": "documents",
          "datasets": "datasets", "tables": "tables", "files": "files"}


@contextmanager
def progress_bars(console: Console) -> Iterator[ProgressCallback]:
    """A callback that draws one bar per stage (bytes for parsing, records for storing)."""
    bars: dict[str, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[unit]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console, transient=False, disable=not console.is_terminal) as bar:

        def tick(stage: str, done: int, total: int | None) -> None:
            if stage not in bars:
                unit = _UNITS.get(stage, "records")
                bars[stage] = bar.add_task(_LABELS.get(stage, stage), total=total, unit=unit)
            bar.update(bars[stage], completed=done, total=total)

        yield tick


__all__ = ["progress_bars"]
