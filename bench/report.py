"""Markdown tables from bench/run.py's JSON, for bench/RESULTS.md.

    python bench/report.py FULL.json [SCALE.json ...]

Prints the floors of the first (full) run, then every step's seconds at each scale given, with how
much each grew from the smallest scale to the largest against the growth of the data.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

STEPS = ["generate", "limit_csv", "ingest_csv", "ingest_xlsx", "ingest_nps", "ingest_complaints", "sentiment",
         "peer_read_csv", "peer_read_xlsx"]
VARIANTS = ("month", "month_branch", "all_time")


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"
    return str(value)


def floors_table(report: dict) -> str:
    lines = ["| floor | measured | limit | met |", "| --- | ---: | --- | --- |"]
    for row in report["floors"]:
        name = row["floor"]
        measured = _number(row["measured"], 2)
        if row.get("against_cached_frames") is not None:
            measured += f" (cached frames: {_number(row['against_cached_frames'], 2)})"
        lines.append(f"| {name} | {measured} | {row['limit']} | {'met' if row['met'] else '**missed**'} |")
    return "\n".join(lines)


def pages_table(report: dict) -> str:
    ours = report["steps"].get("queries", {}).get("pages", {})
    peer = report["steps"].get("peer_queries", {}).get("pages", {})
    lines = ["| page | " + " | ".join(f"{v}: p50 / p95 (peer: cached / rerun), ms" for v in VARIANTS) + " |",
             "| --- |" + " ---: |" * len(VARIANTS)]
    for page, by_variant in ours.items():
        cells = []
        for variant in VARIANTS:
            timing = by_variant.get(variant)
            theirs = peer.get(page, {}).get(variant)
            cell = "–" if timing is None else f"{timing['p50_ms']:,.0f} / {timing['p95_ms']:,.0f}"
            if theirs:
                cell += f" ({theirs['p50_ms']:,.0f} / {theirs.get('rerun_p50_ms', float('nan')):,.0f})"
            cells.append(cell)
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def growth_table(reports: list[dict]) -> str:
    reports = sorted(reports, key=lambda r: r["scale"])
    header = "| step | " + " | ".join(f"{r['scale']:g}× (s)" for r in reports) + " | growth | data growth |"
    lines = [header, "| --- |" + " ---: |" * (len(reports) + 2)]
    data_growth = reports[-1]["scale"] / reports[0]["scale"]

    def row(name: str, values: list) -> None:
        growth = values[-1] / values[0] if values[0] and values[-1] is not None else None
        lines.append(f"| {name} | " + " | ".join(_number(v, 2) for v in values)
                     + f" | {_number(growth, 1)}× | {data_growth:g}× |")

    for step in STEPS:
        values = [r["steps"].get(step, {}).get("seconds") for r in reports]
        if all(v is not None for v in values):
            row(step, values)
    for page in reports[-1]["steps"].get("queries", {}).get("pages", {}):
        for variant in VARIANTS:
            values = [r["steps"].get("queries", {}).get("pages", {}).get(page, {}).get(variant, {}).get("p50_ms")
                      for r in reports]
            if all(v is not None for v in values):
                row(f"{page} [{variant}] p50", [v / 1000 for v in values])
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    reports = [json.loads(Path(p).read_text(encoding="utf-8")) for p in argv]
    print(floors_table(reports[0]))
    print()
    print(pages_table(reports[0]))
    if len(reports) > 1:
        print()
        print(growth_table(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
