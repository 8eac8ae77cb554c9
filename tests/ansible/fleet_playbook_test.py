#!/usr/bin/env python3
"""The Ansible collection (ansible/) on a fleet of 22 lab hosts, with Debian's ansible.

Usage: fleet_playbook_test.py SMHARDEN SOURCE_DIR TEST_PLUGIN_DIR

Every inventory host uses ansible_connection=local and has its own lab (`smharden lab init`) and
state folder. host21 has a broken lab (an IDS rules file that is not JSON): its sm-ids step is an
error. host22's profile adds a step whose apply does not converge: its apply fails with the step
and the finding. A service password comes from an Ansible Vault file and must reach smharden on
stdin (the lab user's password hash proves it arrived) and never appear in Ansible's output.

1. --check on fresh labs: every host would change, nothing changes, host21 fails, fleet report.
2. apply: every host changes, host21 and host22 fail naming the step (and finding).
3. five labs drift; --check: only those would change.
4. apply: only those change; the fleet report counts them as applied.
"""
import hashlib
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

HOSTS = [f"host{i:02d}" for i in range(1, 23)]
BROKEN, FAILING = "host21", "host22"
DRIFTING = ["host03", "host07", "host11", "host15", "host19"]
SKIP = ["sm-version", "sm-admin", "sm-relay"]  # findings only the operator can fix
SECRET = "Vault-Secret-7731x"
ANSIBLE_BIN = "/usr/bin"  # Debian's ansible, whatever python3 comes first on PATH


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def check(cond, message):
    if not cond:
        fail(message)


def lab_hashes(root):
    out = {}
    for host in HOSTS:
        for dirpath, _, files in os.walk(os.path.join(root, "labs", host)):
            for name in files:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as f:
                    out[path] = hashlib.sha256(f.read()).hexdigest()
    return out


def make_fleet(smharden, source, root):
    # The baseline with its dynamic IP limits sized for the fleet (five clients per address fit them), so that
    # every step the fleet runs is automated and a good host's apply ends with exit 0.
    fleet_profile = os.path.join(root, "fleet.json")
    with open(fleet_profile, "w", encoding="utf-8") as f:
        json.dump({"name": "fleet", "extends": os.path.join(source, "profiles", "baseline.json"),
                   "steps": {"iis-ip": {"params": {"dynamic": {"sized_for": {"clients_per_address": 5}}}}}}, f)
    failing_profile = os.path.join(root, "failing.json")
    with open(failing_profile, "w", encoding="utf-8") as f:
        json.dump({"name": "failing", "extends": fleet_profile,
                   "steps": {"tp-alpha": {"params": {"static": True, "compliant": False, "apply_noop": True}}}}, f)
    hosts = {}
    for host in HOSTS:
        lab = os.path.join(root, "labs", host)
        state = os.path.join(root, "state", host)
        subprocess.run([smharden, "lab", "init", lab], check=True, capture_output=True,
                       env=dict(os.environ, SMHARDEN_STATE_DIR=state))
        hosts[host] = {"ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3",
                       "smharden_target": "lab:" + lab, "smharden_environment": {"SMHARDEN_STATE_DIR": state}}
    with open(os.path.join(root, "labs", BROKEN, "smartermail", "ids-rules.json"), "w") as f:
        f.write('{"rules": [')
    hosts[FAILING]["smharden_profile"] = failing_profile
    hosts[FAILING]["smharden_environment"]["SMHARDEN_PLUGIN_PATH"] = os.path.abspath(sys.argv[3])
    inventory = os.path.join(root, "inventory.yml")
    with open(inventory, "w", encoding="utf-8") as f:
        group_vars = {"smharden_profile": fleet_profile}
        json.dump({"smartermail": {"hosts": hosts, "vars": group_vars}}, f, indent=1)  # JSON is YAML
    return inventory


def make_vault(root):
    password_file = os.path.join(root, "vault-password")
    with open(password_file, "w") as f:
        f.write("fleet-test-vault-password\n")
    secrets = os.path.join(root, "secrets.yml")
    with open(secrets, "w") as f:
        f.write(f"smharden_secrets:\n  service_password: {SECRET}\n")
    subprocess.run([ANSIBLE_BIN + "/ansible-vault", "encrypt", "--vault-password-file", password_file, secrets],
                   check=True, capture_output=True, env=ansible_env(root))
    with open(secrets) as f:
        check(f.read().startswith("$ANSIBLE_VAULT;"), "the secrets file is not vault-encrypted")
    return secrets, password_file


