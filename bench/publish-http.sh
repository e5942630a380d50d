#!/usr/bin/env bash
# Times npgen publish against a local smart-HTTP Git server (bench/githttp.py: git http-backend
# per request, Basic auth ci-bot/s3cret) on 127.0.0.1:18080. Alternates the shop example's
# environments so every run commits and pushes; then times the up-to-date case with hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
dotnet publish src/PolicyGen.Cli -c Release -o "$work/npgen" >/dev/null
git init -q --bare -b main "$work/srv/gitops.git"
git -C "$work/srv/gitops.git" config http.receivepack true
python3 bench/githttp.py "$work/srv" 18080 & server=$!
sleep 1
export NPGEN_GIT_USERNAME=ci-bot NPGEN_GIT_PASSWORD=s3cret
publish() { "$work/npgen/npgen" publish examples/shop/intents.yaml --env "$1" --repo http://127.0.0.1:18080/gitops.git --path apps/shop; }
for i in $(seq 1 10); do
  env=$([ $((i % 2)) = 0 ] && echo prod || echo dev)
  start=$(date +%s%N); publish "$env" >/dev/null 2>&1; end=$(date +%s%N)
  echo "publish --env $env (commit + push): $(( (end - start) / 1000000 )) ms"
done
hyperfine -N -w 2 -r 15 "$work/npgen/npgen publish examples/shop/intents.yaml --env prod --repo http://127.0.0.1:18080/gitops.git --path apps/shop"
