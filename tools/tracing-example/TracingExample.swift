// The TraceLogTracing test app: a small "checkout" service instrumented with swift-distributed-tracing, whose spans
// go straight into a TraceLog through TraceLogTracer.
//
//   tracelog-tracing-example --log DIR
//
// It records one request: nested spans (some of them concurrent, ending in any order), one that fails with an
// error, and a hop to a "downstream" that receives the trace through a W3C traceparent header. Then it shuts down
// gracefully, which flushes the tracer, closes the log and prints the trace id. TraceLogTracingTests runs it and
// checks that the trace comes back whole and exports as OTLP.
import Foundation
import Logging
import ServiceLifecycle
import TraceLog
import TraceLogTracing
import Tracing

struct PaymentDeclined: Error, CustomStringConvertible {
    var description: String { "card declined: insufficient funds" }
}

/// A dictionary as an HTTP header carrier.
struct HeaderCarrier: Injector, Extractor {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}

/// Handles one checkout, then returns (which shuts the service group down).
struct CheckoutService: Service {
    let tracer: TraceLogTracer
    let report: @Sendable (String) -> Void

    func run() async throws {
        await withSpan("POST /checkout", ofKind: .server) { request in
            request.attributes["http.request.method"] = "POST"
            request.attributes["http.route"] = "/checkout"
            request.attributes["cart.items"] = 3
            if let traceID = request.context.traceLogSpanContext?.traceID { report("\(traceID)") }
            await withSpan("load-cart") { span in
                span.attributes["db.system"] = "postgresql"
                await withTaskGroup(of: Void.self) { group in
                    // Concurrent children: the slower one starts first and ends last.
                    for (name, delay) in [("price-items", 30), ("check-stock", 5)] {
                        group.addTask {
                            await withSpan(name) { _ in try? await Task.sleep(for: .milliseconds(delay)) }
                        }
                    }
                }
            }
            do {
                try await withSpan("charge-card", ofKind: .client) { span in
                    span.attributes["payment.provider"] = "acme-pay"
                    span.addEvent(SpanEvent(name: "payment.requested", attributes: ["amount.cents": 4200]))
                    try await Task.sleep(for: .milliseconds(2))  // the payment provider's answer
                    throw PaymentDeclined()
                }
            } catch {
                request.addEvent(SpanEvent(name: "checkout.retry-with-fallback"))
            }
            // The downstream service receives the trace in a traceparent header, as over HTTP.
            var headers: [String: String] = [:]
            InstrumentationSystem.instrument.inject(
                InstrumentationContext.current ?? .topLevel, into: &headers, using: HeaderCarrier())
            var downstream = InstrumentationContext.topLevel
            InstrumentationSystem.instrument.extract(headers, into: &downstream, using: HeaderCarrier())
            withSpan("send-receipt", context: downstream, ofKind: .consumer) { span in
                span.attributes["messaging.system"] = "smtp"
                span.setStatus(SpanStatus(code: .ok))
            }
            request.attributes["http.response.status_code"] = 200
        }
    }
}

@main
enum TracingExample {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: "--log"), index + 1 < arguments.count else {
            FileHandle.standardError.write(Data("usage: tracelog-tracing-example --log DIR\n".utf8))
            exit(2)
        }
        let store = try WritableTraceStore.open(directory: arguments[index + 1])
        let logger = Logger(label: "tracing-example")
        let tracer = TraceLogTracer(
            store: store, serviceName: "checkout", resourceAttributes: ["deployment.environment": "test"],
            flushInterval: .milliseconds(100))
        InstrumentationSystem.bootstrap(tracer)
        let checkout = CheckoutService(tracer: tracer) { print("trace \($0)") }
        // The tracer comes first: a service group stops its services in reverse order, so the tracer stops last and
        // stores every span the checkout ended.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: tracer),
                    .init(service: checkout, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        try store.close()
    }
}
