"""Data-quality checks after the OHDSI Data Quality Dashboard (v2.x): ``fields`` (table- and field-level checks on
every table and field the definitions read), ``text`` (what each counts, in the reader's language); the
concept-level checks of the definitions' concept sets are in ``rwd.concepts``."""
