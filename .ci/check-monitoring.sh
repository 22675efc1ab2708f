#!/usr/bin/env bash
# Checks the monitoring files with Prometheus's own tool: the example configuration and the
# alert rules parse (promtool check config, check rules) and the rules fire when, and only
# when, their unit tests say (promtool test rules). Part of .ci/run; promtool comes with
# Debian's prometheus package.
# That every metric they name exists is checked by AlertsAndDashboardTests (mvn verify).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || { echo "check-ops: promtool is missing (apt-get install prometheus)" >&2; exit 1; }
promtool check rules monitoring/prometheus/alerts.yml
promtool check config monitoring/prometheus/prometheus.yml
promtool test rules monitoring/prometheus/alerts.test.yml
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["panels"], "no panels"' monitoring/grafana/vitrine.json
echo "check-ops: alerts parse and pass their tests; the dashboard is valid JSON"
