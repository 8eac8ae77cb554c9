#!/usr/bin/env python3
"""Checks for tests/wine/run-package-test (python3 standard library only).

  package_checks.py zip ZIP REPO
      The ZIP holds one folder with smharden.exe, plugins/smh-<id>.dll for
      every plugin in REPO/plugins, the shipped profiles, the docs and the
      licence of every library compiled into the binaries, and not the SDK.
      Prints the folder's name.
  package_checks.py imports FOLDER OBJDUMP SYSTEM32
      Every DLL that an .exe or .dll under FOLDER imports (objdump -p) is a
      Windows DLL (in SYSTEM32 of a fresh Wine prefix) or shipped in FOLDER;
      none is a MinGW runtime DLL (they are linked statically).
  package_checks.py unpack ZIP DEST
      Unpacks ZIP into DEST (files 0644, folders 0755).
  package_checks.py applied APPLY_REPORT CHECK_REPORT
      The apply changed at least one step and failed none; every step it
      applied is compliant in the check that followed.
  package_checks.py killed-journal JOURNAL
      The journal of a killed apply: each line is JSON (but a torn last one),
      it starts with run_start, holds at least one mutation_done and no run_end.
  package_checks.py restored BEFORE_SHA256 AFTER_SHA256
      Every lab file listed in BEFORE (sha256sum lines) has the same hash in
      AFTER; a file new in AFTER is only what the lab records on its own side
      (iis/recycle.log: each app pool recycle, the rollback's too;
      iis/history/applicationHost.*.config: IIS's copy of each config it saw).
  package_checks.py history HISTORY_JSON RUN_ID
      `history --format json` lists RUN_ID as rolled back ("yes").
"""
import json
import pathlib
import re
import subprocess
import sys
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from wine_checks import fail, load  # noqa: E402

LICENCES = ["nlohmann-json", "CLI11", "valijson", "boost", "fmt", "spdlog", "pugixml",
            "mingw-w64-crt-and-winpthreads", "gcc-runtime-libstdc++-libgcc"]
MINGW_RUNTIME = {"libstdc++-6.dll", "libgcc_s_seh-1.dll", "libwinpthread-1.dll"}


def expected_plugins(repo):
    return sorted(m.parent.name for m in pathlib.Path(repo, "plugins").glob("*/manifest.json")
                  if (m.parent / "CMakeLists.txt").exists())


def check_zip(zip_path, repo):
    with zipfile.ZipFile(zip_path) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
    tops = {n.split("/", 1)[0] for n in z.namelist()}
    if len(tops) != 1:
        fail(f"{zip_path}: expected one top folder, found {sorted(tops)}")
    top = tops.pop()
    inside = {n[len(top) + 1:] for n in names}
    ids = [json.loads(pathlib.Path(repo, "plugins", d, "manifest.json").read_text())["id"]
           for d in expected_plugins(repo)]
    expected = {"smharden.exe", "profiles/baseline.json", "profiles/strict.json",
                "profiles/customer-example.json", "profiles/schema/profile.schema.json", "doc/README.md",
                "doc/user-guide.md"}
    expected |= {f"plugins/smh-{i}.dll" for i in ids}
    expected |= {f"doc/licenses/{name}.txt" for name in LICENCES}
    missing = sorted(expected - inside)
    if missing:
        fail(f"{zip_path} lacks: {', '.join(missing)}")
    extra_dlls = sorted(n for n in inside if n.startswith("plugins/") and n not in expected)
    if extra_dlls:
        fail(f"{zip_path} has plugin files that are not plugins of this repository: {extra_dlls}")
    sdk = sorted(n for n in inside if n.startswith(("include/", "lib/")))
    if sdk:
        fail(f"{zip_path} holds SDK files (the SDK installs on its own): {sdk[:5]}")
    print(top)


def dll_imports(objdump, file):
    out = subprocess.run([objdump, "-p", str(file)], check=True, capture_output=True, text=True).stdout
    return [line.split("DLL Name:", 1)[1].strip() for line in out.splitlines() if "DLL Name:" in line]


