#!/usr/bin/env python3
"""ansible-lint (Debian's) finds nothing in the collection.

Usage: lint_collection.py COLLECTION_DIR

Lints a copy under a temporary ansible_collections/smharden/hardening (ansible-lint writes a
.cache folder into what it lints), offline (no Galaxy), with the production profile.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    source = os.path.abspath(sys.argv[1])
    root = tempfile.mkdtemp(prefix="smharden-ansible-lint-")
    try:
        copy = os.path.join(root, "ansible_collections", "smharden", "hardening")
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PYTHON"))}
        # Debian installs ansible.windows and community.windows beside ansible's python package.
        env.update({"PATH": "/usr/bin:/bin", "HOME": os.path.join(root, "home"), "NO_COLOR": "1",
                    "ANSIBLE_COLLECTIONS_PATH": root + ":/usr/lib/python3/dist-packages"})
        run = subprocess.run(["/usr/bin/ansible-lint", "--offline", "--nocolor", "--profile", "production"],
                             cwd=copy, env=env, capture_output=True, text=True)
        print(run.stdout + run.stderr)
        if run.returncode != 0:
            print(f"FAIL: ansible-lint exited {run.returncode}")
            return 1
        if "Unable to load module" in run.stdout + run.stderr:
            print("FAIL: ansible-lint could not load a module the collection uses")
            return 1
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
