# Sourced by tests/wine/run-wine-tests: the supervised run of smharden.exe
# (CreateProcess, the job object, the pipes) under Wine.
#   (g) an apply whose worker is ended mid-apply, after its change: by the step
#       timeout (TerminateJobObject), by SIGKILL of the worker's process (a
#       crash), and by Ctrl-C twice (SIGINT to smharden.exe, which Wine turns
#       into a console control event): exit 4, the automatic rollback (or for
#       Ctrl-C, `rollback --last`) gives every lab file its sha256 back, no
#       temporary file is left and every journal is readable.
#   (h) the Event Log calls of the timeout run, as Wine prints them.
# Uses $exe, $stage, $work, $mingw_dir, $linux_exe, winpath from run-wine-tests.

worker_checks=$repo/tests/wine/worker_checks.py

# The unix pid of this prefix's smharden.exe worker ("" when there is none).
worker_unix_pid() {
  python3 - "$WINEPREFIX" <<'PY'
import os, sys
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read()
        env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    except OSError:
        continue
    if b"--internal-run-worker" in cmd and f"WINEPREFIX={sys.argv[1]}".encode() in env:
        print(pid)
        break
PY
}

# worker_run HOW: one apply of the misbehaving plugin, ended HOW (timeout, killed, interrupted).
worker_run() {
  local how=$1 dir=$work/worker-$1 plugins=$stage/test-plugins rc=0 pid polls=0 timeout=300
  local dll=$mingw_dir/tests/wine/plugins/smh-supervisor-misbehave.dll
  [ -f "$dll" ] || { echo "FAIL: $dll not built (tests/wine/windows-programs.cmake)"; return 1; }
  mkdir -p "$plugins" "$dir/state"
  chmod 0755 "$plugins"
  cp "$dll" "$plugins/"
  chmod 0644 "$plugins"/*.dll
  "$linux_exe" lab init "$dir/lab" >/dev/null
  python3 "$worker_checks" hashes "$dir/lab" "$dir/before.json"
  [ "$how" = timeout ] && timeout=3
  printf '{"name": "wine-worker", "steps": {"supervisor-misbehave": {"params": {"apply": "hang"}, "timeout_seconds": %s}}}\n' \
    "$timeout" >"$dir/profile.json"
  local debug=-all
  [ "$how" = timeout ] && debug=-all,fixme+advapi,+eventlog  # (h) reads the Event Log calls
  SMHARDEN_STATE_DIR=$(winpath "$dir/state") WINEDEBUG=$debug wine "$exe" --plugin-dir "$(winpath "$plugins")" \
    apply --yes --format json --profile "$(winpath "$dir/profile.json")" --target "lab:$(winpath "$dir/lab")" \
    >"$dir/report.json" 2>"$dir/stderr" &
  pid=$!
  if [ "$how" != timeout ]; then
    # After the change is journaled the plugin hangs: end the worker there.
    until grep -qs '"type":"mutation_done"' "$dir"/state/runs/*/journal.jsonl; do
      sleep 0.2
      polls=$((polls + 1))
      if [ "$polls" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "FAIL: the apply never made its change"
        cat "$dir/stderr"
        return 1
      fi
    done
    if [ "$how" = killed ]; then
      local worker
      worker=$(worker_unix_pid)
      [ -n "$worker" ] || { echo "FAIL: no worker process found"; kill -9 "$pid"; return 1; }
      echo "killing the worker (unix pid $worker) with SIGKILL"
      kill -9 "$worker"
    else
      echo "Ctrl-C (SIGINT) to smharden.exe (unix pid $pid), again until it ends"
      polls=0
      while kill -0 "$pid" 2>/dev/null && [ "$polls" -lt 40 ]; do
        kill -INT "$pid" 2>/dev/null || true
        sleep 0.5
        polls=$((polls + 1))
      done
      if kill -0 "$pid" 2>/dev/null; then
        echo "FAIL: smharden.exe did not end after $polls Ctrl-C (SIGINT); Wine did not deliver them"
        kill -9 "$pid"
        cat "$dir/stderr"
        return 1
      fi
    fi
  fi
  wait "$pid" || rc=$?
  echo "exit code $rc"
  [ "$rc" = 4 ] || { echo "FAIL: exit $rc, expected 4"; cat "$dir/stderr"; return 1; }
  python3 "$worker_checks" report "$dir/report.json" "$how" || { cat "$dir/stderr"; return 1; }
  if [ "$how" = interrupted ]; then
    # An interrupted run is never rolled back automatically: the operator does it.
    SMHARDEN_STATE_DIR=$(winpath "$dir/state") wine "$exe" --plugin-dir "$(winpath "$plugins")" rollback --last \
      >"$dir/rollback.out" 2>"$dir/rollback.err" || { echo "FAIL: rollback --last"; cat "$dir/rollback.err"; return 1; }
  fi
  python3 "$worker_checks" lab "$dir/lab" "$dir/before.json" || return 1
  python3 "$worker_checks" journals "$dir/state"
}

part_worker() {
  local ok=0
  for how in timeout killed interrupted; do
    echo "-- the worker ended by: $how"
    worker_run "$how" || ok=1
  done
  return "$ok"
}

part_eventlog() {
  [ -f "$work/worker-timeout/stderr" ] || { echo "FAIL: part (g) did not run"; return 1; }
  python3 "$worker_checks" eventlog "$work/worker-timeout/stderr"
}
