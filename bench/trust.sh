#!/usr/bin/env bash
# Times offline Sigstore bundle verification: `vouch sigstore verify-bundle` against
# sigstore-python (`sigstore verify identity --offline`) on the same bundles, one process per
# bundle and in a batch; writes bench/results/trust.md.
#
# The bundles are the accepting identity cases of the shared test data: every
# sigstore-conformance case that is not `_fail` and not managed-key (against its own trusted
# root, or the production root), and the sigstore-python assets signed on staging. sigstore-python
# takes a custom root as a client trust configuration, built here from its test asset
# config.v1.json. Each bundle is checked once with both tools before timing; a bundle either tool
# rejects is left out and named in the results.
# sigstore-python is installed into PEERS (default /tmp/vouch-bench-peers); VOUCH_BIN overrides
# the vouch binary; REPEAT (default 4) is how many times the batch goes over the bundles.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${VOUCH_TEST_DATA:-$root/../shared/data}
peers=${PEERS:-/tmp/vouch-bench-peers}
repeat=${REPEAT:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine

if [[ ! -x $peers/sigstore-python/bin/sigstore ]]; then
  python3 -m venv "$peers/sigstore-python"
  "$peers/sigstore-python/bin/pip" install --quiet sigstore
fi
sigstore=$peers/sigstore-python/bin/sigstore

if [[ -n ${VOUCH_BIN:-} ]]; then
  vouch=$VOUCH_BIN
else
  cargo build --release --quiet -p vouch
  vouch=$root/target/release/vouch
fi

beacon=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
actions=https://token.actions.githubusercontent.com
github=https://github.com/login/oauth
conformance=$data/sigstore-conformance/bundle-verify
assets=$data/sigstore-python-assets
staging_root=$data/sigstore-trust-roots/staging/trusted_root.json

# One case a line: name | vouch's root option | sigstore-python's instance option | bundle |
# artifact | identity | issuer.
cases=()
for directory in "$conformance"/*/; do
  name=$(basename "$directory")
  [[ $name == *_fail || -f $directory/key.pub ]] && continue
  artifact=$conformance/a.txt
  [[ -f $directory/artifact ]] && artifact=$directory/artifact
  identity=$beacon
  [[ -f $directory/identity ]] && identity=$(<"$directory/identity")
  issuer=$actions
  [[ -f $directory/issuer ]] && issuer=$(<"$directory/issuer")
  vouch_root="" python_instance=""
  if [[ -f $directory/trusted_root.json ]]; then
    vouch_root="--trusted-root $directory/trusted_root.json"
    python3 - "$assets/trust_config/config.v1.json" "$directory/trusted_root.json" "$work/$name.trust-config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["trustedRoot"] = json.load(open(sys.argv[2]))
json.dump(config, open(sys.argv[3], "w"))
PY
    python_instance="--trust-config $work/$name.trust-config.json"
  fi
  cases+=("conformance $name|$vouch_root|$python_instance|${directory}bundle.sigstore.json|$artifact|$identity|$issuer")
done
# The staging assets and the identities sigstore-python's own tests verify them with.
for asset in "bundle.txt|bundle.txt.sigstore|a@tny.town" \
  "bundle_v3.txt|bundle_v3.txt.sigstore|william@yossarian.net" \
  "integration/bundle_v3.txt|integration/bundle_v3.txt.sigstore|william@yossarian.net" \
  "staging-rekor-v2.txt|staging-rekor-v2.txt.sigstore.json|jku@goto.fi"; do
  IFS='|' read -r artifact bundle identity <<<"$asset"
  cases+=("python $artifact|--trusted-root $staging_root|--staging|$assets/$bundle|$assets/$artifact|$identity|$github")
done

# The two command lines for one case, in `vouch_command` and `python_command`.
commands_for() {
  local vouch_root python_instance bundle artifact identity issuer
  IFS='|' read -r _ vouch_root python_instance bundle artifact identity issuer <<<"$1"
  vouch_command="$vouch sigstore verify-bundle --quiet --bundle $bundle --certificate-identity $identity --certificate-oidc-issuer $issuer $vouch_root $artifact"
  python_command="$sigstore $python_instance verify identity --offline --bundle $bundle --cert-identity $identity --cert-oidc-issuer $issuer $artifact"
}

# Only bundles both tools accept are timed, or the comparison is not like for like.
: >"$work/vouch-once.sh"
: >"$work/python-once.sh"
: >"$work/left-out.txt"
accepted=()
for case in "${cases[@]}"; do
  commands_for "$case"
  rejected_by=()
  $vouch_command >/dev/null 2>&1 || rejected_by+=(vouch)
  $python_command >/dev/null 2>&1 || rejected_by+=(sigstore-python)
  if ((${#rejected_by[@]} > 0)); then
    echo "${case%%|*}|${rejected_by[*]}" >>"$work/left-out.txt"
    continue
  fi
  accepted+=("$case")
  echo "$vouch_command >/dev/null" >>"$work/vouch-once.sh"
  echo "$python_command >/dev/null 2>&1" >>"$work/python-once.sh"
done
for ((i = 0; i < repeat; i++)); do
  cat "$work/vouch-once.sh" >>"$work/vouch-batch.sh"
  cat "$work/python-once.sh" >>"$work/python-batch.sh"
done
batch_size=$(wc -l <"$work/vouch-batch.sh")

vouch_version=$("$vouch" --version | awk '{print $2}')
sigstore_version=$("$sigstore" --version | awk '{print $NF}')
hyperfine_version=$(hyperfine --version | awk '{print $2}')
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
# Other work on the machine skews every command alike; record how busy it was.
load_average=$(cut -d ' ' -f 1-3 /proc/loadavg)

index=0
for case in "${accepted[@]}"; do
  commands_for "$case"
  # No intermediate shell (-N): vouch takes a few milliseconds, too close to a shell's start-up.
  hyperfine -N --warmup 1 --min-runs 3 --style none --export-json "$work/case-$index.json" \
    -n vouch "$vouch_command" -n sigstore-python "$python_command" >/dev/null
  index=$((index + 1))
done
hyperfine --warmup 1 --runs 3 --style none --export-json "$work/batch.json" \
  -n vouch "bash $work/vouch-batch.sh" -n sigstore-python "bash $work/python-batch.sh" >/dev/null

printf '%s\n' "${accepted[@]}" | cut -d '|' -f 1 >"$work/names.txt"
python3 - "$work" "$root/bench/results/trust.md" <<PY
import json, statistics, sys
work, output = sys.argv[1], sys.argv[2]
names = open(f"{work}/names.txt").read().splitlines()
left_out = [line.split("|") for line in open(f"{work}/left-out.txt").read().splitlines()]
def medians(path):
    return {r["command"]: r["median"] for r in json.load(open(path))["results"]}
rows, ratios = [], []
for index, name in enumerate(names):
    times = medians(f"{work}/case-{index}.json")
    ratio = times["sigstore-python"] / times["vouch"]
    ratios.append(ratio)
    rows.append(f"| {name} | {1000 * times['vouch']:.1f} | {1000 * times['sigstore-python']:.0f} | {ratio:.0f}x |")
batch = medians(f"{work}/batch.json")
size = $batch_size
per_second = {tool: size / seconds for tool, seconds in batch.items()}
lines = [
    "# Sigstore bundle verification",
    "",
    "Generated by \`bench/trust.sh\`: offline verification of the same bundles by "
    "\`vouch sigstore verify-bundle\` (vouch $vouch_version) and by sigstore-python $sigstore_version "
    "(\`sigstore [--staging] verify identity --offline\`), each with the certificate identity and "
    "OIDC issuer the bundle was issued to, and the same trusted root: the production root both "
    "embed, the staging root (\`--staging\`; vouch reads sigstore-python's copy from "
    "sigstore-trust-roots), or the case's own \`trusted_root.json\` (for sigstore-python, in a "
    "client trust configuration). The bundles are every accepting identity case of the "
    "sigstore-conformance suite and the sigstore-python assets signed on staging, less any that "
    "either tool rejects (listed below). "
    f"hyperfine $hyperfine_version, 1 warm-up, median of at least 3 runs; $cpu, 2 cores.",
    "",
    "## One process per bundle",
    "",
    "| bundle | vouch (ms) | sigstore-python (ms) | vouch speed-up |",
    "|---|---|---|---|",
    *rows,
    "",
    f"- Geometric mean speed-up: **{statistics.geometric_mean(ratios):.0f}x** "
    f"(range {min(ratios):.0f}x to {max(ratios):.0f}x; target: at least 50x).",
    *[f"- Left out: {name}, rejected by {tools}." for name, tools in left_out],
    "",
    "## Batch",
    "",
    f"One shell script running {size} verifications one after the other (the bundles above, "
    f"{size // len(names)} times over), so process start-up counts as it does for a user "
    "verifying many files. vouch has no multi-bundle mode; sigstore-python has one only without "
    "\`--bundle\`.",
    "",
    "| tool | seconds | bundles per second |",
    "|---|---|---|",
    f"| vouch | {batch['vouch']:.2f} | {per_second['vouch']:.0f} |",
    f"| sigstore-python | {batch['sigstore-python']:.2f} | {per_second['sigstore-python']:.1f} |",
    "",
    f"- vouch verifies **{per_second['vouch'] / per_second['sigstore-python']:.0f}x** as many "
    "bundles per second.",
    "- Load average (1, 5, 15 min) when the run started: $load_average.",
]
open(output, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
