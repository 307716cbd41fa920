"""Exports one trace with the real OpenTelemetry Python SDK to a TraceLog receiver (PythonSDKTests runs it).

Endpoint and token come from the SDK's own environment variables (OTEL_EXPORTER_OTLP_ENDPOINT,
OTEL_EXPORTER_OTLP_HEADERS). Each span is exported by itself as it ends (SimpleSpanProcessor), gzip-compressed, so
children reach the server before their parents, over several requests. Afterwards the exact
ExportTraceServiceRequest of all spans, as the SDK encodes it, is written to argv[1] (protobuf), and the trace id is
printed, so the test can compare what comes back field for field.
"""
import sys
import time

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

resource = Resource.create({"service.name": "python-orders", "deployment.environment": "test"})
provider = TracerProvider(resource=resource)
exporter = OTLPSpanExporter(compression=Compression.Gzip)
memory = InMemorySpanExporter()
provider.add_span_processor(SimpleSpanProcessor(exporter))
provider.add_span_processor(SimpleSpanProcessor(memory))
tracer = provider.get_tracer("orders.checkout", "1.2.3")

with tracer.start_as_current_span("POST /orders", kind=SpanKind.SERVER) as root:
    root.set_attribute("http.request.method", "POST")
    root.set_attribute("order.items", 3)
    root.set_attribute("order.weights", [0.5, 1.25])
    with tracer.start_as_current_span("load-customer", kind=SpanKind.CLIENT) as child:
        child.set_attribute("db.system", "postgresql")
        child.add_event("cache.miss", {"key": "customer-42"})
        with tracer.start_as_current_span("SELECT customers") as query:
            query.set_attribute("db.rows", 1)
            time.sleep(0.002)
    try:
        with tracer.start_as_current_span("charge-card", links=[Link(child.get_span_context(), {"why": "same order"})]):
            raise RuntimeError("card declined")
    except RuntimeError:
        pass
    root.set_status(Status(StatusCode.OK))

provider.shutdown()
spans = memory.get_finished_spans()
with open(sys.argv[1], "wb") as output:
    output.write(encode_spans(spans).SerializeToString())
print(format(root.get_span_context().trace_id, "032x"))
