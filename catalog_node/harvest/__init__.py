"""Harvesting sources: configuration, runs that commit or undo whole, reports, schedules.

``engine`` runs one harvest through the node's write pipeline; ``journal`` and
``rollback`` make a run atomic; ``sources`` keeps the configuration; ``schedule`` runs
due sources inside ``serve``.
"""
