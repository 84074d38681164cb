"""The `syncer` command line: parses flags, runs the stages, prints, and maps errors to exit codes.

Exit codes (README, "Exit codes"): 0 done; 1 done with findings that breach --fail-on;
2 bad input or usage; 3 could not complete.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from syncer import __version__
from syncer.entries import load_catalog
from syncer.errors import InputError, SyncerError
from syncer.formats.claims import claims_json, claims_table
from syncer.mappings import check_against_catalog, load_mappings
from syncer.models import Catalog

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3

catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path),
    default=Path("catalog"),
    show_default=True,
    help="A Markdown document, or a folder whose *.md documents are all read.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncer")
def cli() -> None:
    """Check the claims that lists of open models make against the Hugging Face Hub."""

mappings_option = click.option(
    "--mappings",
    "mappings_path",
    type=click.Path(path_type=Path),
    default=Path("mappings"),
    show_default=True,
    help="A mapping YAML file, or a folder whose *.yaml files are all read.",
)


@cli.command()
@catalog_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="`table` for people; `json` is the stable contract for scripts.",
)
def claims(catalog_path: Path, output_format: str) -> None:
    """List the catalog's entries and the claims extracted from them (no network)."""
    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    click.echo(claims_json(catalog) if output_format == "json" else claims_table(catalog))


@cli.command()
@catalog_option
@mappings_option
def check(catalog_path: Path, mappings_path: Path) -> None:
    """Validate the mappings against the catalog (no network). Exit 2 listing every problem."""
    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    mappings = load_mappings(mappings_path)
    catalog_problems, unmapped = check_against_catalog(mappings, catalog)
    problems = mappings.problems + catalog_problems
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    for entry_id in unmapped:
        entry = next(e for e in catalog.entries if e.id == entry_id)
        click.echo(f"warning: {entry.document}:{entry.line}: {entry_id} is not mapped (try: syncer suggest {entry_id})", err=True)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {', '.join(mappings.files)}")
    mapped = [m for m in mappings.entries.values() if m.mapping.repos]
    repos = sum(len(m.mapping.repos or []) for m in mapped)
    not_on_hub = len(mappings.entries) - len(mapped)
    click.echo(
        f"ok: {len(catalog.entries)} entries: {len(mapped)} mapped to {repos} repos, "
        f"{not_on_hub} not on the Hub, {len(unmapped)} unmapped"
    )


def _print_notices(catalog: Catalog) -> None:
    for notice in catalog.notices:
        click.echo(f"warning: {notice.document}:{notice.line}: {notice.message}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: runs the CLI and turns errors into exit codes."""
    try:
        cli.main(args=argv, prog_name="syncer", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(EXIT_INCOMPLETE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT)
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except SyncerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INCOMPLETE)
    except BrokenPipeError:
        # `syncer claims | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    sys.exit(EXIT_OK)
