"""The framework's own cost of a page: Streamlit drawing a title and four small Plotly bar charts.

bench/browser.py opens it like one of the dashboard's pages, in the same run, so the report can tell
the time Streamlit and Plotly take on this machine from the time the dashboard adds.
"""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="reference", layout="wide")
st.title("Reference page")
left, right = st.columns(2)
for i in range(4):
    with (left if i % 2 == 0 else right):
        st.plotly_chart(go.Figure(go.Bar(x=[f"group {k}" for k in range(12)], y=[(k * 7 + i) % 10 for k in range(12)])),
                        key=f"chart{i}")
