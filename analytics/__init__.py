"""Statistics and classification behind the pages (plain Python, no streamlit)."""
