import Foundation
import Hummingbird

/// The web trace viewer's static files (HTML, CSS, JavaScript; no external CDN), read once from the target's
/// `Viewer` resource folder and served from memory.
///
/// Only the files listed here are served, so no request path ever reaches the file system.
struct ViewerAssets: Sendable {
    /// File name → (content type, bytes).
    private let files: [String: (contentType: String, bytes: [UInt8])]

    /// The files of the viewer and their content types.
    static let catalog: [String: String] = [
        "index.html": "text/html; charset=utf-8",
        "viewer.css": "text/css; charset=utf-8",
        "viewer.js": "text/javascript; charset=utf-8",
        "format.js": "text/javascript; charset=utf-8",
        "timeline.js": "text/javascript; charset=utf-8",
        "trace.js": "text/javascript; charset=utf-8",
        "details.js": "text/javascript; charset=utf-8",
        "flow.js": "text/javascript; charset=utf-8",
        "compare.js": "text/javascript; charset=utf-8",
        "compare.css": "text/css; charset=utf-8",
    ]

    /// Whether a path names one of the viewer's files (`/viewer/<name>`).
    static func isAssetPath(_ path: String) -> Bool {
        path.hasPrefix("/viewer/") && catalog[String(path.dropFirst("/viewer/".count))] != nil
    }

    /// Loads the files from the resource bundle; a missing file is served as 404.
    init() {
        var files: [String: (contentType: String, bytes: [UInt8])] = [:]
        let folder = Bundle.module.resourceURL?.appendingPathComponent("Viewer")
        for (name, contentType) in Self.catalog {
            guard let url = folder?.appendingPathComponent(name), let data = try? Data(contentsOf: url) else {
                continue
            }
            files[name] = (contentType, Array(data))
        }
        self.files = files
    }

    /// The response for one file, or 404.
    func response(for name: String) throws(APIError) -> Response {
        guard let file = files[name] else { throw .notFound("no viewer file \(name)") }
        let headers: HTTPFields = [
            .contentType: file.contentType,
            .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'",
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-cache",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
