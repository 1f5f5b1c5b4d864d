"""Import history and what the store holds."""
from __future__ import annotations

import streamlit as st

from loaders.importer import history, row_counts
from pages._common import cursor, require_router, t

require_router()
st.title(t("imports.title"))

cur = cursor()
batches = history(cur)
counts = row_counts(cur)
cur.close()

st.subheader(t("imports.row_counts"))
columns = st.columns(4)
for i, (table, count) in enumerate(counts.items()):
    columns[i % 4].metric(t(f"table.{table}"), f"{count:,}")

st.subheader(t("imports.history"))
if batches.empty:
    st.info(t("imports.none"))
else:
    shown = batches.assign(
        id=batches["id"].str[:8],
        kind=batches["kind"].map(lambda k: t(f"kind.{k}")),
        status=batches["status"].map(lambda s: t(f"status.{s}")),
    )[["id", "kind", "source_file", "source_sheet", "rows_accepted", "rows_rejected", "imported_at",
       "status"]]
    shown.columns = [t(k) for k in ("col.batch", "col.kind", "col.file", "col.sheet", "col.rows",
                                    "col.skipped", "col.imported_at", "col.status")]
    st.dataframe(shown, hide_index=True, width="stretch")
