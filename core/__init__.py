"""Plain-Python core shared by every layer: settings, paths and translation (no streamlit here)."""
