import Foundation
import TraceLogTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's Chromium, headless, driven over the DevTools protocol through a pipe (`--remote-debugging-pipe`:
/// Chromium reads commands on its fd 3 and writes answers on its fd 4, each a JSON text ended by a NUL byte), so
/// a test can load the viewer from a real server, click what a user clicks (real mouse events at an element's
/// place on the page), read the DOM the scripts built, and keep a screenshot.
///
/// Blocking: call it from a Dispatch thread, never from the concurrency pool the server under test answers on.
/// Every wait is bounded (30 s per command, `waitFor`'s own limit), so a broken page fails the test instead of
/// hanging it. Not thread-safe: one test drives one browser.
final class HeadlessChromium {
    /// Where screenshots go: `$TRACELOG_TEST_ARTIFACTS/viewer`, else `.build/test-artifacts/viewer` in the
    /// package (README, "Tests").
    static var artifactsDirectory: URL {
        if let root = ProcessInfo.processInfo.environment["TRACELOG_TEST_ARTIFACTS"], !root.isEmpty {
            return URL(fileURLWithPath: root).appendingPathComponent("viewer")
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent(".build/test-artifacts/viewer")
    }

    /// The Chromium executable, if installed (`tools/prerequisites.sh` installs Debian's `chromium`).
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var pid: pid_t = 0
    private let commands: Int32
    private let answers: Int32
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session: String?
    private let profile: URL

    /// Starts Chromium with a fresh profile and a window of `width` × `height` CSS pixels.
    init(executable: String, width: Int = 1440, height: Int = 1000) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-chromium-\(UUID())")
        var toChromium: [Int32] = [0, 0]
        var fromChromium: [Int32] = [0, 0]
        guard pipe(&toChromium) == 0, pipe(&fromChromium) == 0 else {
            throw Failure(description: "pipe failed: errno \(errno)")
        }
        // Our ends must not leak into Chromium (it would never see the end of its input).
        for descriptor in toChromium + fromChromium { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // Above fd 4, so that dup2 onto 3 and 4 always makes a new descriptor (which then survives exec).
        let (childIn, childOut) = (
            fcntl(toChromium[0], F_DUPFD_CLOEXEC, 10), fcntl(fromChromium[1], F_DUPFD_CLOEXEC, 10)
        )
        close(toChromium[0])
        close(fromChromium[1])
        commands = toChromium[1]
        answers = fromChromium[0]
        defer {
            close(childIn)
            close(childOut)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childIn, 3)
        posix_spawn_file_actions_adddup2(&actions, childOut, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--hide-scrollbars", "--remote-debugging-pipe", "--user-data-dir=\(profile.path)",
            "--window-size=\(width),\(height)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard status == 0 else { throw Failure(description: "posix_spawn \(executable) failed: \(status)") }
        let target = try send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target: \(target)") }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        session = attached["sessionId"] as? String
        _ = try send(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false], inSession: true)
    }

    deinit {
        close(commands)
        close(answers)
        if pid > 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends one command and returns its `result`; throws on a protocol error or after 30 s.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:], inSession: Bool = false) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if inSession, let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(commands, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { throw Failure(description: "writing to Chromium failed: errno \(errno)") }
                offset += written
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while true {
            while let end = buffer.firstIndex(of: 0) {
                let text = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let answer = try JSONSerialization.jsonObject(with: text) as? [String: Any],
                    answer["id"] as? Int == nextID
                else { continue }  // an event, or an answer to nothing pending
                if let error = answer["error"] { throw Failure(description: "\(method): \(error)") }
                return answer["result"] as? [String: Any] ?? [:]
            }
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard remaining > 0 else { throw Failure(description: "\(method): no answer from Chromium in 30 s") }
            var poller = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, remaining) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(answers, &chunk, chunk.count)
            guard count > 0 else { throw Failure(description: "\(method): Chromium closed the pipe") }
            buffer += chunk[..<count]
        }
    }

    /// Loads `url` and waits until the viewer's scripts have run (`TL` defined, the document complete).
    func open(_ url: String) throws {
        try send("Page.navigate", ["url": url], inSession: true)
        try waitFor("document.readyState === 'complete' && typeof TL === 'object'")
    }

    /// Evaluates JavaScript in the page (promises awaited) and returns its value as JSON gives it.
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let result = try send(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true], inSession: true
        )
        if let exception = result["exceptionDetails"] {
            throw Failure(description: "\(expression): \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits until `condition` is true in the page, checking every 50 ms; throws after `seconds`. The default is
    /// generous: on a 2-core machine running the rest of the suite beside Chromium, a first page load once took
    /// more than 15 s. A page that never gets there still fails, only later.
    func waitFor(_ condition: String, seconds: Double = 45) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try evaluate("Boolean(\(condition))") as? Bool == true { return }
            usleep(50_000)
        }
        throw Failure(description: "waited \(seconds) s for: \(condition)")
    }

    /// Clicks the first element matching `selector` as a user would: scrolled into view, then a mouse press and
    /// release at its centre (the browser decides which element gets the click).
    func click(_ selector: String) throws {
        let quoted = try String(decoding: JSONSerialization.data(withJSONObject: [selector]), as: UTF8.self)
        let box =
            try evaluate(
                """
                (() => { const e = document.querySelector(\(quoted)[0]); if (!e) return null;
                  e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
                  return [r.left + r.width / 2, r.top + r.height / 2]; })()
                """) as? [Double]
        guard let box, box.count == 2 else { throw Failure(description: "nothing to click: \(selector)") }
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            try send(
                "Input.dispatchMouseEvent",
                ["type": type, "x": box[0], "y": box[1], "button": "left", "clickCount": type == "mouseMoved" ? 0 : 1],
                inSession: true)
        }
    }

    /// Saves a PNG of the page as `name`.png in ``artifactsDirectory`` and returns its path.
    @discardableResult
    func screenshot(_ name: String) throws -> String {
        let result = try send(
            "Page.captureScreenshot", ["format": "png", "captureBeyondViewport": false], inSession: true)
        guard let base64 = result["data"] as? String, let png = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot data")
        }
        try FileManager.default.createDirectory(at: Self.artifactsDirectory, withIntermediateDirectories: true)
        let file = Self.artifactsDirectory.appendingPathComponent("\(name).png")
        try png.write(to: file)
        return file.path
    }
}

/// Runs a blocking browser session on a thread of its own (`offThePool`) and awaits it, so the server under test keeps answering
/// on the concurrency pool meanwhile.
func withChromium<Value: Sendable>(_ body: @escaping @Sendable (HeadlessChromium) throws -> Value) async throws -> Value
{
    guard let executable = HeadlessChromium.executable else {
        throw HeadlessChromium.Failure(
            description: "Debian's chromium is needed: run tools/prerequisites.sh (apt-get install -y chromium)")
    }
    return try await offThePool { try body(try HeadlessChromium(executable: executable)) }
}
