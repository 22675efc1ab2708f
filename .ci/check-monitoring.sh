#!/usr/bin/env bash
# Checks the monitoring files with Prometheus's own tools: the example configuration and the
# alert rules parse (promtool check config, check rules), the rules fire when, and only when,
# their unit tests say (promtool test rules), and every query of the dashboard parses. Then
# the workflows' outcome recorder (deploy/report-outcome.sh) against a real Pushgateway: what
# it pushes is what the CI alerts and panels read. Part of .ci/run; promtool and the
# Pushgateway come from Debian's prometheus and prometheus-pushgateway packages (the
# Pushgateway is taken out of its package when missing; nothing is installed or started
# as a service).
# That every metric they name exists is checked by AlertsAndDashboardTests (mvn verify).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || { echo "check-ops: promtool is missing (apt-get install prometheus)" >&2; exit 1; }
work=$(mktemp -d)
gateway_pid=
trap '[ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "check-ops: FAILED: $*" >&2; exit 1; }

promtool check rules monitoring/prometheus/alerts.yml
promtool check config monitoring/prometheus/prometheus.yml
promtool test rules monitoring/prometheus/alerts.test.yml monitoring/prometheus/alerts-ci.test.yml

# the dashboard's queries, with Grafana's variables given values, as recording rules: promtool
# parses each one
python3 - monitoring/grafana/vitrine.json "$work/dashboard.rules.yml" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["panels"], "no panels"
exprs = [e for e in (a.get("expr") for a in d.get("annotations", {}).get("list", [])) if e]
def walk(node):
    if isinstance(node, dict):
        if isinstance(node.get("expr"), str):
            exprs.append(node["expr"])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(d["panels"])
values = {"$__rate_interval": "5m", "$__range": "6h", "$__interval": "1m", "$roles": ".*"}
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        for k, v in values.items():
            e = e.replace(k, v)
        out.write(f"      - record: dashboard:query_{i}\n        expr: {json.dumps(e)}\n")
print(f"check-ops: {len(exprs)} dashboard queries")
PY
promtool check rules "$work/dashboard.rules.yml" >/dev/null || { promtool check rules "$work/dashboard.rules.yml" >&2; fail "a dashboard query does not parse"; }

# --- deploy/report-outcome.sh against a Pushgateway -------------------------------------------
gateway=$(command -v prometheus-pushgateway || command -v pushgateway || true)
if [ -z "$gateway" ]; then
  (cd "$work" && apt-get download prometheus-pushgateway >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get download prometheus-pushgateway >/dev/null; }) \
    || fail "no Pushgateway: apt-get install prometheus-pushgateway"
  dpkg-deb -x "$work"/prometheus-pushgateway_*.deb "$work/root"
  gateway=$work/root/usr/bin/prometheus-pushgateway
fi
port=${CHECK_PUSHGATEWAY_PORT:-29091}
"$gateway" --web.listen-address="127.0.0.1:$port" > "$work/gateway.log" 2>&1 &
gateway_pid=$!
for i in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/-/ready" 2>/dev/null && break
  [ "$i" = 50 ] && { cat "$work/gateway.log" >&2; fail "the Pushgateway did not start"; }
  sleep 0.2
done
sha=3f9c2e1d8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d other=0123456789abcdef0123456789abcdef01234567
report() { VITRINE_DEPLOY_CONFIG=/dev/null VITRINE_PUSHGATEWAY_URL=http://127.0.0.1:$port deploy/report-outcome.sh "$@" 2>>"$work/report.log"; }
for _ in 1 2 3; do report build success $sha; done
report build failure $sha
report deploy refused $other
report deploy success $sha
report rollback failure $other
VITRINE_DEPLOY_CONFIG=/dev/null VITRINE_PUSHGATEWAY_URL=http://127.0.0.1:$port deploy/report-outcome.sh build maybe $sha 2>/dev/null \
  && fail "report-outcome.sh took an unknown outcome"
curl -fsS "http://127.0.0.1:$port/metrics" | grep '^vitrine_ci_' | sed 's/instance="",//' | sort > "$work/pushed"
python3 - "$work/pushed" $sha $other <<'PY' || { cat "$work/pushed" "$work/report.log" >&2; fail "the Pushgateway does not hold the outcomes reported"; }
import re, sys
sha, other = sys.argv[2], sys.argv[3]
got = {}
for line in open(sys.argv[1]):
    name, labels, value = re.match(r'(\w+)\{(.*)\} (\S+)$', line.strip()).groups()
    got[(name, tuple(sorted(re.findall(r'(\w+)="([^"]*)"', labels))))] = float(value)
def runs(kind, outcome):
    return got.get(('vitrine_ci_runs_total', (('job', 'vitrine_ci'), ('kind', kind), ('outcome', outcome))))
expected = {('build', 'success'): 3, ('build', 'failure'): 1, ('deploy', 'success'): 1, ('deploy', 'refused'): 1,
            ('deploy', 'failure'): 0, ('rollback', 'failure'): 1, ('rollback', 'success'): 0, ('rollback', 'refused'): 0}
problems = [f"runs {k}: {runs(*k)}, expected {v}" for k, v in expected.items() if runs(*k) != v]
info = lambda kind, outcome, rev: got.get(('vitrine_ci_last_run_info', (('job', 'vitrine_ci'), ('kind', kind), ('outcome', outcome), ('revision', rev))))
if info('deploy', 'success', sha) != 1 or info('deploy', 'refused', other) is not None:
    problems.append("vitrine_ci_last_run_info does not name the last deploy alone")
if info('build', 'failure', sha) != 1:
    problems.append("vitrine_ci_last_run_info does not name the last build")
for p in problems:
    print('  ' + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
# unreachable: recorded nowhere, but the deploy it reports on is not failed for it
VITRINE_DEPLOY_CONFIG=/dev/null VITRINE_PUSHGATEWAY_URL=http://127.0.0.1:9/ deploy/report-outcome.sh deploy success $sha 2>"$work/down.log" \
  || fail "report-outcome.sh failed when the Pushgateway was down"
grep -q "not recorded" "$work/down.log" || fail "report-outcome.sh did not say the outcome was not recorded"

echo "check-ops: alerts parse and pass their tests; the dashboard's queries parse; outcomes reach the Pushgateway as the CI alerts read them"
