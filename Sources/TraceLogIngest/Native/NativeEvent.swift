public import TraceLog

/// One parsed line of the native event format: what happened, when, and which trace it asks to join.
///
/// It is exactly the input of trace resolution (``TraceLog/IncomingEvent``): the parser does not resolve
/// traces (SPEC §2), it only carries what the line said. A `trace` line becomes `.traceStart` with the id of
/// the trace it creates in `trace.id`; a `causation_link` line becomes `.causationLink`.
public typealias NativeEvent = IncomingEvent
