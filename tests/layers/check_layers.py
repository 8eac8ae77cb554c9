#!/usr/bin/env python3
"""Fails when a source file under core/ includes a header of a layer it does not link.

Reads the layer table that core/CMakeLists.txt writes (one line per layer:
target|exposed paths|layers it links|its sources, paths relative to core/) and
checks every .cpp/.hpp under core/ (core/common, the library shared with the
plugins, may include no layer), including the Windows-only files a Linux
build never compiles: each file may include only headers of its own layer and
of the layers that layer links, directly or through others.
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def load_layers(table):
    layers = {}
    for line in open(table, encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        target, expose, depends, sources = (line.split("|") + ["", "", ""])[:4]
        layers[target] = {
            "expose": [e for e in expose.split(",") if e],
            "depends": [d for d in depends.split(",") if d],
            "sources": {s for s in sources.split(",") if s},
        }
    return layers


def reachable(layers, target):
    seen, todo = set(), [target]
    while todo:
        t = todo.pop()
        if t in seen or t not in layers:
            continue
        seen.add(t)
        todo.extend(layers[t]["depends"])
    return seen


def owner_of(layers, rel):
    for target, layer in layers.items():
        if rel in layer["sources"]:
            return target
    best, best_len = None, -1
    stem = os.path.splitext(rel)[0]
    for target, layer in layers.items():
        for e in layer["expose"]:
            if rel == e or rel.startswith(e + "/") or os.path.splitext(e)[0] == stem:
                if len(e) > best_len:
                    best, best_len = target, len(e)
    return best


def exposer_of(layers, header):
    best, best_len = None, -1
    for target, layer in layers.items():
        for e in layer["expose"]:
            if (header == e or header.startswith(e + "/")) and len(e) > best_len:
                best, best_len = target, len(e)
    return best


def check_plugins(plugins, problems):
    """A plugin includes the SDK and shared libraries as <...>, and with quotes only files of its own folder."""
    checked = 0
    for folder in sorted(os.listdir(plugins)):
        root = os.path.join(plugins, folder)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            if not name.endswith((".cpp", ".hpp", ".h")):
                continue
            checked += 1
            text = open(os.path.join(root, name), encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                header = m.group(1)
                if header == "smharden_manifest.hpp":
                    continue  # generated from manifest.json by smharden_add_plugin()
                if "/" in header or not os.path.exists(os.path.join(root, header)):
                    line = text.count("\n", 0, m.start()) + 1
                    problems.append(f"plugins/{folder}/{name}:{line}: #include \"{header}\" is not a file of the "
                                    "plugin's own folder (link a library target and include it as <...>)")
    return checked


def main():
    table, core = sys.argv[1], sys.argv[2]
    layers = load_layers(table)
    problems = []
    checked = 0
    for root, _, files in os.walk(core):
        for name in sorted(files):
            if not name.endswith((".cpp", ".hpp", ".h")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, core).replace(os.sep, "/")
            if rel == "main.cpp":
                continue  # the executable: links the cli layer, which reaches every other
            # core/common is the pure library shared with the plugins: it may include no layer at all.
            owner = "smharden_common" if rel.startswith("common/") else owner_of(layers, rel)
            if owner is None:
                problems.append(f"core/{rel}: belongs to no layer (add it to a smharden_layer() in core/)")
                continue
            allowed = reachable(layers, owner) if owner in layers else {owner}
            checked += 1
            text = open(path, encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                header = m.group(1)
                line = text.count("\n", 0, m.start()) + 1
                if header.startswith("../") or "/../" in header:
                    problems.append(f"core/{rel}:{line}: #include \"{header}\" climbs out of the layer's view")
                    continue
                exposer = exposer_of(layers, header)
                if exposer is not None and exposer not in allowed:
                    problems.append(
                        f"core/{rel}:{line}: #include \"{header}\" reaches {exposer}, which {owner} does not link "
                        f"(it may include: {', '.join(sorted(allowed))})")
    if len(sys.argv) > 3:
        checked += check_plugins(sys.argv[3], problems)
    for p in problems:
        print(p)
    print(f"check_layers: {checked} files, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
