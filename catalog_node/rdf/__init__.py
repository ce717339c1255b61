"""RDF syntaxes: the formats table, bounded parsing with located errors, splitting into records."""
