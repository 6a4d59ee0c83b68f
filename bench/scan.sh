#!/usr/bin/env bash
# Times the advisory side of vouch and writes bench/results/scan.md:
#   1. `vouch db import` of every staged advisory set against merely parsing the same files;
#   2. `vouch scan` of the largest big-lockfile SBOMs against merely reading those SBOMs;
#   3. `vouch scan` against cargo-audit on the big Cargo.lock files, both offline on the staged
#      RustSec database, with the advisories each reports and their difference.
# Targets: 1 and 2 within 2× of their parse-only baseline; in 3 the same advisories, ≥5× faster.
#
# The parse-only baselines are vouch's examples parse_advisories and read_sbom, which call the
# same loading code as import and scan, on the same allocator. cargo-audit is installed
# from crates.io into a throwaway prefix (PEERS, default /tmp/vouch-bench-peers) when absent.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${VOUCH_TEST_DATA:-$root/../shared/data}
peers=${PEERS:-/tmp/vouch-bench-peers}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
}
cargo_audit=$peers/cargo-audit/bin/cargo-audit
[[ -x $cargo_audit ]] || cargo install --locked --quiet --root "$peers/cargo-audit" cargo-audit

cargo build --release --quiet -p vouch
cargo build --release --quiet -p vouch --example parse_advisories --example read_sbom
vouch=$root/target/release/vouch
parse_advisories=$root/target/release/examples/parse_advisories
read_sbom=$root/target/release/examples/read_sbom

load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)

# Every staged advisory set. The RustSec checkout is read for its TOML advisories only (crates/,
# rust/); its official OSV export beside them is a second set with the same ids.
advisories=()
for set in rustsec-advisory-db rustsec-advisory-db/osv golang-vulndb/osv \
  pypa-advisory-database/vulns github-advisory-database-sample \
  drupal-advisory-database/advisories r-advisory-database/vulns; do
  advisories+=("$data/$set")
done

# 1. Import against parse. Each import starts from an empty store, like a first `db import`.
hyperfine --warmup 1 --min-runs 10 --prepare "rm -rf $work/import-db" \
  --export-json "$work/import.json" \
  -n "vouch db import" "$vouch --quiet db import --db $work/import-db ${advisories[*]}" \
  -n "parse only" "$parse_advisories ${advisories[*]}"
"$parse_advisories" "${advisories[@]}" > "$work/parse-count.txt"

