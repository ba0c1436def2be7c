"""Runs inside a peer's throwaway venv (no qualcode there): drive the peer's own REFI-QDA code, print JSON."""

# Each function calls the peer's own importer or exporter as its GUI or CLI would, with dialogs answered
# by the harness, and reads the peer's store back as plain counts for bench/interop.py to compare.

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import types
from collections import Counter
from pathlib import Path


# -- QualCoder (from its source tree; PyQt6 offscreen) ----------------------------------------------

def _qualcoder(src: str):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(src)))
    # Media playback and the AI assistant are not part of REFI exchange and need libpulse, vlc and
    # langchain, which a headless bench machine lacks: stand-ins keep those imports quiet.
    media = types.ModuleType("qualcoder.media_player_qt")
    media.MediaInstance, media.make_vlc_instance = object, lambda *a, **k: None
    ai = types.ModuleType("qualcoder.ai_llm")
    ai.get_default_ai_models, ai.update_ai_models = (lambda *a, **k: []), (lambda *a, **k: None)
    sys.modules.update({"qualcoder.media_player_qt": media, "qualcoder.ai_llm": ai})
    from PyQt6 import QtWidgets

    from qualcoder import refi
    from qualcoder.app import App

    qt = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["bench"])

    class Quiet:  # QualCoder's message boxes: nobody is there to click OK
        def __init__(self, *a, **k):
            pass

        def exec(self):
            return 0

    refi.Message = Quiet
    refi.RefiLineEndings.exec = lambda self: 0  # keep LF line ends (the default choice)
    return qt, refi, App


class _Log:
    def __init__(self):
        self.lines: list[str] = []

    def append(self, text):
        self.lines.append(str(text))


def _qualcoder_app(App, project: Path, coder: str = "bench"):
    """A QualCoder App on a new project: the schema from QualCoder's own new_project()."""
    app = App.__new__(App)
    app.settings = {"codername": coder, "directory": str(project.parent), "ai_enable": "False",
                    "fontsize": 10, "font": "Noto Sans"}
    app.ai_models, app.project_events, app.version = [], None, _qualcoder_version(App)
    app.write_config_ini = lambda *a, **k: None
    app.project_path, app.project_name = str(project), project.name
    for folder in ("", "images", "audio", "video", "documents"):
        (project / folder).mkdir(exist_ok=True)
    fresh = not (project / "data.qda").exists()
    app.conn = sqlite3.connect(project / "data.qda")
    if fresh:
        for statement in _schema(App):
            app.conn.execute(statement)
        app.conn.execute("INSERT INTO project VALUES(?,?,?,?,?,?,?,?,null,null,null)",
                         ("v17", "2026-01-01 00:00:00", "", app.version, 0, 0, coder, ""))
        app.update_coder_names()
        app.conn.commit()
    return app


def _qualcoder_version(App) -> str:
    import inspect
    import re

    found = re.search(r'self\.version = "([^"]+)"', inspect.getsource(App.__init__))
    return found.group(1) if found else "QualCoder"


def _schema(App) -> list[str]:
    """The CREATE TABLE statements of QualCoder's MainWindow.new_project, read from its source."""
    import ast

    main = Path(sys.modules[App.__module__].__file__).with_name("__main__.py")
    tree = ast.parse(main.read_text(encoding="utf-8"))
    method = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "new_project")
    return [n.value for n in ast.walk(method) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and n.value.upper().startswith("CREATE TABLE")]


def qualcoder_import(src: str, qdpx: str, project: str) -> dict:
    qt, refi, App = _qualcoder(src)
    from PyQt6 import QtWidgets

    app = _qualcoder_app(App, Path(project))
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (qdpx, "*.qdpx"))
    log = _Log()
    refi.RefiImport(app, log, "qdpx")
    app.conn.commit()
    report = qualcoder_store(app.conn)
    report["duplicate_messages"] = sum("Duplicated text coding" in line for line in log.lines)
    report["version"] = app.version
    return report


def qualcoder_export(src: str, project: str, out_dir: str) -> dict:
    qt, refi, App = _qualcoder(src)
    from PyQt6 import QtWidgets

    app = _qualcoder_app(App, Path(project))
    (Path.home() / ".qualcoder").mkdir(exist_ok=True)  # QualCoder assembles the archive there (HOME is a scratch folder)
    QtWidgets.QFileDialog.getExistingDirectory = staticmethod(lambda *a, **k: out_dir)
    refi.RefiExport(app, _Log(), "project")
    written = sorted(Path(out_dir).glob("*.qdpx"))
    return {"qdpx": str(written[-1]) if written else None, "version": app.version}


def qualcoder_store(conn: sqlite3.Connection) -> dict:
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    return {
        "sources": q("select count(*) from source where fulltext is not null")[0][0],
        "codes": q("select count(*) from code_name")[0][0],
        "codings": q("select count(*) from code_text")[0][0],
        "codings_per_coder": dict(Counter(r[0] for r in q("select owner from code_text"))),
        "coding_memos": q("select count(*) from code_text where ifnull(memo,'') != ''")[0][0],
        "document_memos": q("select count(*) from source where ifnull(memo,'') != ''")[0][0],
        "journals": q("select count(*) from journal")[0][0],
        "cases": q("select count(*) from cases")[0][0],
        "case_links": q("select count(*) from case_text where pos0=0 and pos1=0")[0][0],
        "annotations": q("select count(*) from annotation")[0][0],
        "coded_texts": sorted(f"{r[0]}|{r[1]}|{r[2]}|{r[3]}|{r[4]}" for r in q(
            "select s.name, c.pos0, c.pos1, ifnull(n.name, ''), c.owner from code_text c join source s on s.id=c.fid "
            "left join code_name n on n.cid=c.cid")),  # a coding whose code QualCoder refused keeps an empty name
    }


