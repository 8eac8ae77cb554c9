#!/usr/bin/env python3
"""Checks for the supervised-run parts of tests/wine/run-wine-tests (part_worker.sh);
python3 standard library only.

  worker_checks.py hashes LAB OUT_JSON
      Writes the sha256 of every file under LAB.
  worker_checks.py lab LAB BEFORE_JSON
      Every file of LAB has the hash it had before, none was added or removed,
      and no temporary file of an interrupted write (.<name>.smharden-*.tmp) is left.
  worker_checks.py report REPORT_JSON HOW
      The apply's report after its worker was ended (HOW: timeout, killed,
      interrupted): exit code 4, the worker named; automatic rollback complete
      (timeout, killed) or interrupted without one (interrupted).
  worker_checks.py journals STATE_DIR
      Every journal under STATE_DIR/runs is readable (one JSON object per line)
      and ends with run_end.
  worker_checks.py eventlog STDERR_FILE
      The Event Log calls Wine printed (WINEDEBUG=fixme+advapi,+eventlog) for an
      apply whose worker hit its step timeout: event ids, types and texts.
"""
import hashlib
import json
import os
import pathlib
import re
import sys


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load(path):
    text = pathlib.Path(path).read_bytes().decode("utf-8", "replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        fail(f"{path} is not JSON ({e}); first 400 characters:\n{text[:400]}")


# smharden's own file in a lab: the run lock (it stays, empty, after the run).
NOT_LAB_FILES = {".smharden-run.lock"}


def hashes(lab):
    out = {}
    for root, _, files in os.walk(lab):
        for name in files:
            if name in NOT_LAB_FILES:
                continue
            p = pathlib.Path(root) / name
            out[str(p.relative_to(lab))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def check_lab(lab, before_json):
    before = load(before_json)
    now = hashes(lab)
    temps = [p for p in now if re.search(r"(^|/)\.[^/]+\.smharden-[^/]*\.tmp$", p)]
    if temps:
        fail(f"temporary files of interrupted writes left in the lab: {temps}")
    if now != before:
        changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
        fail(f"the lab is not back to its hashes: {changed}")
    print(f"ok: all {len(now)} lab files have their original sha256, no temporary file left")


def check_report(report_json, how):
    r = load(report_json)
    if r.get("exit_code") != 4:
        fail(f"exit_code {r.get('exit_code')} in the report, expected 4")
    worker = r.get("worker")
    if not isinstance(worker, dict) or worker.get("step") != "supervisor-misbehave":
        fail(f"the report does not name the worker's step: {worker}")
    rollback = r.get("rollback", {})
    if how == "interrupted":
        if "interrupted" not in r or rollback.get("performed"):
            fail(f"expected an interrupted run without automatic rollback: {r.get('interrupted')}, {rollback}")
    else:
        if not (rollback.get("performed") and rollback.get("complete")):
            fail(f"expected a complete automatic rollback: {rollback}")
        if how == "timeout" and worker.get("timeout_seconds") is None:
            fail(f"the report does not say the step timed out: {worker}")
    print(f"ok: exit 4; worker: {worker.get('what')}")


def check_journals(state):
    runs = sorted(pathlib.Path(state, "runs").glob("*/journal.jsonl"))
    if not runs:
        fail(f"no journal under {state}/runs")
    for j in runs:
        lines = j.read_bytes().decode("utf-8").splitlines()
        records = []
        for n, line in enumerate(lines, 1):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                fail(f"{j}: line {n} is not JSON: {line[:200]}")
        if not records or records[-1].get("type") != "run_end":
            fail(f"{j}: does not end with run_end")
    print(f"ok: {len(runs)} journal(s) readable, each ends with run_end")


# Wine 8: "<tid>:fixme:advapi:ReportEventW (handle,type,category,id,sid,strings,size,...)" and then the
# text on the eventlog channel: trace (information), warn or err, as "<tid>:trace:eventlog:ReportEventW L"..."".
CALL = re.compile(r"([0-9a-f]{4}):fixme:advapi:ReportEventW \([^,]+,0x([0-9a-f]{4}),0x([0-9a-f]{4}),0x([0-9a-f]{8}),")
TEXT = re.compile(r"([0-9a-f]{4}):(trace|warn|err):eventlog:ReportEventW (L\".*\")")
TYPES = {1: "error", 2: "warning", 4: "information"}


def check_eventlog(stderr_file):
    text = pathlib.Path(stderr_file).read_bytes().decode("utf-8", "replace")
    pending = {}
    events = []
    for line in text.splitlines():
        if (m := CALL.search(line)) is not None:
            pending[m.group(1)] = (int(m.group(4), 16), int(m.group(2), 16))
        elif (m := TEXT.search(line)) is not None and m.group(1) in pending:
            event_id, kind = pending.pop(m.group(1))
            events.append((event_id, TYPES.get(kind, hex(kind)), m.group(3)))
    if not events:
        fail("Wine printed no ReportEventW call (is WINEDEBUG=fixme+advapi,+eventlog set?)")
    for e in events:
        print(f"  event {e[0]} {e[1]}: {e[2][:160]}")
    ids = [e[0] for e in events]
    want = {1000: "information", 1010: "information", 1020: "information", 1021: "information", 1003: "error"}
    for event_id, kind in want.items():
        found = [e for e in events if e[0] == event_id]
        if not found:
            fail(f"no event {event_id} among {ids}")
        if any(e[1] != kind for e in found):
            fail(f"event {event_id} is not of type {kind}: {found}")
    order = [ids.index(1000), ids.index(1020), ids.index(1021), len(ids) - 1 - ids[::-1].index(1003)]
    if order != sorted(order):
        fail(f"events out of order: {ids}")
    if not any(e[0] == 1000 and "smharden apply" in e[2] and "started" in e[2] for e in events):
        fail("the apply's start event does not say so")
    if any(e[2].endswith('\\r\\n"') or e[2].endswith('\\n"') for e in events):
        fail("an event's text ends with a line break")
    print(f"ok: {len(events)} Event Log calls with the documented ids and types: {ids}")


def main(argv):
    if len(argv) == 4 and argv[1] == "hashes":
        pathlib.Path(argv[3]).write_text(json.dumps(hashes(argv[2]), indent=1, sort_keys=True))
    elif len(argv) == 4 and argv[1] == "lab":
        check_lab(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "report":
        check_report(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "journals":
        check_journals(argv[2])
    elif len(argv) == 3 and argv[1] == "eventlog":
        check_eventlog(argv[2])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