# 2. Scan against read, with a store holding every staged advisory.
"$vouch" --quiet db import --db "$work/db" "${advisories[@]}" > /dev/null
mkdir "$work/sboms"
for project in "$data"/big-lockfiles/*/; do
  name=$(basename "$project")
  "$vouch" --quiet sbom "$project" -o "$work/sboms/$name.cdx.json"
done
# The three largest SBOMs by size.
mapfile -t sboms < <(ls -S "$work"/sboms/*.cdx.json | head -n 3)
for sbom in "${sboms[@]}"; do
  name=$(basename "$sbom" .cdx.json)
  cmd_scan="$vouch --quiet scan $sbom --db $work/db --offline --format json"
  hyperfine --warmup 1 --min-runs 10 --export-json "$work/scan-$name.json" \
    -n "vouch scan" "$cmd_scan" -n "read only" "$read_sbom $sbom"
  $cmd_scan > "$work/report-$name.json"
done

# 3. vouch against cargo-audit: the same TOML advisories for both, from a writable copy so that
# nothing either tool does can touch the shared data. Yanked crates need the crates.io index,
# which neither has offline, so cargo-audit does not look for them. Beside the big lockfiles,
# the largest of cargo-audit's own test lockfiles.
cp -r --no-preserve=mode "$data/rustsec-advisory-db" "$work/advisory-db"
# cargo-audit reads the advisories on every run; vouch reads them once, into its store.
hyperfine --warmup 1 --min-runs 10 --prepare "rm -rf $work/rustsec-db" \
  --export-json "$work/rustsec-import.json" \
  -n "vouch db import" "$vouch --quiet db import --db $work/rustsec-db $work/advisory-db"
mapfile -t lockfiles < <(
  find "$data/big-lockfiles" -name Cargo.lock | sort
  echo "$data/rustsec-crate-fixtures/cargo-audit/tests/support/branch-regression/Cargo.lock"
)
for lockfile in "${lockfiles[@]}"; do
  name=$(basename "$(dirname "$lockfile")")
  cmd_vouch="$vouch --quiet scan $lockfile --db $work/rustsec-db --offline --format json"
  cmd_audit="$cargo_audit audit --no-fetch --no-yanked --db $work/advisory-db --file $lockfile --json"
  # cargo-audit exits 1 when it finds vulnerabilities; the report step checks every exit code.
  hyperfine --warmup 3 --min-runs 20 --ignore-failure --export-json "$work/audit-$name.json" \
    -n "vouch scan" "$cmd_vouch" -n "cargo audit" "$cmd_audit"
  $cmd_vouch > "$work/ids-vouch-$name.json"
  $cmd_audit > "$work/ids-audit-$name.json" || [[ $? == 1 ]]
done

load_after=$(cut -d ' ' -f 1-3 /proc/loadavg)

python3 - "$work" "$root/bench/results/scan.md" <<PY
import json, sys, pathlib
work, out = pathlib.Path(sys.argv[1]), sys.argv[2]
versions = {
    "vouch": "$("$vouch" --version | awk '{print $2}')",
    "cargo-audit": "$("$cargo_audit" audit --version | awk '{print $2}')",
    "hyperfine": "$(hyperfine --version | awk '{print $2}')",
}

def timings(path):
    """Median and spread per command. cargo-audit exits 1 when it finds vulnerabilities; any
    other failed run voids the measurement."""
    results = {}
    for result in json.loads(path.read_text())["results"]:
        codes = set(result["exit_codes"])
        if not codes <= ({0, 1} if result["command"] == "cargo audit" else {0}):
            sys.exit(f"{path.name}: {result['command']} exited with {sorted(codes)}")
        results[result["command"]] = result
    return results

def row(label, measured, baseline, target):
    ratio = measured["median"] / baseline["median"]
    return (f"| {label} | {measured['median'] * 1000:.0f} ms | {measured['mean'] * 1000:.0f} ± "
            f"{measured['stddev'] * 1000:.0f} ms | {baseline['median'] * 1000:.0f} ms | "
            f"{ratio:.2f}× | {target} | {'yes' if ratio <= 2 else 'no'} |")

lines = [
    "# vouch db import and vouch scan: against parsing, and against cargo-audit", "",
    "Written by \`bench/scan.sh\`. hyperfine {hyperfine}, medians quoted; vouch {vouch}, cargo-audit {cargo}.".format(
        hyperfine=versions["hyperfine"], vouch=versions["vouch"], cargo=versions["cargo-audit"]),
    "Machine: 2 cores, shared. Load average (1, 5, 15 min) before: $load_before; after: $load_after.", "",
    "## Import against parse", "",
    "Every staged advisory set: the RustSec checkout (TOML) and its OSV export, golang/vulndb,",
    "PyPA, the GitHub sample, Drupal and the R database. *Parse only* is the \`parse_advisories\`",
    "example: the same \`load_path\` that import calls, without building or writing the store.",
    "Each import starts from an empty store. Parse: " + (work / "parse-count.txt").read_text().strip() + ".", "",
    "| command | median | mean ± σ | parse-only median | ratio | target | met |",
    "|---|---|---|---|---|---|---|",
]
imports = timings(work / "import.json")
lines.append(row("vouch db import", imports["vouch db import"], imports["parse only"], "≤ 2×"))

lines += ["", "## Scan against read", "",
          "The three largest CycloneDX SBOMs \`vouch sbom\` writes for the big-lockfile projects,",
          "scanned against a store of every staged advisory. *Read only* is the \`read_sbom\`",
          "example: \`vouch_formats::read\` of the same file, which scan does first.", "",
          "| SBOM | scan median | mean ± σ | read-only median | ratio | target | met |",
          "|---|---|---|---|---|---|---|"]
scanned = sorted(path.stem.removeprefix("scan-") for path in work.glob("scan-*.json"))
for name in scanned:
    scans = timings(work / f"scan-{name}.json")
    lines.append(row(name, scans["vouch scan"], scans["read only"], "≤ 2×"))
lines += ["", "What each scan found (its report's summary):", "",
          "| SBOM | components | looked up | findings | vulnerable packages | warnings |",
          "|---|---|---|---|---|---|"]
for name in scanned:
    summary = json.loads((work / f"report-{name}.json").read_text())["summary"]
    lines.append(f"| {name} | {summary['components']} | {summary['scanned']} | {summary['findings']} | "
                 f"{summary['vulnerable_packages']} | {summary['warnings']} |")

def audit_ids(report):
    """(kind, advisory, package, version) of every advisory cargo-audit reports."""
    found = {("vulnerability", v["advisory"]["id"], v["package"]["name"], v["package"]["version"])
             for v in report["vulnerabilities"]["list"]}
    for kind, warnings in report["warnings"].items():
        found |= {(kind, w["advisory"]["id"], w["package"]["name"], w["package"]["version"])
                  for w in warnings if w.get("advisory")}
    return found

def vouch_ids(report):
    """The same for vouch: every store record a finding merged, and each warning's record."""
    found = {("vulnerability", record["id"], f["package"], f["version"])
             for f in report["findings"] for record in f["records"]}
    found |= {(w["kind"], w["record"]["id"], w["package"], w["version"]) for w in report["warnings"]}
    return found

lines += ["", "## vouch scan against cargo-audit", "",
          "Each big Cargo.lock, and the largest of cargo-audit's own test lockfiles",
          "(branch-regression), scanned offline by both against the staged RustSec advisory-db",
          "(TOML advisories; vouch after \`vouch db import\` of the same checkout). cargo-audit runs",
          "with \`--no-fetch --no-yanked --json\`: yanked crates need the crates.io index, which neither",
          "tool has offline. vouch runs \`scan LOCKFILE --offline --format json\`.",
          "cargo-audit reads the advisories on every run; vouch reads them once per database update:",
          "\`vouch db import\` of this checkout takes {:.0f} ms (median), once.".format(
              timings(work / "rustsec-import.json")["vouch db import"]["median"] * 1000), "",
          "| Cargo.lock | vouch median | mean ± σ | cargo-audit median | vouch is faster by | target | met |",
          "|---|---|---|---|---|---|---|"]
comparisons = []
for path in sorted(work.glob("audit-*.json")):
    name = path.stem.removeprefix("audit-")
    runs = timings(path)
    mine, theirs = runs["vouch scan"], runs["cargo audit"]
    speedup = theirs["median"] / mine["median"]
    lines.append(f"| {name} | {mine['median'] * 1000:.1f} ms | {mine['mean'] * 1000:.1f} ± "
                 f"{mine['stddev'] * 1000:.1f} ms | {theirs['median'] * 1000:.1f} ms | "
                 f"{speedup:.1f}× | ≥ 5× | {'yes' if speedup >= 5 else 'no'} |")
    comparisons.append((name, vouch_ids(json.loads((work / f"ids-vouch-{name}.json").read_text())),
                        audit_ids(json.loads((work / f"ids-audit-{name}.json").read_text()))))

for name, mine, theirs in comparisons:
    lines += ["", f"### Advisories reported for {name}/Cargo.lock", "",
              f"{len(theirs)} from cargo-audit, {len(mine)} from vouch; "
              + ("the same set." if mine == theirs else "they differ (below)."), "",
              "| kind | advisory | package | version | vouch | cargo-audit |", "|---|---|---|---|---|---|"]
    for kind, advisory, package, version in sorted(mine | theirs):
        entry = (kind, advisory, package, version)
        lines.append(f"| {kind} | {advisory} | {package} | {version} | "
                     f"{'yes' if entry in mine else '**no**'} | {'yes' if entry in theirs else '**no**'} |")

pathlib.Path(out).write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY
