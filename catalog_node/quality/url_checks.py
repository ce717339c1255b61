"""Reachability of a record's access and download URLs, checked politely."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from rdflib import Graph, URIRef

from catalog_node.namespaces import DCAT
from catalog_node.net.safe_http import SafeHttpClient, UrlCheck

_URL_PROPERTIES = (URIRef(DCAT + "accessURL"), URIRef(DCAT + "downloadURL"))


def record_urls(graph: Graph) -> list[str]:
    """Every distinct dcat:accessURL and dcat:downloadURL in ``graph``, sorted."""
    return sorted(
        {str(o) for p in _URL_PROPERTIES for o in graph.objects(None, p) if isinstance(o, URIRef)}
    )


def check_record_urls(
    graph: Graph, client: SafeHttpClient, *, workers: int = 4
) -> dict[str, UrlCheck]:
    """Check every URL of the record once: ``workers`` hosts at a time, one request per host."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in record_urls(graph):
        by_host[(urlsplit(url).hostname or "").lower()].append(url)

    def check_host(urls: list[str]) -> list[UrlCheck]:
        return [client.check(url) for url in urls]  # one after the other on the same host

    results: dict[str, UrlCheck] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="url-check") as pool:
        for checks in pool.map(check_host, by_host.values()):
            results.update((check.url, check) for check in checks)
    return results
