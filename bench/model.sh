#!/usr/bin/env bash
# Times `vouch model sign` against model_signing (sigstore/model-transparency, PyPI
# model-signing) signing the same model with the same elliptic key, and against sha256sum and
# `openssl dgst -sha256` over the same files on both cores; writes bench/results/model.md.
# GNU sha256sum has no SHA-NI code path, so openssl (SHA-NI) marks what the CPU can do.
#
# Both signers run with their defaults: `files` serialisation (one SHA-256 per file, no
# sharding), every file hashed, the signature written outside the model. The model (default
# 4 GiB: three 1 GiB files and 1024 files of 1 MiB, random bytes) is generated once under
# MODEL_DIR (default /tmp/vouch-bench-model) and stays in the page cache, so this measures
# hashing, not the disk. model_signing is installed into PEERS (default
# /tmp/vouch-bench-peers); VOUCH_BIN overrides the vouch binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
peers=${PEERS:-/tmp/vouch-bench-peers}
model=${MODEL_DIR:-/tmp/vouch-bench-model}
large_files=${LARGE_FILES:-3}
large_mib=${LARGE_MIB:-1024}
small_files=${SMALL_FILES:-1024}
small_mib=${SMALL_MIB:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
need openssl openssl
[[ -x /usr/bin/time ]] || need /usr/bin/time time

if [[ ! -x $peers/model-signing/bin/model_signing ]]; then
  python3 -m venv "$peers/model-signing"
  # model-signing's metadata omits pyopenssl, which its certificate verifier imports.
  "$peers/model-signing/bin/pip" install --quiet model-signing pyopenssl
fi
model_signing=$peers/model-signing/bin/model_signing

if [[ -n ${VOUCH_BIN:-} ]]; then
  vouch=$VOUCH_BIN
else
  cargo build --release --quiet -p vouch
  vouch=$root/target/release/vouch
fi

# Generate the model once; a marker records its shape so a changed shape regenerates it.
shape="$large_files x ${large_mib} MiB + $small_files x ${small_mib} MiB"
if [[ ! -f $model.shape || $(cat "$model.shape") != "$shape" ]]; then
  rm -rf "$model" "$model.shape"
  mkdir -p "$model/shards"
  for ((i = 0; i < large_files; i++)); do
    head -c "$((large_mib * 1024 * 1024))" /dev/urandom >"$model/model-$i.safetensors"
  done
  for ((i = 0; i < small_files; i++)); do
    head -c "$((small_mib * 1024 * 1024))" /dev/urandom >"$model/shards/part-$i.bin"
  done
  echo "$shape" >"$model.shape"
fi
total_bytes=$(du -sb "$model" | cut -f1)
file_count=$(find "$model" -type f | wc -l)

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/key.pem" 2>/dev/null

vouch_version=$("$vouch" --version | awk '{print $2}')
model_signing_version=$("$model_signing" --version | awk '{print $NF}')
sha256sum_version=$(sha256sum --version | head -n 1 | awk '{print $NF}')
openssl_version=$(openssl version | awk '{print $2}')
hyperfine_version=$(hyperfine --version | awk '{print $2}')
# Other work on the machine skews every command alike; record how busy it was.
load_average=$(cut -d ' ' -f 1-3 /proc/loadavg)

cmd_vouch="$vouch model sign $model --key $work/key.pem --signature $work/vouch.sig"
cmd_reference="$model_signing sign key $model --private_key $work/key.pem --signature $work/reference.sig"
# The baselines hash on both cores through two processes, each over one half of the files,
# halves balanced by size (largest file first to the lighter half), as a signer's scheduler
# would at best. xargs splits a list only when it exceeds the command-line limit.
find "$model" -type f -printf '%s\t%p\n' | sort -rn | awk -F '\t' -v first="$work/half-0" -v second="$work/half-1" \
  '{ if (size0 <= size1) { print $2 >first; size0 += $1 } else { print $2 >second; size1 += $1 } }'
on_both_cores() {
  echo "xargs -d '\n' $1 <$work/half-0 >/dev/null & xargs -d '\n' $1 <$work/half-1 >/dev/null; wait"
}
cmd_sha256sum=$(on_both_cores sha256sum)
cmd_openssl=$(on_both_cores "openssl dgst -sha256")

# CPU time of one run each: user time is hashing, system time is copying out of the page cache.
cpu_time() { /usr/bin/time -f '%U %S' -o "$work/cpu-$1" bash -c "$2" >/dev/null 2>&1; cat "$work/cpu-$1"; }
cpu_vouch=$(cpu_time vouch "$cmd_vouch")
cpu_reference=$(cpu_time reference "$cmd_reference")
cpu_sha256sum=$(cpu_time sha256sum "$cmd_sha256sum")
cpu_openssl=$(cpu_time openssl "$cmd_openssl")

hyperfine --warmup 1 --min-runs 5 --export-json "$work/times.json" \
  -n vouch "$cmd_vouch" -n model_signing "$cmd_reference" \
  -n "sha256sum -P2" "$cmd_sha256sum" -n "openssl dgst -P2" "$cmd_openssl"

python3 - "$work/times.json" "$root/bench/results/model.md" <<PY
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
median = {name: r["median"] for name, r in results.items()}
cpu = {
    "vouch": "$cpu_vouch", "model_signing": "$cpu_reference",
    "sha256sum -P2": "$cpu_sha256sum", "openssl dgst -P2": "$cpu_openssl",
}
gib = $total_bytes / 2**30
def row(name, version):
    user, system = (float(value) for value in cpu[name].split())
    return (f"| {name} {version} | {median[name]:.2f} | {gib / median[name]:.2f} "
            f"| {user:.2f} + {system:.2f} |")
vouch = median["vouch"]
lines = [
    "# Model signing: hashing throughput",
    "",
    "Generated by \`bench/model.sh\`: signing one model of $file_count files "
    f"({gib:.2f} GiB: $shape, random bytes, in the page cache) with an ECDSA P-256 key, "
    "on 2 cores. Both signers use their defaults: \`files\` serialisation, one SHA-256 per "
    "file, no sharding. \`sha256sum -P2\` is GNU sha256sum over the same files in two "
    "processes at once, each over half of the files (halves balanced by size), and "
    "\`openssl dgst -P2\` the same with OpenSSL, "
    "whose SHA-256 uses the CPU's SHA extensions (GNU sha256sum here does not): the most SHA-256 "
    "these two cores do. hyperfine $hyperfine_version, 1 warm-up, median of at least 5 runs; "
    "CPU time from one more run under GNU time.",
    "",
    "| command | seconds | GiB/s | CPU seconds (user + system) |",
    "|---|---|---|---|",
    row("vouch", "$vouch_version"),
    row("model_signing", "$model_signing_version"),
    row("sha256sum -P2", "$sha256sum_version"),
    row("openssl dgst -P2", "$openssl_version"),
    "",
    f"- vouch is **{median['model_signing'] / vouch:.1f}x** as fast as model_signing (target: at least 3x).",
    f"- vouch hashes at **{100 * median['sha256sum -P2'] / vouch:.0f}%** of sha256sum's speed (target: at least 90%).",
    f"- vouch hashes at **{100 * median['openssl dgst -P2'] / vouch:.0f}%** of openssl's speed, the CPU's limit.",
    "- Load average (1, 5, 15 min) when the run started: $load_average.",
]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
