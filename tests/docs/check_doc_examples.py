#!/usr/bin/env python3
"""Every JSON example in docs/ and profiles/ is checked against what smharden accepts.

- profiles/*.json and every ```json block of docs/ that is a profile (or a profile fragment:
  "steps", "health", "waivers", "management_cidrs") is validated against
  profiles/schema/profile.schema.json and each step's params against the plugin manifest's
  params_schema (python3-jsonschema), and then by `smharden validate` itself (extends, vars,
  waivers, the plugins' schemas), next to copies of profiles/ so that "extends" resolves.
- every waiver that names a finding names one a plugin can report: an exact finding id, or one
  that starts with a prefix a plugin builds ids from ("blacklist:" + list name).
- a ```json block that is not a profile must be one of the other documented kinds (a plugin
  manifest, a plugin lock file, a target file) or an excerpt marked with "..." / "…".

Usage: check_doc_examples.py SOURCE_DIR SMHARDEN_BINARY
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema

FRAGMENT_KEYS = {"steps", "health", "waivers", "management_cidrs", "access"}


def manifests(source):
    out = {}
    for m in sorted((source / "plugins").glob("*/manifest.json")):
        doc = json.loads(m.read_text())
        out[doc["id"]] = doc
    return out


def finding_ids(source):
    """(exact ids, id prefixes) the plugins build their findings from, read from their source."""
    exact, prefixes = set(), set()
    pattern = re.compile(r'(?:\bf\.id\s*=\s*|make_finding\(\s*|finding_id\(\s*)"([^"]+)"\s*(\+)?')
    for src in sorted((source / "plugins").glob("*/*.cpp")):
        for text, plus in pattern.findall(src.read_text()):
            (prefixes if plus else exact).add(text)
    return exact, prefixes


def json_blocks(md):
    text = md.read_text()
    for m in re.finditer(r"```json\n(.*?)```", text, re.S):
        line = text[: m.start()].count("\n") + 1
        yield line, m.group(1)


def as_profile(block):
    """The block as a profile document, or None when it is not a profile or a fragment of one."""
    for candidate in (block, "{" + block + "}"):
        try:
            doc = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if not isinstance(doc, dict):
            return None
        if "steps" in doc and "name" in doc:
            return doc
        if doc and set(doc) <= FRAGMENT_KEYS:
            return {"name": "doc-example", "extends": "baseline.json", **doc}
        return None
    return None


def other_kind(block):
    try:
        doc = json.loads(block)
    except json.JSONDecodeError:
        return "excerpt" if ("..." in block or "…" in block) else None
    if isinstance(doc, dict):
        if "params_schema" in doc and "id" in doc:
            return "plugin manifest"
        if str(doc.get("format", "")).startswith("smharden-plugin-lock/"):
            return "plugin lock file"
        if "kind" in doc:
            return "target file"
    return None


def main():
    source = pathlib.Path(sys.argv[1])
    binary = sys.argv[2]
    plugins = manifests(source)
    exact, prefixes = finding_ids(source)
    profile_schema = json.loads((source / "profiles/schema/profile.schema.json").read_text())
    problems = []
    checked = 0

    examples = []  # (where, profile document, file name for validate)
    for p in sorted((source / "profiles").glob("*.json")):
        examples.append((str(p.relative_to(source)), json.loads(p.read_text()), p.name))
    for md in sorted((source / "docs").rglob("*.md")):
        for line, block in json_blocks(md):
            where = f"{md.relative_to(source)}:{line}"
            doc = as_profile(block)
            if doc is not None:
                examples.append((where, doc, None))
            elif other_kind(block) is None:
                problems.append(f"{where}: a JSON example that is neither a profile nor a documented kind "
                                "(manifest, lock file, target file) nor an excerpt with '...'")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for p in (source / "profiles").glob("*.json"):
            shutil.copy(p, tmp / p.name)
        shutil.copytree(source / "profiles/schema", tmp / "schema")
        for n, (where, doc, name) in enumerate(examples):
            checked += 1
            try:
                jsonschema.validate({k: v for k, v in doc.items() if k != "$schema"}, profile_schema)
            except jsonschema.ValidationError as e:
                problems.append(f"{where}: not a valid profile: {e.message} at /{'/'.join(map(str, e.path))}")
            for step, cfg in doc.get("steps", {}).items():
                if step not in plugins:
                    problems.append(f"{where}: step {step!r} is no plugin (known: {', '.join(sorted(plugins))})")
                    continue
                if "params" in cfg and "extends" not in doc:  # a leaf's params merge over its base's
                    try:
                        jsonschema.validate(cfg["params"], plugins[step]["params_schema"])
                    except jsonschema.ValidationError as e:
                        problems.append(f"{where}: steps.{step}.params: {e.message}")
            for w in doc.get("waivers", []):
                finding = w.get("finding")
                if finding is None:
                    continue
                if finding not in exact and not any(finding.startswith(p) for p in prefixes):
                    problems.append(f"{where}: waiver for {w.get('step')}/{finding}: no plugin reports a finding "
                                    "with that id, so the waiver would never match")
            file = tmp / (name or f"doc-example-{n}.json")
            if name is None:
                file.write_text(json.dumps(doc))
            run = subprocess.run([binary, "validate", str(file)], capture_output=True, text=True)
            if run.returncode != 0:
                problems.append(f"{where}: `smharden validate` refuses it: {run.stderr.strip() or run.stdout.strip()}")

    for p in problems:
        print(p)
    print(f"{checked} profile examples checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
