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
