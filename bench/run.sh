#!/usr/bin/env bash
# Whole-process benchmarks of npgen, each with its baseline in the same run, and a table of the
# performance goals (docs: performance goals; issue 6). Inputs come from `npgen bench gen`, so
# every run measures the same bytes.
#
#   bench/run.sh            every goal, preset L included (about 15 minutes, 2 GB of memory)
#   bench/run.sh --no-l     without preset L
#   bench/run.sh --smoke    CI: preset S only; checks the results (identities, port classes, digest,
#                           oracle agreement, kubectl-style dumps read as the plain files) and runs
#                           each BenchmarkDotNet kernel once; no timings
#
# NPGEN_BENCH_DIR=DIR keeps the workloads and raw results there (default: a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=full
case "${1:-}" in
  --smoke) mode=smoke ;;
  --no-l) mode=nol ;;
  "") ;;
  *) echo "usage: bench/run.sh [--smoke|--no-l]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NPGEN_PROGRESS=never
out=${NPGEN_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
log() { echo "bench: $*" >&2; }

log "publishing npgen (ReadyToRun) and building the benchmarks (Release) into $out"
dotnet publish src/PolicyGen.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/npgen" -v q -nologo >/dev/null
dotnet build tests/PolicyGen.Benchmarks -c Release -v q -nologo >/dev/null
npgen="$out/npgen/npgen"
plugin="$out/xdg/bin/npgen-plugin"
bench=(dotnet tests/PolicyGen.Benchmarks/bin/Release/net10.0/PolicyGen.Benchmarks.dll)

gen() { # name preset [--set k=v ...]
  local name=$1 preset=$2; shift 2
  [ -f "$out/$name/manifest.json" ] || "$npgen" bench gen --preset "$preset" --seed 1 -o "$out/$name" "$@" >&2
}
record() { # goal label command...: runs a RESULT-printing command and files its result under a goal
  local goal=$1 label=$2; shift 2
  "$@" | tee -a /dev/stderr | sed -n 's/^RESULT //p' | python3 -c "import json,sys; [print(json.dumps({'goal': '$goal', 'label': '$label', **json.loads(l)})) for l in sys.stdin]" >> "$results"
}
hf() { # goal label runs hyperfine-commands...
  local goal=$1 label=$2 runs=$3; shift 3
  hyperfine -N -w 2 -r "$runs" --export-json "$out/hf-$label.json" "$@" >&2
  python3 -c "import json; d=json.load(open('$out/hf-$label.json')); [print(json.dumps({'goal': '$goal', 'label': '$label', 'command': r['command'], 'medianMs': r['median']*1000, 'meanMs': r['mean']*1000, 'runs': len(r['times'])})) for r in d['results']]" >> "$results"
}

if [ "$mode" = smoke ]; then
  gen S S
  "$npgen" verify "$out/S/intent.yaml" >&2
  record smoke profile-S "${bench[@]}" profile "$out/S" --digest
  record smoke oracle-S "${bench[@]}" oracle "$out/S" --probes 4
  record smoke compare-S "${bench[@]}" compare "$out/S" "$out/S" --runs 1
  for f in json yaml; do
    gen "S-dump-$f" S --style kubectl --format "$f"
    record smoke "dump-S-$f" "${bench[@]}" dump "$out/S-dump-$f" --runs 1
    "$npgen" matrix -f "$out/S-dump-$f/manifests/cluster.$f" -o json > /dev/null
  done
  "$npgen" validate -f "$out/S/manifests" >&2
  NPGEN_BENCH_PRESET=S "${bench[@]}" --filter '*' --job Dry --inProcess --artifacts "$out/bdn" >&2
  log "smoke run passed (no timings are taken in smoke mode)"
  exit 0
fi

log "generating workloads"
gen S S
gen M M
gen apps-10 M --set apps=10 --digest never
gen apps-1000 M --set apps=1000 --digest never
gen apps-10000 M --set apps=10000 --set namespaces=1000 --digest never
for r in 1 2 4; do gen "replicas-$r" M --set "replicas=$r" --digest never; done
gen M2 M --set pods=20000 --set namespaces=1000 --set policies=4000 --digest never
[ "$mode" = nol ] || gen L L
# The same 10,000-pod cluster as M, as `kubectl get pods,ns,netpol,deploy,rs -A -o json` / `-o yaml` prints it.
gen dump-json M --style kubectl --format json
gen dump-yaml M --style kubectl --format yaml

log "G2: npgen build of generated intents (startup floor: npgen --version)"
# hyperfine fails on a non-zero exit, and npgen build exits 1 when its proof fails: every timed build is checked.
hf G2 build-1000 20 "$npgen --version" "$npgen build $out/apps-1000/intent.yaml --no-verify" "$npgen build $out/apps-1000/intent.yaml"
hf G2 build-10000 3 "$npgen build $out/apps-10000/intent.yaml --no-verify" "$npgen build $out/apps-10000/intent.yaml"
# Issue 17, a candidate publishing form (not the shipped one): the same framework-dependent ReadyToRun npgen, with
# crossgen2 also compiling framework generics instantiated over npgen's types (LINQ, Dictionary, ImmutableArray,
# SortedSet...) into npgen's own images (~850 -> ~500 methods JIT at start-up). The R2R step does not notice changed
# crossgen2 arguments, so its images are removed before and after. The answer is checked byte for byte first.
xgen_args='--opt-cross-module:*%3B--non-local-generics-module:*'
rm -rf src/PolicyGen.Cli/obj/Release/net10.0/linux-x64/R2R
dotnet publish src/PolicyGen.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true "-p:PublishReadyToRunCrossgen2ExtraArgs=$xgen_args" -o "$out/npgen-xgen" -v q -nologo >/dev/null
rm -rf src/PolicyGen.Cli/obj/Release/net10.0/linux-x64/R2R
cmp <("$npgen" build "$out/apps-1000/intent.yaml") <("$out/npgen-xgen/npgen" build "$out/apps-1000/intent.yaml")
hf G2 build-1000-xgen 20 "$npgen build $out/apps-1000/intent.yaml" "$out/npgen-xgen/npgen build $out/apps-1000/intent.yaml"
# The release archives' form (release/build-release.sh: self-contained single file) as it shipped until 2026-12-06,
# without ReadyToRun (all of npgen's own code JITs at start-up), against what it ships now, with ReadyToRun;
# answers checked byte for byte.
for form in release release-r2r; do
  r2r=false; [ "$form" = release-r2r ] && r2r=true
  rm -rf src/PolicyGen.Cli/obj/Release/net10.0/linux-x64/R2R
  dotnet publish src/PolicyGen.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:DebugType=none -p:GenerateDocumentationFile=false -p:PublishReadyToRun=$r2r -o "$out/npgen-$form" -v q -nologo >/dev/null
  cmp <("$npgen" build "$out/apps-1000/intent.yaml") <("$out/npgen-$form/npgen" build "$out/apps-1000/intent.yaml")
done
rm -rf src/PolicyGen.Cli/obj/Release/net10.0/linux-x64/R2R
hf G2 build-1000-release 20 "$out/npgen-release/npgen --version" "$out/npgen-release/npgen build $out/apps-1000/intent.yaml" \
  "$out/npgen-release-r2r/npgen --version" "$out/npgen-release-r2r/npgen build $out/apps-1000/intent.yaml"

log "G2: the Native AOT kustomize plugin on the same intents (exactly as kustomize runs it: one argument, the config root in the environment)"
bash kustomize-plugin/install.sh --prefix "$out/xdg" >&2
for n in 10 1000 10000; do
  printf 'apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntentGenerator\nmetadata: {name: bench}\nspec: {intent: apps-%s/intent.yaml}\n' "$n" > "$out/generator-$n.yaml"
done
export KUSTOMIZE_PLUGIN_CONFIG_ROOT="$out"
hf G2 plugin-10 30 "$plugin $out/generator-10.yaml"
# The plugin binary's own start-up floor (runtime init of an executable this size, usage text, exit 2): what no build can beat.
hf G2 plugin-floor 30 -i "$plugin --help"
hf G2 plugin-1000 20 "$plugin $out/generator-1000.yaml"
hf G2 plugin-10000 3 "$plugin $out/generator-10000.yaml"
unset KUSTOMIZE_PLUGIN_CONFIG_ROOT

log "G4 end to end: npgen matrix -o json on preset M (parse-only baseline: npgen validate)"
hf G4 matrix-M 10 "$npgen validate -f $out/M/manifests" "$npgen matrix -f $out/M/manifests -o json"
/usr/bin/time -f '%M' -o "$out/rss-matrix-M" "$npgen" matrix -f "$out/M/manifests" -o json > /dev/null
python3 -c "print('{\"goal\": \"G4\", \"label\": \"matrix-M-rss\", \"peakRssMb\": %.0f}' % (int(open('$out/rss-matrix-M').read().split()[-1]) / 1024))" >> "$results"

log "G4 in the shipped CLI: npgen matrix's own stage timings (NPGEN_TIMINGS=1), 7 fresh processes"
for i in 1 2 3 4 5 6 7; do NPGEN_TIMINGS=1 "$npgen" matrix -f "$out/M/manifests" -o json 2>&1 >/dev/null | grep '^npgen: ' ; echo '--'; done > "$out/timings-matrix-M"
python3 - "$out/timings-matrix-M" >> "$results" <<'PY'
import json, re, statistics, sys
runs, cur = [], {}
for line in open(sys.argv[1]):
    if line.startswith('--'):
        runs.append(cur); cur = {}
        continue
    m = re.match(r'npgen: (.+?)\s+([0-9.]+) ms', line.strip())
    if m:
        cur[m.group(1)] = float(m.group(2))
parsing = ('read manifests', 'check policies')
after = [sum(v for k, v in r.items() if k not in parsing) for r in runs]
read = [sum(v for k, v in r.items() if k in parsing) for r in runs]
print(json.dumps({'goal': 'G4', 'label': 'matrix-M-stages', 'afterParseMs': statistics.median(after), 'parseMs': statistics.median(read), 'runs': len(runs)}))
PY

log "INPUT: npgen validate -f on preset M as YAML files and as one JSON List (start-up floor: npgen --version)"
if python3 -c 'import yaml' 2>/dev/null; then
  [ -f "$out/M-list.json" ] || python3 - "$out/M/manifests" "$out/M-list.json" <<'PY'
import glob, json, sys, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
items = [d for f in sorted(glob.glob(sys.argv[1] + "/*.yaml")) for d in yaml.load_all(open(f), Loader=loader) if d]
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(sys.argv[2], "w"))
PY
  for input in "$out/M/manifests" "$out/M-list.json"; do # the answer: both read as M's 12,500 objects, no error
    "$npgen" validate -f "$input" 2>&1 | tail -1 >&2
  done
  hf INPUT validate-M 10 "$npgen --version" "$npgen validate -f $out/M/manifests" "$npgen validate -f $out/M-list.json"
