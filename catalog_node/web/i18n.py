"""Interface strings in French and English, and choosing the reader's language."""

from __future__ import annotations

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

STRINGS: dict[str, dict[str, str]] = {
    "datasets": {"fr": "Jeux de données", "en": "Datasets"},
    "catalogue": {"fr": "Catalogue", "en": "Catalogue"},
    "records": {"fr": "fiches", "en": "records"},
    "publisher": {"fr": "Éditeur", "en": "Publisher"},
    "access": {"fr": "Accès", "en": "Access"},
    "description": {"fr": "Description", "en": "Description"},
    "temporal": {"fr": "Couverture temporelle", "en": "Temporal coverage"},
    "contact": {"fr": "Point de contact", "en": "Contact point"},
    "distributions": {"fr": "Distributions", "en": "Distributions"},
    "dictionary": {"fr": "Dictionnaire des données", "en": "Data dictionary"},
    "variable": {"fr": "Variable", "en": "Variable"},
    "label": {"fr": "Libellé", "en": "Label"},
    "type": {"fr": "Type", "en": "Type"},
    "other": {"fr": "Autres propriétés", "en": "Other properties"},
    "record": {"fr": "Fiche de catalogue", "en": "Catalogue record"},
    "source": {"fr": "Source", "en": "Source"},
    "hash": {"fr": "Empreinte du contenu", "en": "Content hash"},
    "formats": {"fr": "Cette page en RDF", "en": "This page as RDF"},
    "not_found": {"fr": "Introuvable", "en": "Not found"},
    "previous": {"fr": "Précédent", "en": "Previous"},
    "next": {"fr": "Suivant", "en": "Next"},
    "from": {"fr": "du", "en": "from"},
    "to": {"fr": "au", "en": "to"},
    "properties": {"fr": "Propriétés", "en": "Properties"},
    "in_record": {"fr": "Décrit dans la fiche", "en": "Described in record"},
    "issued": {"fr": "Créée le", "en": "Created"},
    "modified": {"fr": "Modifiée le", "en": "Modified"},
    "columns": {"fr": "variables", "en": "variables"},
    "rows": {"fr": "lignes", "en": "rows"},
    "null_rate": {"fr": "Taux de vides", "en": "Null rate"},
    "allowed_values": {"fr": "Valeurs permises", "en": "Allowed values"},
    "linked_dictionary": {"fr": "Dictionnaire fourni par une autre source, pour le jeu de "
                                "données", "en": "Dictionary given by another source, for the "
                                                 "dataset"},
    "validate": {"fr": "Valider des métadonnées", "en": "Validate metadata"},
    "validate_intro": {"fr": "Collez une description DCAT-AP / HealthDCAT-AP, choisissez un "
                             "fichier ou donnez une URL : le rapport dit quoi corriger.",
                       "en": "Paste a DCAT-AP / HealthDCAT-AP description, pick a file or give "
                             "a URL: the report says what to fix."},
    "profile": {"fr": "Profil", "en": "Profile"},
    "syntax": {"fr": "Syntaxe", "en": "Syntax"},
    "file": {"fr": "Fichier", "en": "File"},
    "or_url": {"fr": "ou URL", "en": "or URL"},
    "run": {"fr": "Valider", "en": "Validate"},
    "conforms": {"fr": "Conforme", "en": "Conforms"},
    "fails": {"fr": "Non conforme", "en": "Does not conform"},
    "violation": {"fr": "violation", "en": "violation"},
    "warning": {"fr": "avertissement", "en": "warning"},
    "info": {"fr": "information", "en": "info"},
    "value": {"fr": "Valeur", "en": "Value"},
    "fix": {"fr": "Correction", "en": "Fix"},
    "level": {"fr": "Niveau d'accès", "en": "Access level"},
    "validation": {"fr": "Validation", "en": "Validation"},
    "stale": {"fr": "résultat d'une version précédente", "en": "result of an earlier version"},
    "report": {"fr": "rapport", "en": "report"},
    "pending": {"fr": "en attente", "en": "pending"},
    "quality": {"fr": "Qualité des métadonnées", "en": "Metadata quality"},
    "unusable": {"fr": "Document inutilisable", "en": "Unusable document"},
}


def choose_language(query_lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the first of fr/en in ``Accept-Language``, then French."""
    if query_lang in LANGUAGES:
        return query_lang  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def translator(lang: str):
    """``t(key)`` for templates."""
    return lambda key: STRINGS.get(key, {}).get(lang, key)
