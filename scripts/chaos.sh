#!/usr/bin/env bash
# Chaos campaign (docs/failures.md): N trials of a shrunken demo pipeline, each killed with SIGKILL or SIGTERM at a
# uniformly random moment of the whole pipeline (any child job, between jobs, inside report writing), then restarted
# until it completes. A trial is identical when its final params sha256, every checkpoint's (step, stream position,
# params sha256) — the stream accounting: no record lost or trained twice — the skipped-image count and every probe
# accuracy equal an uninterrupted run's. Prints the tally; exits 0 only when every trial is identical.
#
#   scripts/chaos.sh N [DIR] [SEED] [extra key=value overrides ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
trials="${1:?usage: scripts/chaos.sh N [DIR] [SEED] [overrides ...]}"; shift
root="${1:-$(mktemp -d /tmp/contssl-chaos-XXXXXX)}"; shift || true
seed="${1:-1}"; shift || true
mkdir -p "$root"
run="$here/run.sh"
overrides=(data.num_files=1024 model.buff_siz=128 optim.batch_size=32 model.num_updates=2
  data.probe_train_size=200 data.probe_test_size=100 data.ood_probe_train_size=100 data.ood_probe_test_size=100
  eval.progress=0.5,1.0 lincls.imnet.optim.epochs=2 environment.threads=1 "$@")
"$run" build >/dev/null

# what a finished workdir must agree on, as one line per fact
facts() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/reports/results.json"))
print("final", r["final_params_sha256"])
for c in r["checkpoints"]:
    print("checkpoint", c["name"], c["step"], c["images_seen"], c["sha256"])
print("skipped", r.get("skipped_images_total"))
for p in r["probes"]:
    print("probe", p["encoder"], p.get("checkpoint"), p["dataset"], p["method"], p["top1"], p["top5"])
PY
}

# the child job the kill hit, from the job repository (its "<job> exec <id> <STATUS> ..." lines): the last one not
# COMPLETED; "startup" before the first
stage() {
  # status fails (exit 6) when the kill came before the job database existed: that is "startup", not an error
  { "$run" status --workdir "$1" 2>/dev/null || true; } | awk '$2 == "exec" && $1 != "pipeline" { n++; if ($4 != "COMPLETED") s = $1 }
    END { print (s != "" ? s : n == 0 ? "startup" : "between-jobs") }'
}

ref="$root/uninterrupted"
if [ ! -f "$ref/reports/results.json" ]; then
  rm -rf "$ref"
  t0=$(date +%s.%N)
  "$run" run --workdir "$ref" "${overrides[@]}" > "$root/uninterrupted.log" 2>&1
  python3 -c "print($(date +%s.%N) - $t0)" > "$root/duration"
fi
facts "$ref" > "$root/expected.txt"
duration=$(cat "$root/duration")
echo "uninterrupted run: $(head -1 "$root/expected.txt") in ${duration%.*} s"

identical=0; failed=0; declare -A hits
for i in $(seq 1 "$trials"); do
  read -r signal delay < <(python3 -c "import random; r = random.Random($seed * 100003 + $i);
print(r.choice(['KILL', 'TERM']), round(r.uniform(0, $duration), 3))")
  wd="$root/trial$i"; rm -rf "$wd"
  "$run" run --workdir "$wd" "${overrides[@]}" > "$root/trial$i.log" 2>&1 &
  pid=$!
  sleep "$delay"
  where="completed-first"
  if kill -0 "$pid" 2>/dev/null; then
    kill -s "$signal" "$pid" 2>/dev/null || true
    code=0; { wait "$pid"; } 2>/dev/null || code=$?   # braces: no "Killed" notice from the shell
    where="$(stage "$wd")"
  else
    code=0; wait "$pid" || code=$?
    # it finished before the signal: later delays are drawn over the shorter time (the machine got faster)
    duration=$(python3 -c "print(min($duration, $delay))")
  fi
  hits["$where"]=$(( ${hits["$where"]:-0} + 1 ))
  attempts=0; rc=1
  while [ "$attempts" -lt 5 ]; do
    attempts=$((attempts + 1))
    rc=0; "$run" restart --workdir "$wd" >> "$root/trial$i.log" 2>&1 || rc=$?
    if [ "$rc" = 2 ]; then
      # killed before the pipeline was recorded: nothing to restart, so the run is simply started again
      rc=0; "$run" run --workdir "$wd" "${overrides[@]}" >> "$root/trial$i.log" 2>&1 || rc=$?
    fi
    if [ "$rc" = 0 ] || [ "$rc" = 4 ]; then break; fi
  done
  if [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
    failed=$((failed + 1)); echo "trial $i: SIG$signal at ${delay}s ($where, exit $code): restart failed (exit $rc)"
  elif diff -q <(facts "$wd") "$root/expected.txt" >/dev/null; then
    identical=$((identical + 1)); echo "trial $i: SIG$signal at ${delay}s ($where, exit $code): identical"
  else
    failed=$((failed + 1)); echo "trial $i: SIG$signal at ${delay}s ($where, exit $code): DIFFERENT"
    diff <(facts "$wd") "$root/expected.txt" | head -5 || true
  fi
done
stages=""; for k in "${!hits[@]}"; do stages="$stages $k=${hits[$k]}"; done
echo "chaos: trials $trials, stages hit:$stages, identical $identical, failed $failed"
[ "$identical" = "$trials" ]