else
  log "INPUT: skipped the JSON List row (python3 has no yaml module to write it)"
  hf INPUT validate-M 10 "$npgen --version" "$npgen validate -f $out/M/manifests"
fi

log "DUMP: npgen matrix -f on the 10,000-pod kubectl-style dumps (JSON and YAML)"
"$npgen" matrix -f "$out/M/manifests" -o json | sha256sum | cut -c1-64 > "$out/matrix-M.sha"
for f in json yaml; do
  dump="$out/dump-$f/manifests/cluster.$f"
  # The answer first: the digest of what npgen reads must be the plain output's (exit 1 otherwise),
  # next to the parser's raw rate on the same bytes.
  record DUMP "dump-$f" "${bench[@]}" dump "$out/dump-$f" --runs 3
  same=$("$npgen" matrix -f "$dump" -o json | sha256sum | cut -c1-64 | cmp -s - "$out/matrix-M.sha" && echo true || echo false)
  hf DUMP "matrix-dump-$f" 5 "$npgen --version" "$npgen matrix -f $dump -o json"
  /usr/bin/time -f '%M' -o "$out/rss-dump-$f" "$npgen" matrix -f "$dump" -o json > /dev/null
  for i in 1 2 3; do NPGEN_TIMINGS=1 "$npgen" matrix -f "$dump" -o json 2>&1 >/dev/null | grep '^npgen: ' ; echo '--'; done > "$out/timings-dump-$f"
  python3 - "$out/timings-dump-$f" "$out/rss-dump-$f" "$dump" "$f" "$same" >> "$results" <<'PY'
