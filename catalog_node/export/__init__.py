"""Streamed exports of the published catalogue."""
