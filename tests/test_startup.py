"""What `python -m loaders import` loads: only what the import and its alert check use (issue 24's
whole-process floor counts the start-up). The libraries of other commands load where they are used."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# argon2: signing in (loaders.access); smtplib: sending the alerts (presentation.mail); multiprocessing:
# scoring many texts in worker processes (text.sentiment). An NPS file without texts needs none of them.
NOT_FOR_AN_IMPORT = ("argon2", "smtplib", "multiprocessing")

# the real command, run as `python -m loaders` runs it; at its end (an atexit function: the process
# ends without returning here, presentation.commands), the modules it loaded
RUN_AND_LIST = """
import atexit, json, runpy, sys
sys.argv = ["loaders", "import", "--db", sys.argv[1], "--kind", "nps", sys.argv[2]]
atexit.register(lambda: print(json.dumps({"loaded": sorted(m for m in %r if m in sys.modules)})))
runpy.run_module("loaders", run_name="__main__", alter_sys=True)
""" % (NOT_FOR_AN_IMPORT,)


def test_an_nps_import_loads_no_library_it_does_not_use(tmp_path):
    csv = tmp_path / "nps.csv"
    csv.write_text("customer_id,date,score,channel\n"
                   "000017,2026-03-02,9,branch\n"
                   "000018,2026-03-05,6,app\n"
                   "000019,2026-04-01,10,phone\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", RUN_AND_LIST, str(tmp_path / "store.duckdb"), str(csv)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "imported nps: 3 rows from nps.csv" in lines[-2]
    assert json.loads(lines[-1]) == {"loaded": []}