import json, os, re, statistics, sys
runs, cur = [], {}
for line in open(sys.argv[1]):
    if line.startswith('--'):
        runs.append(cur); cur = {}
        continue
    m = re.match(r'npgen: (.+?)\s+([0-9.]+) ms', line.strip())
    if m:
        cur[m.group(1)] = float(m.group(2))
parse = statistics.median(r.get('read manifests', float('nan')) for r in runs)
size = os.path.getsize(sys.argv[3])
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024
print(json.dumps({'goal': 'DUMP', 'label': 'matrix-dump-%s-stages' % sys.argv[4], 'parseMs': parse, 'inputMb': size / 1e6,
                  'parseMBps': size / 1e6 / (parse / 1000), 'peakRssMb': rss, 'sameMatrixAsPlain': sys.argv[5] == 'true', 'runs': len(runs)}))
PY
done

log "G4/G5/G6/G7: in-process, after parsing (first run and warm median), peak RSS"
record G4 M "${bench[@]}" profile "$out/M" --warm 7 --digest
for r in 1 2 4; do record G6 "replicas-$r" "${bench[@]}" profile "$out/replicas-$r" --warm 7; done
record G7 M2 "${bench[@]}" profile "$out/M2" --warm 7
log "G6/G7 ratios: both workloads in one process, 15 alternating runs each from a collected heap"
record G6 ratio "${bench[@]}" compare "$out/replicas-1" "$out/replicas-4" --runs 15
record G7 ratio "${bench[@]}" compare "$out/M" "$out/M2" --runs 15
[ "$mode" = nol ] || record G5 L "${bench[@]}" profile "$out/L" --warm 1

