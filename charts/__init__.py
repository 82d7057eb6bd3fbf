"""Plotly figure builders (no streamlit): pages pass data and a translation function, get a figure back."""
