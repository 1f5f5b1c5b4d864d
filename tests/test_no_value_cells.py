"""Cells of a name, a category or an id that say there is none ("None", "N/A", "-", "无") are stored
blank, and the check says which, where and how many (loaders/validate.py NO_VALUE_WORDS). An
extract of the US CFPB's complaint database writes "None" for a missing sub-issue: stored as written,
"None" became a sub-cause of its own; "N/A" as a customer id became one customer with every such
complaint, and "N/A" as a reference repeated on every row refused those rows as repeated ids."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from loaders.importer import check, import_file, prepare
from presentation.problems import blanked_notices

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# columns as the CFPB's public export names them (Issue, Sub-issue, Complaint ID, Company response
# to consumer), with a branch and a region as a company's own log has them
COMPLAINTS = (
    "Date received,Issue,Sub-issue,Branch,Region,Customer ID,Complaint ID,Company response to consumer,"
    "Consumer complaint narrative\n"
    "2026-10-01,Billing,None,Tianhe,NA,N/A,K1,Closed with explanation,They charged me twice\n"
    "2026-10-02,Billing,Late fee,-,NA,C2,K2,In progress,The fee was wrong\n"
    "2026-10-03,Service,None,Nan,EU,N/A,N/A,Closed,Rude staff at the counter\n"
    "2026-10-04,Service,none,—,EU,C4,N/A,Closed,Waited an hour for nobody\n"
    "2026-10-05,Service,无,Unknown,null,C5,K5,Closed,Nobody called me back\n"
)


def write(folder: Path, text: str = COMPLAINTS) -> Path:
    path = folder / "complaints.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cells_that_say_none_are_stored_blank_and_the_rest_as_written(con, tmp_path):
    result = import_file(con, write(tmp_path))
    # the two "N/A" references are no repeated id: every row is in
    assert (result.rows_accepted, result.rows_rejected) == (5, 0)
    rows = con.execute("SELECT cause, sub_cause, branch, region, customer_id, complaint_ref FROM complaint"
                       " ORDER BY received_at").fetchall()
    assert rows == [
        ("Billing", None, "Tianhe", "NA", None, "K1"),      # NA is North America, no marker
        ("Billing", "Late fee", None, "NA", "C2", "K2"),
        ("Service", None, "Nan", "EU", None, None),         # Nan is a place's name
        ("Service", None, None, "EU", "C4", None),
        ("Service", None, "Unknown", None, "C5", "K5"),     # "Unknown" says something: kept
    ]
    # no cause's sub-causes, no branch and no customer named by a marker
    assert con.execute("SELECT count(*) FROM complaint WHERE sub_cause IN ('None', 'none', '无')"
                       " OR customer_id = 'N/A' OR branch IN ('-', '—')").fetchone()[0] == 0


def test_the_check_says_which_cells_of_which_column_and_how_many(con, tmp_path):
    report = check(con, prepare(con, write(tmp_path)))
    # in the file's column order, then most rows first, then as written
    assert report.blanked == (
        ("Sub-issue", "None", 2), ("Sub-issue", "none", 1), ("Sub-issue", "无", 1),
        ("Branch", "-", 1), ("Branch", "—", 1),
        ("Region", "null", 1),
        ("Customer ID", "N/A", 2),
        ("Complaint ID", "N/A", 2),
    )
    assert report.rows_invalid == 0
    english = blanked_notices(report.blanked, "en")
    assert english[0] == ("4 cells in column “Sub-issue” only say there is no value (“None” × 2, “none” × 1,"
                          " “无” × 1) and are read as blank. To keep such a word as a value, write it another way"
                          " in the file (e.g. “No Sub-issue”).")
    assert english[2].startswith(
        "1 cell in column “Region” only says there is no value (“null” × 1) and is read as blank")
    chinese = blanked_notices(report.blanked, "zh")
    assert chinese[1] == ("“Branch”列中有 2 个单元格只表示没有值（“-”×1、“—”×1），按空白读取。"
                          "如需保留为值，请在文件中换一种写法（如“无Branch”）。")
    assert len(english) == len(chinese) == 5


def test_a_file_without_such_cells_has_nothing_to_say(con, tmp_path):
    text = COMPLAINTS.splitlines()[0] + "\n2026-10-01,Billing,Late fee,Tianhe,EU,C1,K1,Closed,Charged twice\n"
    report = check(con, prepare(con, write(tmp_path, text)))
    assert report.blanked == () and blanked_notices(report.blanked, "en") == []


def test_a_thousand_such_cells_are_counted_with_a_separator(con, tmp_path):
    rows = "".join(f"2026-10-0{1 + i % 9},Billing,None,Tianhe,EU,C{i},K{i},Closed,Charged twice\n"
                   for i in range(1200))
    report = check(con, prepare(con, write(tmp_path, COMPLAINTS.splitlines()[0] + "\n" + rows)))
    assert report.blanked == (("Sub-issue", "None", 1200),)
    assert blanked_notices(report.blanked, "en")[0].startswith(
        "1,200 cells in column “Sub-issue” only say there is no value (“None” × 1,200)")


def test_an_excel_error_in_a_name_is_still_refused_at_its_row(con, tmp_path):
    # "#N/A" is a lookup that failed in Excel: the row is refused with a fix, not blanked
    text = COMPLAINTS.splitlines()[0] + "\n2026-10-01,Billing,Late fee,#N/A,EU,C1,K1,Closed,Charged twice\n"
    report = check(con, prepare(con, write(tmp_path, text)))
    assert report.rows_invalid == 1 and report.problems[0].code == "excel_error"
    assert report.blanked == ()


def test_the_command_line_notes_them_and_gives_them_in_json(tmp_path):
    path = write(tmp_path)
    command = [sys.executable, "-m", "loaders", "import", str(path), "--db", str(tmp_path / "s.duckdb"), "--dry-run"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stdout.splitlines() if line.startswith("note: ")]
    assert notes[0].startswith("note: 4 cells in column “Sub-issue” only say there is no value")
    assert len(notes) == 5
    done = subprocess.run(command + ["--json"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    blanked = json.loads(done.stdout)["validation"]["blanked"]
    assert blanked[0] == {"column": "Sub-issue", "cell": "None", "rows": 2}
    assert sum(b["rows"] for b in blanked) == 11


def test_an_id_column_of_small_numbers_and_na_numbers_the_rows(con, tmp_path):
    # a small log whose references count from 1, one of them "N/A": read at first as answers on a
    # 1-3 scale with a not-applicable code (no rating repeats none of its numbers), so its header,
    # an id's, was not used and the references were lost
    path = write(tmp_path, "Complaint ID,Date received,Issue,Consumer complaint narrative\n"
                           "1,2026-10-01,Billing,They charged me twice\n2,2026-10-02,Billing,The fee was wrong\n"
                           "3,2026-10-03,Service,Rude staff\nN/A,2026-10-04,Service,Nobody called back\n")
    prepared = prepare(con, path)
    assert prepared.mapping.fields["complaint_ref"] == "Complaint ID"
    import_file(con, path)
    assert con.execute("SELECT complaint_ref FROM complaint ORDER BY received_at").fetchall() == [
        ("1",), ("2",), ("3",), (None,)]


def test_a_column_called_response_answered_on_a_scale_stays_a_rating(con, tmp_path):
    # "Response" is also a synonym of the response id; answers that repeat are ratings, not ids
    path = tmp_path / "survey.csv"
    path.write_text("Date,Response,Staff courtesy,Waiting time\n2026-10-01,4,5,3\n2026-10-02,4,4,2\n"
                    "2026-10-03,2,5,N/A\n2026-10-04,N/A,3,3\n", encoding="utf-8")
    mapping = prepare(con, path).mapping
    assert "respondent_id" not in mapping.fields
    assert {r.column for r in mapping.ratings} == {"Response", "Staff courtesy", "Waiting time"}
