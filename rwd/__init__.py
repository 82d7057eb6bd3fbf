"""Real-world data: OMOP CDM extracts to regional indicators, on DuckDB or Spark (no streamlit here).

Only aggregates leave the engines; see docs/rwd.md for the flow.
"""
