#!/usr/bin/env python3
"""Writes a synthetic intent with N apps (default 1000) to stdout, deterministically.

Apps are spread over N/10 managed namespaces; each app declares two ports, is called by the
previous app in its namespace, and every tenth app also calls an app in the next namespace and
an external network. Used by bench/intent-build.sh to time `npgen build` at scale.
"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
namespaces = max(1, n // 10)
print("apiVersion: npgen.dev/v1alpha1\nkind: NetworkIntent\nmetadata:\n  name: synthetic\nspec:")
print("  namespaces:")
for i in range(namespaces):
    print(f"    ns-{i:04d}: {{managed: true, labels: {{tier: t{i % 5}}}}}")
print("  networks:\n    partner: [203.0.113.0/24]")
print("  apps:")
for a in range(n):
    ns = a % namespaces
    print(f"    app-{a:05d}:")
    print(f"      namespace: ns-{ns:04d}")
    print(f"      selector: {{app: app-{a:05d}}}")
    print("      ports: {http: 8080/TCP, metrics: 9090/TCP}")
    calls = []
    if a >= namespaces:
        calls.append(f"{{app: app-{a - namespaces:05d}, ports: [http]}}")
    if a % 10 == 0:
        calls.append(f"{{app: app-{(a + 1) % n:05d}, ports: [metrics]}}")
        calls.append("{network: partner, ports: [443/TCP]}")
    if calls:
        print("      calls: [" + ", ".join(calls) + "]")
