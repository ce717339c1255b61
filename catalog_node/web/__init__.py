"""The web application: HTML pages, RDF by content negotiation, admin routes."""