def check_imports(folder, objdump, system32):
    folder = pathlib.Path(folder)
    binaries = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".exe", ".dll"))
    if not binaries:
        fail(f"no .exe or .dll under {folder}")
    shipped = {p.name.lower() for p in binaries}
    windows = {p.name.lower() for p in pathlib.Path(system32).iterdir()}
    seen = set()
    for binary in binaries:
        for dll in dll_imports(objdump, binary):
            name = dll.lower()
            if name in MINGW_RUNTIME:
                fail(f"{binary.name} imports the MinGW runtime DLL {dll}: it should be linked statically")
            if name not in windows and name not in shipped:
                fail(f"{binary.name} imports {dll}, which is neither a Windows DLL nor in the package")
            seen.add(name)
    print(f"ok: {len(binaries)} binaries import only Windows DLLs: {', '.join(sorted(seen))}")


def unpack(zip_path, dest):
    dest = pathlib.Path(dest)
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            target = dest / info.filename
            if info.is_dir():
                target.mkdir(mode=0o755, parents=True, exist_ok=True)
                continue
            target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
            target.chmod(0o644)
    for d in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        d.chmod(0o755)


def check_applied(apply_report, check_report):
    applied = load(apply_report)
    checked = load(check_report)
    summary = applied.get("summary", {})
    if summary.get("applied", 0) == 0 or summary.get("failed", 0) or summary.get("error", 0):
        fail(f"apply: expected some applied steps and none failed or in error, got {summary}")
    status = {s["id"]: s["status"] for s in checked.get("steps", [])}
    changed = [s["id"] for s in applied["steps"] if s["status"] == "applied"]
    not_fixed = [i for i in changed if status.get(i) != "compliant"]
    if not_fixed:
        fail(f"steps applied but not compliant in the next check: {not_fixed} ({status})")
    print(f"ok: apply changed {len(changed)} steps ({', '.join(changed)}); the next check finds them compliant")


def check_killed_journal(journal):
    lines = pathlib.Path(journal).read_bytes().decode("utf-8").split("\n")
    torn = lines and lines[-1] != ""
    complete = lines[:-1]
    records = []
    for number, line in enumerate(complete, 1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            fail(f"{journal}:{number} is not JSON ({e}): {line[:200]}")
    types = [r.get("type") for r in records]
    if not types or types[0] != "run_start":
        fail(f"{journal} does not start with run_start: {types[:3]}")
    if "mutation_done" not in types:
        fail(f"{journal}: no mutation_done before the kill: {types}")
    if "run_end" in types:
        fail(f"{journal}: the run ended before the kill (run_end is journaled): {types}")
    print(f"ok: the killed run's journal has {len(records)} records ({types.count('mutation_done')} changes done), "
          f"no run_end{', and a torn last line' if torn else ''}")


def sha256_listing(path):
    out = {}
    for line in pathlib.Path(path).read_text().splitlines():
        digest, name = line.split(None, 1)
        out[name] = digest
    return out


def check_restored(before_file, after_file):
    before = sha256_listing(before_file)
    after = sha256_listing(after_file)
    changed = sorted(n for n in before if after.get(n) != before[n])
    if changed:
        fail(f"lab files not restored (missing or another hash): {changed}")
    recorded = re.compile(r"\./iis/(recycle\.log|history/applicationHost\.[0-9TZ]+\.config)")
    unexpected = sorted(n for n in after if n not in before and not recorded.fullmatch(n))
    if unexpected:
        fail(f"files the run left in the lab: {unexpected}")
    print(f"ok: all {len(before)} lab files have their hash from before")


def check_history(history_json, run_id):
    runs = load(history_json)
    if isinstance(runs, dict):
        runs = runs.get("runs", [])
    for run in runs:
        if run.get("id") == run_id:
            if run.get("rolled_back") != "yes":
                fail(f"history: run {run_id} is not rolled back: {json.dumps(run)}")
            print(f"ok: history lists {run_id} as rolled back ({len(runs)} runs)")
            return
    fail(f"history does not list run {run_id}: {json.dumps(runs)[:600]}")


def main(argv):
    commands = {"zip": (check_zip, 2), "imports": (check_imports, 3), "unpack": (unpack, 2),
                "applied": (check_applied, 2), "killed-journal": (check_killed_journal, 1),
                "history": (check_history, 2), "restored": (check_restored, 2)}
    if len(argv) >= 2 and argv[1] in commands and len(argv) == commands[argv[1]][1] + 2:
        commands[argv[1]][0](*argv[2:])
        return
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
