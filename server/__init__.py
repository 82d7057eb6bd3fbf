"""HTTP layer around the Streamlit app: Starlette routes and middleware mounted on the ``st.App`` in
``dashboard.py``. Plain Starlette (no Streamlit import), so it is tested with Starlette's TestClient."""