def ansible_env(root):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PYTHON"))}
    env.update({
        "PATH": "/usr/bin:/bin",
        "HOME": os.path.join(root, "home"),
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(root, "collections"),
        "ANSIBLE_LOCAL_TEMP": os.path.join(root, "ansible-local"),
        "ANSIBLE_REMOTE_TMP": os.path.join(root, "ansible-remote"),
        "ANSIBLE_STDOUT_CALLBACK": "json",
        "ANSIBLE_FORKS": "8",
        "ANSIBLE_PIPELINING": "true",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing written into the source tree
    })
    return env


def play(root, inventory, secrets, password_file, smharden, source, check_mode, reports):
    cmd = [ANSIBLE_BIN + "/ansible-playbook", "-i", inventory, "smharden.hardening.harden",
           "--vault-password-file", password_file, "-e", "@" + secrets,
           "-e", json.dumps({"smharden_binary": smharden, "smharden_controller_binary": smharden,
                             "smharden_skip": SKIP, "smharden_report_dir": reports})]
    if check_mode:
        cmd.append("--check")
    run = subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(root))
    check(SECRET not in run.stdout and SECRET not in run.stderr, "the vault secret appears in Ansible's output")
    try:
        out = json.loads(run.stdout)
    except ValueError:
        fail(f"ansible-playbook (rc {run.returncode}) printed no JSON:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    results = {}
    for p in out["plays"]:
        for t in p["tasks"]:
            if t["task"]["name"] == "Run smharden":
                results = t["hosts"]
    check(sorted(results) == HOSTS, f"results for {sorted(results)}")
    return run.returncode, results, out["stats"]


class HostRows(html.parser.HTMLParser):
    """The rows of the fleet page's hosts table: (host, status) in page order."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "host" in (a.get("class") or "").split():
            self.rows.append((a.get("data-host"), a.get("data-status")))


def read_fleet(reports):
    """The fleet report; its HTML page, written next to it, has a row per host with the same status."""
    with open(os.path.join(reports, "fleet-report.json"), encoding="utf-8") as f:
        fleet = json.load(f)
    page = os.path.join(reports, "fleet-report.html")
    check(os.path.exists(page), "the fleet_report role wrote no fleet-report.html")
    rows = HostRows()
    with open(page, encoding="utf-8") as f:
        rows.feed(f.read())
    expected = [(h["host"], h["status"]) for h in fleet["hosts"]]
    check(len(rows.rows) == len(HOSTS) and rows.rows == expected,
          f"fleet-report.html host rows {rows.rows}, fleet-report.json hosts {expected}")
    return fleet


def check_failures(results, mode):
    broken = results[BROKEN]
    check(broken.get("failed") is True, f"{BROKEN} did not fail: {broken.get('msg')}")
    check(broken["failed_step"] == "sm-ids" and "step sm-ids error" in broken["msg"] and "ids-rules.json" in broken["msg"],
          f"{BROKEN}: {broken.get('msg')}")
    check(broken["report"]["mode"] == mode, f"{BROKEN} ran {broken['report']['mode']}")
    if mode == "apply":
        failing = results[FAILING]
        check(failing.get("failed") is True, f"{FAILING} did not fail: {failing.get('msg')}")
        check(failing["failed_step"] == "tp-alpha" and failing["failed_finding"] == "static-drift",
              f"{FAILING}: {failing.get('failed_steps')}")
        check("step tp-alpha failed: finding static-drift: the static test setting is off" in failing["msg"],
              f"{FAILING}: {failing['msg']}")
        check(failing["changed"] is False, f"{FAILING} was rolled back but reports a change")


def main():
    smharden, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    root = tempfile.mkdtemp(prefix="smharden-ansible-")
    try:
        os.makedirs(os.path.join(root, "collections", "ansible_collections", "smharden"))
        os.symlink(os.path.join(source, "ansible"),
                   os.path.join(root, "collections", "ansible_collections", "smharden", "hardening"))
        inventory = make_fleet(smharden, source, root)
        secrets, password_file = make_vault(root)
        good = [h for h in HOSTS if h not in (BROKEN, FAILING)]

        # 1. Check mode on fresh labs: smharden check, nothing changes, every host would change.
        before = lab_hashes(root)
        reports = os.path.join(root, "reports-1")
        rc, results, _ = play(root, inventory, secrets, password_file, smharden, source, True, reports)
        check(rc == 2, f"check mode: ansible-playbook exited {rc}, expected 2 (a host failed)")
        check(lab_hashes(root) == before, "check mode changed a lab")
        for h in good + [FAILING]:
            r = results[h]
            check(not r.get("failed") and r["mode"] == "check" and r["report"]["mode"] == "check",
                  f"{h}: { {k: v for k, v in r.items() if k != 'report'} }")
            check(r["changed"] is True and r["drift"] is True and r["rc"] == 3, f"{h}: changed {r['changed']}")
            check(os.path.exists(os.path.join(reports, h + ".json")), f"{h}: no report file")
        check_failures(results, "check")
        fleet = read_fleet(reports)
        check(fleet["kind"] == "fleet" and len(fleet["hosts"]) == 22, "check: fleet report hosts")
        check(fleet["summary"]["hosts_by_status"]["drift"] == 21 and fleet["summary"]["hosts_by_status"]["error"] == 1,
              f"check: {fleet['summary']['hosts_by_status']}")

        # 2. Apply: every good host changes; the vault secret arrived on stdin.
        reports = os.path.join(root, "reports-2")
        rc, results, stats = play(root, inventory, secrets, password_file, smharden, source, False, reports)
        check(rc == 2, f"apply: ansible-playbook exited {rc}")
        for h in good:
            r = results[h]
            check(not r.get("failed") and r["changed"] is True and r["rc"] == 0, f"{h}: {r.get('msg')}")
            check(all(s["status"] in ("applied", "skipped") for s in r["report"]["steps"]), f"{h}: not all applied")
            check("--secret-stdin" in r["cmd"] and "service_password" in r["cmd"], f"{h}: {r['cmd']}")
        check_failures(results, "apply")
        check(stats[BROKEN]["failures"] == 1 and stats[FAILING]["failures"] == 1, f"stats: {stats}")
        with open(os.path.join(root, "labs", "host01", "windows", "state.json")) as f:
            stored = json.load(f)["users"]["smartermail-svc"]["password"]
        check(stored["sha256"] == hashlib.sha256((stored["salt"] + ":" + SECRET).encode()).hexdigest(),
              "the service user's password is not the vault secret")
        fleet = read_fleet(reports)
        check(fleet["summary"]["hosts_by_status"]["applied"] == 20, f"apply: {fleet['summary']['hosts_by_status']}")
        statuses = {h["host"]: h["status"] for h in fleet["hosts"]}
        check(statuses[BROKEN] == "error" and statuses[FAILING] == "failed", f"apply: {statuses}")

        # 3. Five labs drift (the service logs on as LocalSystem again); check mode finds only them.
        for h in DRIFTING:
            path = os.path.join(root, "labs", h, "windows", "state.json")
            with open(path) as f:
                state = json.load(f)
            state["services"]["SmarterMail"]["account"] = "LocalSystem"
            with open(path, "w") as f:
                json.dump(state, f, indent=1)
        reports = os.path.join(root, "reports-3")
        rc, results, _ = play(root, inventory, secrets, password_file, smharden, source, True, reports)
        for h in good:
            check(results[h]["changed"] is (h in DRIFTING), f"check after drift: {h} changed {results[h]['changed']}")
        fleet = read_fleet(reports)
        check(fleet["summary"]["hosts_by_status"]["compliant"] == 15, f"drift: {fleet['summary']['hosts_by_status']}")
        service = next(s for s in fleet["summary"]["by_step"] if s["id"] == "service")
        check(sorted(service["hosts"]["drift"]) == sorted(DRIFTING + [BROKEN, FAILING]), f"drift: {service['hosts']}")

        # 4. Apply again: only the drifting hosts change.
        reports = os.path.join(root, "reports-4")
        rc, results, _ = play(root, inventory, secrets, password_file, smharden, source, False, reports)
        for h in good:
            r = results[h]
            check(not r.get("failed") and r["changed"] is (h in DRIFTING), f"apply after drift: {h}: {r.get('msg')}")
        fleet = read_fleet(reports)
        check(fleet["summary"]["hosts_by_status"]["applied"] == 5 and
              fleet["summary"]["hosts_by_status"]["compliant"] == 15, f"re-apply: {fleet['summary']['hosts_by_status']}")
        print("ok: 22 hosts, check mode and apply, drift, two failing hosts, fleet reports")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
