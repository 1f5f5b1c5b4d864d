"""Pure metric functions and the SQL behind each view. Never imports Streamlit."""
