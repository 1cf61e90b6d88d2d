"""``newsbrief methods``: the registered summarization methods and their settings."""

from __future__ import annotations

import json

import click

from newsbrief.cli.common import format_option
from newsbrief.summarize import methods
from newsbrief.summarize.base import get_method


@click.command("methods")
@format_option(("text", "json"), "text", "text: one line per method; json: with each method's settings.")
def methods_command(output_format: str) -> None:
    """List the summarization methods."""
    if output_format == "text":
        for name, description in methods().items():
            click.echo(f"{name:12} {description}")
        return
    out = []
    for name, description in methods().items():
        declared = get_method(name).settings or ()
        settings = [{"name": s.name, "expected": s.expected(), "help": s.help} for s in declared]
        out.append({"name": name, "description": description, "settings": settings})
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
