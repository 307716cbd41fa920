#!/usr/bin/env bash
# Installs what TraceLog needs and a fresh machine of this kind may lack: liblz4-dev (found through
# pkg-config by the CLZ4 system-library target), libmimalloc-dev (the `tracelog` process's allocator),
# pkg-config itself, zlib1g-dev (gzip bodies of the OTLP receiver, through compress-nio), and libsqlite3-dev
# for the Benchmarks package (GRDB links the system SQLite; tools/test.sh gates allocation counts with it,
# tools/bench.sh compares against it), and chromium for the web viewer's DOM test (ViewerCycleTests runs the
# real viewer in headless Chromium). Swift is part of the machine image.
# Sourced by the scripts in tools/; safe to run again (it only installs what is missing).
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "swift is not on PATH; TraceLog needs Swift 6.1 or newer" >&2
    exit 1
fi

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists liblz4 2>/dev/null; then missing+=(liblz4-dev); fi
# mimalloc: the `tracelog` executable links it as the process's allocator (Package.swift says why).
if [ ! -e /usr/include/mimalloc.h ] && ! pkg-config --exists mimalloc 2>/dev/null; then missing+=(libmimalloc-dev); fi
if [ ! -e /usr/include/sqlite3.h ] && ! pkg-config --exists sqlite3 2>/dev/null; then missing+=(libsqlite3-dev); fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# zlib: compress-nio (gzip request bodies of the OTLP receiver, POST /v1/traces) links the system zlib.
if [ ! -e /usr/include/zlib.h ] && ! pkg-config --exists zlib 2>/dev/null; then missing+=(zlib1g-dev); fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