log "G9 and kernels: BenchmarkDotNet (short job)"
"${bench[@]}" --filter '*EvaluatorBenchmarks*' --job short --artifacts "$out/bdn" --exporters json >&2
for f in "$out"/bdn/results/*EvaluatorBenchmarks*-report-full-compressed.json; do
  python3 -c "
import json
d = json.load(open('$f'))
for b in d['Benchmarks']:
    print(json.dumps({'goal': 'G9', 'label': b['Method'], 'medianNs': b['Statistics']['Median'], 'allocatedBytes': b.get('Memory', {}).get('BytesAllocatedPerOperation')}))
" >> "$results"
done

# Every pair would keep the naive evaluator busy for about 40 minutes per port class; 500 source rows
# spread over the workload (every destination, 10 million cells) take two minutes, and its cost
# per row is flat, so the whole-matrix time is extrapolated from them (the result says so).
log "G8: the naive evaluator against the fast one on preset M (two port classes, 500 source rows; 2 minutes)"
record G8 oracle-M "${bench[@]}" oracle "$out/M" --probes 2 --rows 500

# Issue 17: reading manifests. The parsers' raw event rates (YamlDotNet, SharpYaml 3.17) next to npgen's
# pruned reader and the full-tree reader it replaced, in one process, kernels alternating round by round.
log "S17: manifest reading, preset M as one YAML stream (parsers' raw rates, pruned and full-tree readers)"
cat "$out"/M/manifests/*.yaml > "$out/M-manifests.yaml"
record S17 read-M-yaml "${bench[@]}" read "$out/M-manifests.yaml" --runs 5

python3 bench/table.py "$results"
log "raw results: $results"
