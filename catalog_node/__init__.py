"""catalog-node: a national health-data metadata catalogue and EHDS federation node."""

__version__ = "0.1.0"
