#!/usr/bin/env bash
# What the JIT compiles while a command runs, despite ReadyToRun (issue 17): counts by tier, then the methods
# grouped by what keeps them out of the precompiled images, with their IL bytes (Tier0 JIT time grows with IL).
#
#   bench/jit-inventory.sh [--list FILE] COMMAND [ARGS...]
#   e.g. bench/jit-inventory.sh DIR/npgen build /tmp/b/apps-1000/intent.yaml
#
# Uses the runtime's own JitStdOutFile/JitDisasmSummary switches (release runtimes, .NET 8 and later).
# --list FILE keeps the raw list (one line per compiled method, with its tier and IL size).
set -euo pipefail
list=$(mktemp)
if [ "${1:-}" = --list ]; then list=$2; shift 2; fi
[ $# -gt 0 ] || { echo "usage: bench/jit-inventory.sh [--list FILE] COMMAND [ARGS...]" >&2; exit 2; }
rm -f "$list"
DOTNET_JitStdOutFile="$list" DOTNET_JitDisasmSummary=1 "$@" > /dev/null
python3 - "$list" <<'PY'
import collections, re, sys
tiers, groups, il_by_group, generics = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
def group(line):
    if 'UInt128' in line or 'PolicyGen.Model.Cidr' in line:
        return 'UInt128 and types holding it (crossgen2 compiles no code that touches UInt128)'
    if re.search(r'JIT compiled PolicyGen', line):
        return "npgen's own methods (not precompiled)"
    if 'System.Linq' in line:
        return 'LINQ over value types'
    if 'KeyValuePair`2' in line or 'ValueTuple' in line:
        return 'collections keyed by KeyValuePair / ValueTuple'
    if 'System.Buffers' in line or 'SpanHelpers' in line or 'Vector' in line:
        return 'SearchValues and vector helpers (framework-internal instantiations)'
    if 'PolicyGen' in line or 'Scriban' in line or 'YamlDotNet' in line or 'System.CommandLine' in line:
        return "framework generics over npgen's or its libraries' types"
    return 'other framework generics over primitive types'
for line in open(sys.argv[1]):
    m = re.search(r'JIT compiled (\S+?)(?:\(| \[).*\[([^,\]]+)(?:, IL size=(\d+))?', line)
    if not m:
        continue
    tier = m.group(2)
    tiers[tier] += 1
    if tier.startswith('Tier1'):
        continue  # re-compilations of hot methods, not start-up misses
    g = group(line)
    groups[g] += 1
    il_by_group[g] += int(m.group(3) or 0)
    owner = m.group(1).split(':')[0]
    generics[re.sub(r'`\d+', '', owner)] += 1
print('compiled methods by tier:', ', '.join(f'{t} {n}' for t, n in tiers.most_common()))
print(f'first compilations (start-up misses): {sum(groups.values())}, {sum(il_by_group.values())} bytes of IL')
for g, n in groups.most_common():
    print(f'  {n:5d} methods {il_by_group[g]:7d} B IL  {g}')
print('most frequent owners:')
for o, n in generics.most_common(15):
    print(f'  {n:5d}  {o[:150]}')
PY
