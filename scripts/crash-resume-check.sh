#!/usr/bin/env bash
# Kill pretraining with SIGKILL at five moments (buffer filling, right after a checkpoint, while a checkpoint is being
# written, between checkpoints, during the drain phase), restart after each, and compare the SHA-256 of the final
# checkpoint's parameters with an uninterrupted run of the same experiment. Exits 0 when they are identical.
#
#   scripts/crash-resume-check.sh [fifo|minred|reservoir] [DIR] [extra key=value overrides ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
policy="${1:-minred}"; shift || true
root="${1:-$(mktemp -d /tmp/contssl-crash-XXXXXX)}"; shift || true
mkdir -p "$root"
run="$here/run.sh"
overrides=(data.num_files=3000 data.probe_train_size=1000 data.probe_test_size=1000 data.ood_probe=false
  model.buffer_type="$policy" model.buff_siz=512 optim.batch_size=128 model.num_updates=4 eval.progress=1.0
  environment.threads=2 "$@")
sha() { grep -o '"params_sha256" : "[0-9a-f]*"' "$1/checkpoints/checkpoint_final/manifest.json" | cut -d'"' -f4; }

echo "uninterrupted run in $root/uninterrupted"
"$run" run --workdir "$root/uninterrupted" "${overrides[@]}" > "$root/uninterrupted.log" 2>&1
expected=$(sha "$root/uninterrupted")
echo "  final params sha256 $expected"

wd="$root/killed"
moments=("buffer filling:test -d $wd/buffer"
         "after checkpoint_0.1000:test -d $wd/checkpoints/checkpoint_0.1000"
         "while a checkpoint is written:ls -d $wd/checkpoints/.tmp-* >/dev/null 2>&1"
         "between checkpoints:test -d $wd/checkpoints/checkpoint_0.6000"
         "during the drain phase:test -d $wd/checkpoints/checkpoint_stream_end")
kills=0
for i in "${!moments[@]}"; do
  name="${moments[$i]%%:*}"; cond="${moments[$i]#*:}"
  if [ "$i" = 0 ]; then args=(run --workdir "$wd" "${overrides[@]}"); else args=(restart --workdir "$wd"); fi
  "$run" "${args[@]}" > "$root/kill$i.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && ! eval "$cond"; do sleep 0.002; done
  if kill -0 "$pid" 2>/dev/null; then
    pkill -9 -P "$pid" java 2>/dev/null || true; kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    kills=$((kills + 1)); echo "  SIGKILL $kills: $name"
  else
    wait "$pid" || true; echo "  (run ended before: $name)"
  fi
done
"$run" restart --workdir "$wd" > "$root/final.log" 2>&1
actual=$(sha "$wd")
echo "after $kills kills: final params sha256 $actual"
if [ "$actual" = "$expected" ]; then echo "IDENTICAL"; else echo "DIFFERENT"; exit 1; fi
