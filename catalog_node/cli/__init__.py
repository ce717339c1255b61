"""The ``catalog-node`` command line: thin typer commands over the node's services."""
