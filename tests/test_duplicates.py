"""Rows already in the store are found by content and by their ids, not only by the file's bytes
(loaders/duplicates.py): refused with how many rows are in which batch, or with skip_duplicates only
the new rows imported and counted."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import dbrows
import pytest
from conftest import PROJECT_ROOT, TEST_DATA, shown

from loaders.errors import DuplicateRows
from loaders.duplicates import NATURAL_ID, fingerprint_sql
from loaders.importer import check, import_file, prepare, undo
from presentation.problems import duplicates_refusal, duplicates_skipped
from presentation.upload import check_upload
from store.db import connect, quote_identifier

NPS = ["Customer ID,Date,Branch,Score,Comment",
       "C1,2026-10-01,Tianhe,9,Quick and friendly",
       "C2,2026-10-02,Tianhe,3,Waited an hour",
       "C3,2026-10-02,Yuexiu,10,",
       "C4,2026-10-03,Yuexiu,7,Fine"]


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def count(con, table: str) -> int:
    return con.execute("SELECT count(*) FROM " + quote_identifier(table)).fetchone()[0]


def reordered(lines: list[str], order: list[int]) -> list[str]:
    rows = [line.split(",") for line in lines]
    return [",".join(row[i] for i in order) for row in rows]


def test_the_same_rows_re_saved_renamed_and_reordered_are_refused(con, tmp_path):
    first = import_file(con, write(tmp_path / "october.csv", NPS))
    # new bytes: columns in another order, a BOM and CRLF as Excel writes them, another name
    resaved = tmp_path / "october (2).csv"
    resaved.write_bytes(("\r\n".join(reordered(NPS, [4, 3, 0, 2, 1])) + "\r\n").encode("utf-8-sig"))
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, resaved)
    found = refused.value.duplicates
    assert (found.rows, found.total, found.new_rows) == (4, 4, 0)
    assert [(b.batch_id, b.source_file, b.rows) for b in found.batches] == [(first.batch_id, "october.csv", 4)]
    assert count(con, "nps_response") == 4 and count(con, "import_batch") == 1


def test_an_excel_workbook_of_the_same_rows_is_refused(con, tmp_path):
    import_file(con, write(tmp_path / "october.csv", NPS))
    book = openpyxl.Workbook()
    sheet = book.active
    for line in NPS:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in line.split(",")])
    book.save(tmp_path / "october.xlsx")
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, tmp_path / "october.xlsx")
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (4, 4)


def test_an_overlapping_export_imports_only_its_new_rows_when_told(con, tmp_path):
    import_file(con, write(tmp_path / "october.csv", NPS[:4]))          # C1-C3
    overlap = write(tmp_path / "october-november.csv", NPS[0:1] + NPS[2:] + ["C5,2026-11-01,Tianhe,8,Good"])
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, overlap)
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (2, 4)   # C2, C3 of C2-C5
    assert count(con, "nps_response") == 3
    result = import_file(con, overlap, skip_duplicates=True)
    assert (result.rows_accepted, result.rows_duplicate) == (2, 2)
    assert count(con, "nps_response") == 5
    assert con.execute("SELECT customer_id FROM nps_response ORDER BY 1").fetchall() == \
        [("C1",), ("C2",), ("C3",), ("C4",), ("C5",)]
    assert con.execute("SELECT rows_accepted FROM import_batch WHERE id = ?", [result.batch_id]).fetchone() == (2,)
    # the fingerprints of the batch are those of its imported rows only
    assert con.execute("SELECT count(*) FROM row_fingerprint WHERE batch_id = ?", [result.batch_id]).fetchone() == (2,)


def test_identical_answers_without_ids_count_as_many_as_the_file_has(con, tmp_path):
    # the same day, branch and score and no id: two answers in October's file, three in the re-export
    same = "2026-10-05,Tianhe,9"
    import_file(con, write(tmp_path / "a.csv", ["Date,Branch,Score", same, same, "2026-10-06,Tianhe,4"]))
    again = write(tmp_path / "b.csv", ["Date,Branch,Score", same, same, same, "2026-10-06,Tianhe,4",
                                       "2026-10-07,Tianhe,6"])
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, again)
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (3, 5)
    assert import_file(con, again, skip_duplicates=True).rows_accepted == 2
    assert con.execute("SELECT score, count(*) FROM nps_response GROUP BY 1 ORDER BY 1").fetchall() == \
        [(4, 1), (6, 1), (9, 3)]


COMPLAINTS = ["Complaint ID,Received,Branch,Cause,Status,Description",
              "CP-1,2026-10-01 09:00,Tianhe,Waiting time,open,Queue too long",
              "CP-2,2026-10-02 10:00,Tianhe,Staff,closed,Rude teller",
              "CP-3,2026-10-03 11:00,Yuexiu,Fees,open,Unexpected fee"]


def test_a_complaint_log_exported_again_is_known_by_its_references(con, tmp_path):
    import_file(con, write(tmp_path / "log-october.csv", COMPLAINTS), kind="complaints")
    # next month's export: CP-1 now closed (other content, same reference), CP-3 as it was, CP-4 new
    later = write(tmp_path / "log-november.csv", [
        COMPLAINTS[0], "CP-1,2026-10-01 09:00,Tianhe,Waiting time,closed,Queue too long", COMPLAINTS[3],
        "CP-4,2026-11-02 08:30,Yuexiu,App,open,Login fails"])
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, later, kind="complaints")
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (2, 3)
    result = import_file(con, later, kind="complaints", skip_duplicates=True)
    assert (result.rows_accepted, result.rows_duplicate) == (1, 2)
    assert con.execute("SELECT complaint_ref, status FROM complaint ORDER BY 1").fetchall() == \
        [("CP-1", "open"), ("CP-2", "closed"), ("CP-3", "open"), ("CP-4", "open")]


SURVEY = ["Response ID,Date,Branch,A01 Speed,A02 Courtesy,Overall",
          "1,2026-10-01 09:00,Tianhe,4,5,4",
          "2,2026-10-01 09:30,Tianhe,2,3,2",
          "3,2026-10-02 14:00,Yuexiu,5,5,5"]


def test_survey_responses_are_known_by_id_and_time_and_by_their_ratings_in_any_column_order(con, tmp_path):
    import_file(con, write(tmp_path / "wave1.csv", SURVEY), kind="survey")
    # the same answers with the rating columns swapped: the same items, so the same rows
    swapped = write(tmp_path / "wave1-swapped.csv", reordered(SURVEY, [0, 1, 2, 4, 3, 5]))
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, swapped, kind="survey")
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (3, 3)
    # the next survey numbers its responses from 1 again: other times, other answers, all new
    wave2 = write(tmp_path / "wave2.csv", [SURVEY[0], "1,2026-11-01 09:00,Tianhe,3,3,3",
                                           "2,2026-11-01 10:00,Tianhe,4,4,4"])
    assert import_file(con, wave2, kind="survey").rows_accepted == 2
    # response 2 of wave 1 corrected afterwards: the same id at the same time is the same response
    corrected = write(tmp_path / "wave1-corrected.csv", [SURVEY[0], "2,2026-10-01 09:30,Tianhe,3,3,3"])
    with pytest.raises(DuplicateRows):
        import_file(con, corrected, kind="survey")
    assert count(con, "survey_response") == 5


def test_rows_held_by_two_batches_are_counted_per_batch_in_both_languages(con, tmp_path):
    first = import_file(con, write(tmp_path / "a.csv", NPS[:3]))                    # C1, C2
    second = import_file(con, write(tmp_path / "b.csv", [NPS[0]] + NPS[3:]))        # C3, C4
    both = write(tmp_path / "all.csv", NPS + ["C5,2026-10-09,Tianhe,10,"])
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, both)
    found = refused.value.duplicates
    assert {b.batch_id: b.rows for b in found.batches} == {first.batch_id: 2, second.batch_id: 2}
    when = {b.batch_id: f"{b.imported_at:%Y-%m-%d %H:%M}" for b in found.batches}
    a, b = (found.batches[0], found.batches[1])
    assert duplicates_refusal("all.csv", found, "en") == (
        f"all.csv: 4 of 5 rows are already in the store (2 rows in batch {a.batch_id[:8]} ({a.source_file},"
        f" imported {when[a.batch_id]}); 2 rows in batch {b.batch_id[:8]} ({b.source_file}, imported"
        f" {when[b.batch_id]})); nothing was imported. Import only the 1 new row with --skip-duplicates,"
        " or undo those batches first.")
    assert duplicates_refusal("all.csv", found, "zh") == (
        f"all.csv：5 行中有 4 行已在库中（批次 {a.batch_id[:8]}（{a.source_file}，导入于 {when[a.batch_id]}）中有 2 行；"
        f"批次 {b.batch_id[:8]}（{b.source_file}，导入于 {when[b.batch_id]}）中有 2 行），未导入任何数据。"
        "可用 --skip-duplicates 只导入 1 行新数据，或先撤销这些批次。")
    result = import_file(con, both, skip_duplicates=True)
    assert duplicates_skipped(result.duplicates, "en").startswith("4 rows were already in the store and were skipped")


def test_an_undone_batch_no_longer_holds_its_rows(con, tmp_path):
    first = import_file(con, write(tmp_path / "october.csv", NPS))
    undo(con, first.batch_id)
    assert count(con, "row_fingerprint") == 0
    assert import_file(con, write(tmp_path / "october-again.csv", NPS[:1] + NPS[1:][::-1])).rows_accepted == 4


def test_standards_are_checked_by_their_bytes_only(con, tmp_path):
    standards = ["Standard,Dimension,Metric,Unit,Better,Management view,Target,Promise,Actual",
                 "Answer the phone,responsiveness,seconds to answer,s,lower,20,30,60,45"]
    import_file(con, write(tmp_path / "standards-2026.csv", standards), kind="standards")
    renamed = write(tmp_path / "standards-2027.csv", standards + ["Resolve a complaint,reliability,hours,h,lower,24,48,72,50"])
    assert import_file(con, renamed, kind="standards").rows_accepted == 2


def test_the_check_inside_the_transaction_sees_a_batch_that_landed_meanwhile(con, tmp_path):
    """Another writer's batch with the same rows commits between the first look and the write: the
    import refuses (or skips them) inside its own transaction."""
    twin = write(tmp_path / "twin.csv", NPS[:3])
    other = con.cursor()

    def land_the_twin(_fraction, step):
        if step == "writing":
            import_file(other, twin)

    mine = write(tmp_path / "mine.csv", reordered(NPS, [1, 0, 2, 3, 4]))
    with pytest.raises(DuplicateRows) as refused:
        import_file(con, mine, progress=land_the_twin)
    assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (2, 4)
    assert count(con, "nps_response") == 2
    con.execute("DELETE FROM import_batch")   # start again: the twin lands while this one writes
    con.execute("DELETE FROM nps_response")
    con.execute("DELETE FROM row_fingerprint")
    result = import_file(con, mine, progress=land_the_twin, skip_duplicates=True)
    assert (result.rows_accepted, result.rows_duplicate) == (2, 2)
    assert count(con, "nps_response") == 4
    other.close()


def test_the_page_check_counts_what_the_import_would_refuse(con, tmp_path):
    import_file(con, write(tmp_path / "october.csv", NPS[:3]))
    bad_row = "C9,2026-10-04,Tianhe,12,Out of scale"
    checked = check_upload(con.cursor(), prepare(con, write(tmp_path / "new.csv", NPS + [bad_row])))
    assert (checked.report.rows_invalid, checked.duplicates.rows, checked.duplicates.total) == (1, 2, 4)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=PROJECT_ROOT, text=True,
                          capture_output=True, timeout=300)


@pytest.mark.slow
def test_the_command_line_refuses_then_skips_and_says_how_many(con_url, tmp_path):
    first = cli("import", str(write(tmp_path / "october.csv", NPS[:3])), "--db", con_url)
    assert first.returncode == 0, first.stderr
    overlap = str(write(tmp_path / "overlap.csv", NPS))
    refused = cli("import", overlap, "--db", con_url)
    assert refused.returncode == 3
    assert "overlap.csv: 2 of 4 rows are already in the store (2 rows in batch " in refused.stderr
    assert "Import only the 2 new rows with --skip-duplicates, or undo those batches first." in refused.stderr
    skipped = cli("import", overlap, "--db", con_url, "--skip-duplicates")
    assert skipped.returncode == 0, skipped.stderr
    assert "imported nps: 2 rows from overlap.csv" in skipped.stdout
    assert "2 rows were already in the store and were skipped (2 rows in batch " in skipped.stdout
    nothing_new = cli("import", str(write(tmp_path / "again.csv", NPS[:1] + NPS[:0:-1])), "--db", con_url,
                      "--skip-duplicates")
    assert nothing_new.returncode == 1
    assert "again.csv: all 4 rows are already in the store" in nothing_new.stderr


# --- the Imports page --------------------------------------------------------------------------

@pytest.mark.slow
def test_the_imports_page_warns_offers_the_tick_box_and_imports_only_the_new_rows(con_url, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from store.db import connect

    monkeypatch.setenv("FEEDBACK_DB", con_url)
    con = connect(con_url)
    first = import_file(con, TEST_DATA / "nps_gbk.csv")
    con.close()
    # the same six rows saved as UTF-8 with a seventh, under another name
    text = (TEST_DATA / "nps_gbk.csv").read_bytes().decode("gbk").rstrip("\n")
    data = (text + "\nC099,2026-09-20,8,手机银行,East,Shanghai Pudong,\n").encode("utf-8")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    at = at.switch_page("pages/imports.py").run()
    at = at.file_uploader(key="upload.files").set_value([("nps-resaved.csv", data, "text/csv")]).run()
    assert not at.exception
    warning = [shown(w.value) for w in at.warning if "already in the store" in shown(w.value)]
    assert len(warning) == 1
    assert f"5 of 6 rows are already in the store (5 rows in batch {first.batch_id[:8]}" in warning[0]
    assert "Tick the box below to import only the 1 new row, or undo those batches first." in warning[0]
    box = next(c for c in at.checkbox if c.key and c.key.startswith("upload.skip_duplicates."))
    assert box.label == "Import only the 1 new row and skip the 5 rows already in the store"
    box.check()
    at = next(b for b in at.button if b.key and b.key.startswith("upload.import.")).click().run()
    assert not at.exception
    success = " ".join(shown(s.value) for s in at.success)
    assert "Imported 1 row from nps-resaved.csv" in success
    assert "5 rows were already in the store and were skipped" in success
    con = connect(con_url)
    try:
        assert con.execute("SELECT count(*) FROM nps_response").fetchone() == (6,)
    finally:
        con.close()


def test_batches_imported_before_fingerprints_get_the_same_ones_from_their_rows(con_url, tmp_path):
    from loaders.columns import fields_of
    from store.db import FINGERPRINTED_ROWS, connect

    for table, kind in (("nps_response", "nps"), ("complaint", "complaints")):
        hashed = [name.strip().split("::")[0] for name in FINGERPRINTED_ROWS[table][0].split(",")]
        hashed = ["cause" if name.startswith("CASE") else name for name in hashed]
        # the file's tier word is stored as tier_label (tier is the tier it gives)
        hashed = ["tier" if name == "tier_label" else name for name in hashed]
        assert hashed == sorted(f.name for f in fields_of(kind))
    con = connect(con_url)
    import_file(con, write(tmp_path / "october.csv", NPS))
    import_file(con, write(tmp_path / "log.csv", COMPLAINTS + ["CP-4,2026-10-04 12:00,Yuexiu,,open,App crashes"]),
                kind="complaints")
    import_file(con, write(tmp_path / "wave1.csv", SURVEY), kind="survey")
    recorded = sorted(con.execute("SELECT batch_id::VARCHAR, fingerprint, natural_id FROM row_fingerprint"
                                  " WHERE fingerprint IS NOT NULL OR natural_id LIKE '%@%'").fetchall(), key=str)
    # the store as a version before fingerprints left it
    con.execute("DELETE FROM row_fingerprint")
    dbrows.layout_before(con, 8)
    con.close()
    con = connect(con_url)
    try:
        found = con.execute("SELECT batch_id::VARCHAR, fingerprint, natural_id FROM row_fingerprint").fetchall()
        survey_ids = [r for r in recorded if r[2] and "@" in r[2]]
        expected = [r for r in recorded if r not in survey_ids] + [(b, None, i) for b, _, i in survey_ids]
        assert sorted(found, key=str) == sorted(expected, key=str)
        with pytest.raises(DuplicateRows):      # and the next overlapping export is known by them
            import_file(con, write(tmp_path / "again.csv", reordered(NPS, [1, 0, 2, 3, 4])))
    finally:
        con.close()


def test_a_first_batch_records_the_fingerprints_a_later_batch_would(con, tmp_path):
    # the first batch of a kind hashes its rows straight into row_fingerprint, a later one keeps them
    # staged to look in the stored batches first: the same rows must leave the same fingerprints
    files = [("survey", write(tmp_path / "wave1.csv", SURVEY + ["4,not a date,Yuexiu,3,3,3"]),
              write(tmp_path / "other-survey.csv", [SURVEY[0], "9,2026-09-01 09:00,Tianhe,1,1,1"])),
             ("nps", write(tmp_path / "october.csv", NPS + ["C9,2026-13-45,Tianhe,8,"]),
              write(tmp_path / "september.csv", [NPS[0], "C8,2026-09-01,Tianhe,5,"]))]
    other = connect(str(tmp_path / "other.duckdb"))
    try:
        for kind, path, earlier in files:
            first = import_file(con, path, kind=kind, skip_invalid=True)
            import_file(other, earlier, kind=kind)
            later = import_file(other, path, kind=kind, skip_invalid=True)
            assert first.rows_accepted == later.rows_accepted == (3 if kind == "survey" else 4)
            sql = "SELECT fingerprint, natural_id FROM row_fingerprint WHERE batch_id = ? ORDER BY ALL"
            recorded = con.execute(sql, [first.batch_id]).fetchall()
            assert len(recorded) == first.rows_accepted
            assert recorded == other.execute(sql, [later.batch_id]).fetchall()
            # the hashes as the fingerprint's expression gives them, its items' codes a parameter
            # (a view cannot take one: the first batch's path reads them from a table)
            prepared = prepare(con, path, kind=kind)
            check(con, prepared)
            expression, params = fingerprint_sql(prepared.mapping)
            expected = con.execute(
                f"SELECT {expression}, {'NULL' if kind == 'nps' else NATURAL_ID[kind]}::VARCHAR FROM staged_rows"
                " WHERE row_no NOT IN (SELECT row_no FROM staged_problems) ORDER BY ALL", params).fetchall()
            assert recorded == expected
            # and they find the rows again: NPS rows have no id of their own, so by content only
            if kind == "nps":
                again = write(tmp_path / "october-reordered.csv", reordered(NPS, [4, 3, 2, 1, 0]))
                with pytest.raises(DuplicateRows) as refused:
                    import_file(con, again)
                assert (refused.value.duplicates.rows, refused.value.duplicates.total) == (4, 4)
    finally:
        other.close()
