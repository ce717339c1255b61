"""SHACL validation against the project's own profiles (``shapes/``, ``vocabularies/``).

:mod:`profiles` names what a profile loads, :mod:`vocabulary` the concepts merged into a
record before it is checked, :mod:`shapes` the compiled shape sets, :mod:`engine` runs
pySHACL, :mod:`report` turns its output into a report a producer can act on, and
:mod:`stored` validates stored records from the queue in worker processes.
"""

from catalog_node.validation.engine import Validator, validate_graph
from catalog_node.validation.profiles import Profile, load_profiles
from catalog_node.validation.report import ValidationReport, ValidationResult

__all__ = ["Profile", "ValidationReport", "ValidationResult", "Validator", "load_profiles",
           "validate_graph"]
