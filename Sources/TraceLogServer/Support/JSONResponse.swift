import HTTPTypes
import Hummingbird
import TraceLog

extension Response {
    /// A JSON response with compact UTF-8 text.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        var text = value.serialized()
        text += "\n"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    /// `X-Total-Count`: how many traces match a list query in all.
    static let totalCount = HTTPField.Name("X-Total-Count")!
    /// `St2-Trace-Tag`: the trace tag of a webhook (StackStorm's header).
    static let traceTag = HTTPField.Name("St2-Trace-Tag")!
}
