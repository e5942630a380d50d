#!/usr/bin/env python3
"""Prints the goal table from bench/run.sh's results.jsonl: each goal, its target, the measured figure, met or not."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]


def find(goal, label, command=None):
    for r in rows:
        if r.get("goal") == goal and r.get("label") == label and (command is None or command in r.get("command", "")):
            return r
    return None


def ms(v):
    return "n/a" if v is None else (f"{v:,.0f} ms" if v >= 10 else f"{v:.1f} ms")


table = []


def add(goal, what, target, figure, met):
    table.append((goal, what, target, figure, "n/a" if met is None else ("met" if met else "NOT met")))


floor = find("G2", "build-1000", "--version")
b1 = next((r for r in rows if r.get("label") == "build-1000" and "intent.yaml" in r["command"] and "--no-verify" not in r["command"]), None)
b1n = find("G2", "build-1000", "--no-verify")
b10 = [r for r in rows if r.get("label") == "build-10000"]
b10v = next((r for r in b10 if "--no-verify" not in r["command"]), None)
b10n = next((r for r in b10 if "--no-verify" in r["command"]), None)
if b1:
    add("G2", "npgen build, 1,000-app intent, with verification (R2R, whole process)", "<= 150 ms", ms(b1["medianMs"]), b1["medianMs"] <= 150)
if b1n:
    add("G2", "  same without verification (--no-verify)", "(reference)", ms(b1n["medianMs"]), None)
if floor:
    add("G2", "  baseline: npgen --version (process start-up floor)", "(baseline)", ms(floor["medianMs"]), None)
p1, p10 = find("G2", "plugin-1000"), find("G2", "plugin-10000")
if b1 and floor:
    ratio = b1["medianMs"] / floor["medianMs"]
    add("G2", "  1,000-app build with verification / npgen --version (issue 17)", "<= 3x", f"{ratio:.1f}x", ratio <= 3)
p_10 = find("G2", "plugin-10")
if p_10:
    add("G2", "Native AOT kustomize plugin, 10-app intent, build + verify (whole process)", "<= 8 ms", ms(p_10["medianMs"]), p_10["medianMs"] <= 8)
if p1:
    add("G2", "Native AOT kustomize plugin, 1,000-app intent, build + verify (whole process)", "<= 50 ms", ms(p1["medianMs"]), p1["medianMs"] <= 50)
if b10v:
    add("G2", "npgen build, 10,000-app intent, with verification", "<= 1 s", ms(b10v["medianMs"]), b10v["medianMs"] <= 1000)
if b10n:
    add("G2", "  same without verification", "(reference)", ms(b10n["medianMs"]), None)
if p10:
    add("G2", "  Native AOT plugin, 10,000-app intent", "(reference)", ms(p10["medianMs"]), None)

m = find("G4", "M")
if m:
    add("G4", f"full reachability, preset M ({m['endpoints']:,} pods, {m['identities']:,} identities, {m['portClasses']} port classes), after parsing, first run", "<= 250 ms", ms(m["afterParseMs"]), m["afterParseMs"] <= 250)
    add("G4", "  same, warm (median of 7 in-process runs)", "<= 250 ms", ms(m["warmMedianMs"]), m["warmMedianMs"] <= 250)
    add("G4", "  peak RSS of the process (parsing included)", "<= 150 MB", f"{m['peakRssMb']:.0f} MB", m["peakRssMb"] <= 150)
    add("G4", "  YAML parsing of the 12,500 objects (for reference)", "(reference)", ms(m["parseMs"]), None)
mj = find("G4", "matrix-M", "matrix")
mv = find("G4", "matrix-M", "validate")
if mj:
    add("G4", "npgen matrix -o json on preset M, whole process (R2R)", "< 2 s", ms(mj["medianMs"]), mj["medianMs"] < 2000)
if mv:
    add("G4", "  baseline: npgen validate (parse and check only)", "(baseline)", ms(mv["medianMs"]), None)
ms_ = find("G4", "matrix-M-stages")
if ms_:
    add("G4", "  full reachability after parsing in the shipped CLI (npgen matrix, R2R, its own stage timings, median of 7 processes)", "<= 250 ms", ms(ms_["afterParseMs"]), ms_["afterParseMs"] <= 250)
mr = find("G4", "matrix-M-rss")
if mr:
    add("G4", "  peak RSS of npgen matrix -o json (whole process, parsing included)", "<= 150 MB", f"{mr['peakRssMb']:.0f} MB", mr["peakRssMb"] <= 150)

l = find("G5", "L")
if l:
    add("G5", f"full reachability, preset L ({l['endpoints']:,} pods, {l['namespaces']:,} ns, {l['policies']:,} policies), after parsing", "<= 5 s", ms(l["afterParseMs"]), l["afterParseMs"] <= 5000)
    add("G5", "  peak RSS (parsing included)", "<= 1.5 GB", f"{l['peakRssMb']:.0f} MB", l["peakRssMb"] <= 1536)
    add("G5", "  YAML parsing of the 210,000 objects (for reference)", "(reference)", ms(l["parseMs"]), None)

r1, r4 = find("G6", "replicas-1"), find("G6", "replicas-4")
g6 = find("G6", "ratio")
if g6:
    add("G6", f"4x replicas, identities fixed ({g6['baselineEndpoints']:,} -> {g6['candidateEndpoints']:,} pods, {g6['baselineIdentities']:,} / {g6['candidateIdentities']:,} identities), one process, {g6['runs']} alternating runs", "<= 1.3x",
        f"{g6['ratio']:.2f}x ({ms(g6['baselineMedianMs'])} -> {ms(g6['candidateMedianMs'])})", g6["ratio"] <= 1.3)
if r1 and r4:
    ratio = r4["warmMedianMs"] / r1["warmMedianMs"]
    add("G6", "  same from separate processes (warm medians of 7)", "(reference)",
        f"{ratio:.2f}x ({ms(r1['warmMedianMs'])} -> {ms(r4['warmMedianMs'])})", None)
m2 = find("G7", "M2")
g7 = find("G7", "ratio")
if g7:
    add("G7", f"2x identities and policies ({g7['baselineIdentities']:,} -> {g7['candidateIdentities']:,} identities), one process, {g7['runs']} alternating runs", "<= 2.2x",
        f"{g7['ratio']:.2f}x ({ms(g7['baselineMedianMs'])} -> {ms(g7['candidateMedianMs'])})", g7["ratio"] <= 2.2)
if m and m2:
    ratio = m2["warmMedianMs"] / m["warmMedianMs"]
    add("G7", "  same from separate processes (warm medians of 7)", "(reference)",
        f"{ratio:.2f}x ({ms(m['warmMedianMs'])} -> {ms(m2['warmMedianMs'])})", None)
vf = find("INPUT", "validate-M", "--version")
vy = next((r for r in rows if r.get("label") == "validate-M" and "manifests" in r["command"]), None)
vj = next((r for r in rows if r.get("label") == "validate-M" and "M-list.json" in r["command"]), None)
if vy:
    add("INPUT", "npgen validate -f on preset M as YAML (12,500 objects, whole process)", "(reference)", ms(vy["medianMs"]), None)
if vj:
    add("INPUT", "  same objects as one JSON kind: List", "(reference)", ms(vj["medianMs"]), None)
if vf:
    add("INPUT", "  baseline: npgen --version (same run)", "(baseline)", ms(vf["medianMs"]), None)
for fmt in ("json", "yaml"):
    k = find("DUMP", f"dump-{fmt}")
    hf_ = find("DUMP", f"matrix-dump-{fmt}", "matrix")
    st = find("DUMP", f"matrix-dump-{fmt}-stages")
    if not (k or hf_ or st):
        continue
    size = f"{k['bytes'] / 1e6:,.0f} MB, {k['bytesPerPod']:,} bytes per pod" if k else "?"
    answer = "" if k is None else f"; answer: {k['answer']}"
    if st and not st["sameMatrixAsPlain"]:
        answer += "; npgen matrix output differs from the plain files'"
    if hf_:
        goal = "<= 1 s" if fmt == "json" else "(reference)"
        add("DUMP", f"npgen matrix -f on a 10,000-pod kubectl -o {fmt} dump ({size}), whole process (R2R){answer}", goal, ms(hf_["medianMs"]),
            hf_["medianMs"] <= 1000 if fmt == "json" else None)
    if st:
        if fmt == "json":
            add("DUMP", "  parsing rate (bytes / 'read manifests' stage, NPGEN_TIMINGS=1, median of 3 processes)", ">= 100 MB/s", f"{st['parseMBps']:,.0f} MB/s", st["parseMBps"] >= 100)
        elif k:
            share = st["parseMBps"] / k["rawMBps"]
            add("DUMP", f"  parsing rate vs the raw parser on the same bytes ({k['rawParser']}: {k['rawMBps']:,.0f} MB/s)", ">= 80 %",
                f"{st['parseMBps']:,.0f} MB/s ({100 * share:.0f} %)", share >= 0.8)
        add("DUMP", "  peak RSS of the process", f"<= 2x input ({2 * st['inputMb']:,.0f} MB)", f"{st['peakRssMb']:,.0f} MB", st["peakRssMb"] <= 2 * st["inputMb"])
    if k:
        add("DUMP", f"  in process: npgen's reader {k['readMBps']:,.0f} MB/s, the raw parser {k['rawMBps']:,.0f} MB/s (medians of {k['runs']})", "(reference)",
            f"{100 * k['readShareOfRaw']:.0f} % of raw", None)

o = find("G8", "oracle-M")
if o:
    checked = o.get("checkedCells", o["cells"])
    scope = f"{checked:,} of {o['cells']:,} cells checked" if checked < o["cells"] else f"{o['cells']:,} cells"
    naive = f"naive {ms(o['naiveMs'])}" + (" extrapolated from the rows it ran" if o.get("naiveExtrapolated") else "")
    add("G8", f"vs the naive evaluator at {o['endpoints']:,} pods ({scope}; {o['differences']:,} differences)", ">= 100x, identical",
        f"{o['speedup']:,.0f}x ({naive}, fast {ms(o['fastMs'])})", o["speedup"] >= 100 and o["differences"] == 0)
for label in ("SingleQuery", "MatrixQuery"):
    q = find("G9", label)
    if q:
        add("G9", f"one query after the build ({'PolicyEvaluator.IsAllowed' if label == 'SingleQuery' else 'ReachabilityMatrix.Get'})", "<= 1 us",
            f"{q['medianNs']:.0f} ns", q["medianNs"] <= 1000)

widths = [max(len(str(r[i])) for r in table + [("Goal", "What", "Target", "Measured", "Result")]) for i in range(5)]
header = ("Goal", "What", "Target", "Measured", "Result")
print("| " + " | ".join(h.ljust(widths[i]) for i, h in enumerate(header)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in table:
    print("| " + " | ".join(str(c).ljust(widths[i]) for i, c in enumerate(r)) + " |")
