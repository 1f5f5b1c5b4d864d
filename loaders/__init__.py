"""Read csv/xlsx, map columns, validate, import into the store. Never imports Streamlit."""