def qualcoder_enrich(src: str, project: str) -> dict:
    """Add what a QualCoder user adds by hand: a journal, a document memo, a case with a memo, an
    attribute and a linked file, and a coding memo; so the reverse trip has each kind to carry."""
    qt, refi, App = _qualcoder(src)
    app = _qualcoder_app(App, Path(project))
    cur = app.conn.cursor()
    now = "2026-02-03 10:00:00"
    cur.execute("insert into journal(name, jentry, owner, date) values(?,?,?,?)", ("Week one", "First interviews done; themes forming.", "alex", now))
    fid, name = cur.execute("select id, name from source order by id limit 1").fetchone()
    cur.execute("update source set memo=? where id=?", ("Recorded in the ward office.", fid))
    cur.execute("insert into cases(name, memo, owner, date) values(?,?,?,?)", ("Ward nurse", "Night shifts, ten years.", "alex", now))
    caseid = cur.lastrowid
    cur.execute("insert or ignore into attribute_type(name, date, owner, memo, caseOrFile, valuetype) values(?,?,?,?,?,?)",
                ("shift pattern", now, "alex", "", "case", "character"))
    cur.execute("insert into attribute(name, attr_type, value, id, date, owner) values(?,?,?,?,?,?)",
                ("shift pattern", "case", "nights", caseid, now, "alex"))
    cur.execute("insert into case_text(caseid, fid, pos0, pos1, owner, date, memo) values(?,?,0,0,?,?,?)", (caseid, fid, "alex", now, ""))
    ctid = cur.execute("select ctid from code_text where ifnull(memo,'')='' order by ctid limit 1").fetchone()[0]
    cur.execute("update code_text set memo=? where ctid=?", ("Added in QualCoder.", ctid))
    app.conn.commit()
    return {"document": name, **qualcoder_store(app.conn)}


# -- qc (qualitative-coding, its CLI) -----------------------------------------------------------

def qc_import(qdpx: str, project: str) -> dict:
    env = dict(os.environ, PYTHONBREAKPOINT="0")  # qc 1.7.8's importer stops at a stray breakpoint()
    Path(project).mkdir(parents=True, exist_ok=True)
    run = subprocess.run([str(Path(sys.executable).with_name("qc")), "init", "--import", qdpx], cwd=project, env=env,
                         capture_output=True, text=True, timeout=600)
    result = {"returncode": run.returncode, "stderr_tail": run.stderr[-600:]}
    result.update(qc_store(project))
    return result


def qc_export(project: str, out: str) -> dict:
    run = subprocess.run([str(Path(sys.executable).with_name("qc")), "export", out], cwd=project, capture_output=True,
                         text=True, timeout=600)
    return {"returncode": run.returncode, "stderr_tail": run.stderr[-600:], "qdpx": out}


def qc_store(project: str) -> dict:
    from importlib.metadata import version

    db = Path(project) / "qualitative_coding.sqlite3"
    out = {"version": version("qualitative-coding")}
    if not db.exists():
        return out
    conn = sqlite3.connect(db)
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    # qc keeps one row per (document, line, code, coder); a line's document is found through its location.
    lines = q("select distinct d.document_id, c.line, c.code_id, c.coder_id from coded_line c "
              "join coded_line_location_association a on a.coded_line_id = c.id join location l on l.id = a.location_id "
              "join document_index d on d.id = l.document_index_id")
    out.update({
        "documents": q("select count(*) from document")[0][0],
        "codes": q("select count(*) from code")[0][0],
        "codings": q("select count(*) from coded_line")[0][0],
        "codings_per_coder": dict(Counter(r[0] for r in q("select coder_id from coded_line"))),
        "lines_coded": len({(r[0], r[1]) for r in lines}),
        "on_line_0": sum(1 for r in lines if r[1] == 0),
        "coded_lines": sorted(f"{Path(r[0]).stem}|{r[1]}|{r[2]}|{r[3]}" for r in lines),
    })
    return out


# -- Taguette (its codebook import and export) -------------------------------------------------

def taguette_codebook(csv_in: str, qdc_out: str) -> dict:
    """Read a codebook CSV with Taguette's importer and write it back with Taguette's REFI exporter."""
    from importlib.metadata import version

    from taguette import export
    from taguette.import_codebook import list_tags_csv

    with open(csv_in, "rb") as handle:
        tags = list_tags_csv(handle)
    rows = [types.SimpleNamespace(path=t["path"], description=t["description"]) for t in tags]
    export.codebook_xml(rows, qdc_out)
    return {"version": version("taguette"), "tags": len(rows), "qdc": qdc_out}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    print(json.dumps(globals()[command.replace("-", "_")](*args)))
