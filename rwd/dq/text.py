"""What each data-quality check counts, in the reader's language.

Each description names the rows a check counts as violations (as the OHDSI Data Quality Dashboard reports them:
rows violated over rows checked), in our own words. The English text is stored with the run; a page shows it in
the reader's language from the check's ``check_name``, ``table``, ``field`` and ``params``.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n import N_, translate

# check_name (or check_name:variant) -> what is counted; {table}, {field} and the check's params are filled in.
DQ_DESCRIPTIONS = {
    "cdmTable": N_("table {table} is absent from the extract"),
    "isRequired": N_("{table}.{field}: records where this required field is empty"),
    "isPrimaryKey": N_("{table}.{field}: records whose identifier appears more than once"),
    "isForeignKey": N_("{table}.{field}: records whose value is not found in {target}"),
    "fkDomain": N_("{table}.{field}: records whose concept is not of the {domain} domain"),
    "isStandardValidConcept": N_("{table}.{field}: records whose concept is not a standard, valid concept"),
    "measureValueCompleteness": N_("{table}.{field}: records where this field is empty"),
    "standardConceptRecordCompleteness": N_("{table}.{field}: records mapped to concept 0 (no standard concept)"),
    "sourceConceptRecordCompleteness": N_("{table}.{field}: records whose source concept is 0"),
    "sourceValueCompleteness": N_("{table}.{field}: distinct source values whose records are mapped to concept 0"),
    "plausibleValueLow": N_("{table}.{field}: records with a value below {low}"),
    "plausibleValueHigh": N_("{table}.{field}: records with a value above {high}"),
    "plausibleTemporalAfter": N_("{table}.{field}: records dated before {after}"),
    "plausibleAfterBirth": N_("{table}.{field}: records dated before their person's birth"),
    "plausibleBeforeDeath": N_("{table}.{field}: records dated more than 60 days after their person's death"),
    "plausibleStartBeforeEnd": N_("{table}.{field}: records that start after they end ({end})"),
    "withinVisitDates": N_("{table}.{field}: records dated more than 7 days outside their visit"),
    "measurePersonCompleteness": N_("{table}: persons without any record in this table"),
    "measureObservationPeriodOverlap": N_("observation_period: persons with overlapping or back-to-back "
                                          "observation periods"),
    "plausibleGender": N_("{table}.{field}: records of concept {concept}, which only {sex} can have, on persons "
                          "recorded with another sex"),
    "plausibleGenderUseDescendants": N_("{table}.{field}: records of concept {concept} or a descendant, which only "
                                        "{sex} can have, on persons recorded with another sex"),
    "plausibleUnitConceptIds": N_("{table}.{field}: records of concept {concept} with a unit other than {units}"),
    "plausibleUnitConceptIds:none": N_("{table}.{field}: records of concept {concept} carrying a unit (its result "
                                       "is qualitative and has none)"),
    "conceptSet": N_("{definition}: concepts of its concept sets missing from the extract's vocabulary "
                     "({missing}), not standard ({non_standard}) or invalid ({invalid})"),
    "conceptSet:error": N_("{definition} not computed: every concept of its {role} is missing from the extract's "
                           "vocabulary ({missing})"),
    "conceptVocabulary": N_("the extract has no concept table: the concepts of the definitions could not be "
                            "verified ({n})"),
    "conceptAncestor": N_("the extract has no concept_ancestor table: descendants could not be included (concepts "
                          "asking for them: {n})"),
}
# parameter values that are words, shown in the reader's language
WORDS = {"female": N_("women"), "male": N_("men"), "none": N_("none"),
         "numerator": N_("numerator events"), "cases": N_("new cancer cases"), "stage": N_("stage measurement"),
         "stage values": N_("stage values"), "suspicion": N_("suspicion events")}


def _key(check_name: str, params: Mapping) -> str:
    variant = params.get("variant")
    return f"{check_name}:{variant}" if variant else check_name


def describe_check(check_name: str, table: str = "", field: str = "", params: Mapping | None = None,
                   lang: str = "en") -> str:
    """The description of a check in ``lang``."""
    params = dict(params or {})
    values = {k: translate(WORDS[v], lang) if k in ("sex", "role") and v in WORDS else v
              for k, v in params.items() if k != "variant"}
    return translate(DQ_DESCRIPTIONS[_key(check_name, params)], lang, table=table, field=field, **values)


def dq_description(check: Mapping, lang: str) -> str | None:
    """A stored check's description in ``lang`` when it is one of the checks above (None otherwise: a check
    stored by an older version keeps its text)."""
    name, params = str(check.get("check_name") or ""), check.get("params") or {}
    if _key(name, params) not in DQ_DESCRIPTIONS:
        return None
    try:
        return describe_check(name, str(check.get("table") or ""), str(check.get("field") or ""), params, lang)
    except (KeyError, IndexError):  # a stored check without a value its text needs
        return None
