#!/usr/bin/env bash
# Regenerates the Swift code of TraceLog's OTLP protobuf subset:
#   Sources/TraceLogOTLP/Proto/Definitions/*.proto  ->  Sources/TraceLogOTLP/Proto/Generated/*.pb.swift
# The generated files are committed, so neither the build nor CI needs protoc or the plugin; run this only after
# changing a .proto file, and commit the result.
#
# Needs protoc (Debian: apt-get install -y protobuf-compiler) and protoc-gen-swift of the swift-protobuf version
# Package.swift uses. Set PROTOC_GEN_SWIFT to a built plugin, or let the script build it (about 10 minutes on
# two cores) in a scratch directory outside the repository from the package's tag:
#   bash tools/otlp/generate.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

version=1.39.0
command -v protoc >/dev/null 2>&1 || { echo "protoc not found: apt-get install -y protobuf-compiler" >&2; exit 1; }

plugin=${PROTOC_GEN_SWIFT:-}
if [ -z "$plugin" ]; then
    scratch=${TMPDIR:-/tmp}/tracelog-protoc-gen-swift-$version
    if [ ! -x "$scratch/.build/release/protoc-gen-swift" ]; then
        rm -rf "$scratch"
        git clone --quiet https://github.com/apple/swift-protobuf "$scratch"
        git -C "$scratch" checkout --quiet "$version"
        swift build --package-path "$scratch" -c release --product protoc-gen-swift
    fi
    plugin=$scratch/.build/release/protoc-gen-swift
fi
"$plugin" --version | grep -q "$version" || { echo "$plugin is not protoc-gen-swift $version" >&2; exit 1; }

definitions=Sources/TraceLogOTLP/Proto/Definitions
generated=Sources/TraceLogOTLP/Proto/Generated
rm -f "$generated"/*.pb.swift
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$definitions" \
    --swift_opt=Visibility=Package --swift_opt=UseAccessLevelOnImports=true --swift_opt=FileNaming=DropPath \
    --swift_out="$generated" "$definitions"/*.proto
# The generated files start with `// swift-format-ignore-file`, so the repository's swift-format lint skips them.
echo "generated: $(ls "$generated")"
