"""Shared Streamlit pieces: context (settings, store, language), t(), URL-state widgets, badges, downloads."""

from ui.context import language, settings, t

__all__ = ["language", "settings", "t"]
