"""`python -m catalog_node` runs the command-line interface."""

from catalog_node.cli.main import run

run()
