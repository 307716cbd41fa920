#!/usr/bin/env bash
# The opt-in real-peer check of the OTLP receiver: the real OpenTelemetry Python SDK (opentelemetry-sdk and
# opentelemetry-exporter-otlp-proto-http from PyPI) exports a trace to a real `tracelog serve` on loopback, gzip and
# bearer token included, children before parents over several requests; the trace must come back whole through
# GET /v1/traces/{id}, and `export --format otlp` must give every span back as the SDK encoded it.
#   bash tools/otlp/python-sdk-check.sh
# Needs network access to PyPI the first time (the virtualenv is kept in .build-otel-venv).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build-otel-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
fi
"$venv/bin/pip" list 2>/dev/null | grep -E "^opentelemetry-(sdk|exporter-otlp-proto-http) "
swift build --build-tests
TRACELOG_OTEL_PYTHON="$(pwd)/$venv/bin/python" swift test --skip-build --filter PythonSDKTests
