#!/usr/bin/env python3
"""Checks for tests/wine/run-wine-tests (python3 standard library only).

  wine_checks.py list REPO LIST_JSON [LINUX_LIST_JSON]
      Every plugin in REPO/plugins (a folder with manifest.json and
      CMakeLists.txt) is in `smharden list --format json`, nothing was refused,
      and the ids and versions equal the Linux build's list.
  wine_checks.py compare LINUX_REPORT WINDOWS_REPORT [--path TOKEN UNIX WINDOWS]...
      The two `check --format json` reports are equal once times, run ids,
      durations and the target/profile file paths are set aside. Each
      --path replaces a folder's Unix and Windows spellings with TOKEN.
"""
import json
import pathlib
import re
import sys

# Keys whose values differ between any two runs.
VOLATILE_KEYS = {"run_id", "started_at", "finished_at", "duration_ms", "target"}


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def load(path):
    text = pathlib.Path(path).read_bytes().decode("utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        fail(f"{path} is not JSON ({e}); first 400 characters:\n{text[:400]}")


def expected_plugins(repo):
    ids = {}
    for manifest in sorted(pathlib.Path(repo, "plugins").glob("*/manifest.json")):
        if (manifest.parent / "CMakeLists.txt").exists():
            m = json.loads(manifest.read_text())
            ids[m["id"]] = m["version"]
    return ids


def check_list(repo, list_json, linux_list_json=None):
    listed = load(list_json)
    found = {p["id"]: p["version"] for p in listed.get("plugins", [])}
    expected = expected_plugins(repo)
    missing = sorted(set(expected) - set(found))
    if missing:
        fail(f"plugins missing from the Windows list: {', '.join(missing)}")
    if listed.get("refused"):
        fail("the Windows build refused modules: " + json.dumps(listed["refused"], indent=2))
    for pid, version in expected.items():
        if found[pid] != version:
            fail(f"plugin {pid}: version {found[pid]}, manifest says {version}")
    for p in listed["plugins"]:
        if not p.get("file", "").lower().endswith(".dll"):
            fail(f"plugin {p['id']} was not loaded from a .dll: {p.get('file')}")
    if linux_list_json:
        linux = {p["id"]: p["version"] for p in load(linux_list_json).get("plugins", [])}
        if linux != found:
            fail(f"the Windows and Linux builds list different plugins:\n  windows {found}\n  linux   {linux}")
    print(f"ok: the Windows build lists all {len(expected)} plugins: {', '.join(sorted(found))}")


def normalizer(paths):
    # Longest first, so a folder inside another one is replaced before its parent.
    pairs = []
    for token, unix, windows in paths:
        pairs.append((unix.rstrip("/"), token))
        pairs.append((windows.rstrip("\\"), token))
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    token_path = re.compile(r"(<[A-Z_]+>)((?:[\\/][^\\/\s\"',;:)]*)*)")

    def norm_string(s):
        for text, token in pairs:
            s = s.replace(text, token)
        # Separators after a token are / whatever the OS wrote.
        return token_path.sub(lambda m: m.group(1) + m.group(2).replace("\\", "/"), s)

    def norm(value, key=None):
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if k in VOLATILE_KEYS:
                    continue
                if key == "profile" and k == "chain":
                    continue  # the profile files' paths
                out[k] = norm(v, k)
            return out
        if isinstance(value, list):
            return [norm(v, key) for v in value]
        if isinstance(value, str):
            return norm_string(value)
        return value

    return norm


def compare(linux_report, windows_report, paths):
    norm = normalizer(paths)
    linux = norm(load(linux_report))
    windows = norm(load(windows_report))
    if linux == windows:
        steps = linux.get("steps", [])
        findings = sum(len(s.get("findings", [])) for s in steps)
        print(f"ok: same report from both builds ({len(steps)} steps, {findings} findings)")
        return
    import difflib

    a = json.dumps(linux, indent=2, sort_keys=True).splitlines()
    b = json.dumps(windows, indent=2, sort_keys=True).splitlines()
    diff = "\n".join(difflib.unified_diff(a, b, "linux", "windows", lineterm="", n=2))
    fail("the Linux and Windows reports differ:\n" + diff)


def main(argv):
    if len(argv) >= 4 and argv[1] == "list":
        check_list(argv[2], argv[3], argv[4] if len(argv) > 4 else None)
        return
    if len(argv) >= 4 and argv[1] == "compare":
        rest = argv[4:]
        paths = []
        while rest:
            if rest[0] != "--path" or len(rest) < 4:
                fail("usage: compare LINUX WINDOWS [--path TOKEN UNIX WINDOWS]...")
            paths.append((rest[1], rest[2], rest[3]))
            rest = rest[4:]
        compare(argv[2], argv[3], paths)
        return
    print(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
