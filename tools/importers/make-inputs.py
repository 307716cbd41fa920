#!/usr/bin/env python3
"""Scale inputs for the importer benchmark, made from the committed interop fixtures.

    make-inputs.py FORMAT COPIES > FILE

FORMAT is selinon (JSON-sink lines), stroma (one `to_json()` array) or st2 (one `st2 trace list -j` array).
Each copy of the fixture gets fresh ids, so every copy is a flow, run or trace of its own and trace resolution
sees new entities, as it would in a real stream:

- selinon: `selinon-all-events.jsonl` (one line of each of Selinon's 53 events); every UUID in a line is
  replaced by one derived from the copy number and the original.
- stroma: `stroma-flaky.json`, `stroma-terminal.json` and the two `stroma-pair` runs; `run_id` gets the copy
  number appended (the importer also draws an import id per run of a document).
- st2: `st2-traces.json`; every 24-hex object id and 32-hex trace id is replaced by one derived from the copy number and the
  original, and `trace_tag` gets the copy number appended.

Deterministic: the same arguments print the same bytes.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "Tests" / "TraceLogIngestTests" / "Fixtures"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OBJECT_ID = re.compile(r"\b[0-9a-f]{24}\b|\b[0-9a-f]{32}\b")


def derived(copy: int, original: str, length: int) -> str:
    return hashlib.md5(f"{copy}:{original}".encode()).hexdigest()[:length]


def fresh_uuid(copy: int, match: re.Match) -> str:
    h = derived(copy, match.group(0), 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def selinon(copies: int, out) -> None:
    lines = (FIXTURES / "selinon-all-events.jsonl").read_text(encoding="utf-8").splitlines()
    for copy in range(copies):
        for line in lines:
            out.write(UUID.sub(lambda m: fresh_uuid(copy, m), line))
            out.write("\n")


def stroma(copies: int, out) -> None:
    names = ["stroma-flaky.json", "stroma-terminal.json", "stroma-pair-a.json", "stroma-pair-b.json"]
    runs = [json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in names]
    out.write("[")
    first = True
    for copy in range(copies):
        for run in runs:
            for attempt in run:
                element = dict(attempt, run_id=f"{attempt['run_id']}-{copy}")
                out.write(("" if first else ", ") + json.dumps(element))
                first = False
    out.write("]\n")


def st2(copies: int, out) -> None:
    text = (FIXTURES / "st2-traces.json").read_text(encoding="utf-8")
    traces = json.loads(text)
    out.write("[")
    first = True
    for copy in range(copies):
        for trace in traces:
            copied = json.loads(OBJECT_ID.sub(lambda m: derived(copy, m.group(0), len(m.group(0))), json.dumps(trace)))
            copied["trace_tag"] = f"{trace['trace_tag']}-{copy}"
            out.write(("" if first else ",\n") + json.dumps(copied))
            first = False
    out.write("]\n")


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("selinon", "stroma", "st2") or not sys.argv[2].isdigit():
        sys.exit("usage: make-inputs.py selinon|stroma|st2 COPIES > FILE")
    {"selinon": selinon, "stroma": stroma, "st2": st2}[sys.argv[1]](int(sys.argv[2]), sys.stdout)


if __name__ == "__main__":
    main()
