import Foundation
import Testing
import TraceLogStorage

@testable import TraceLogIngest

/// What a reader handed out, in order.
enum ReadItem: Hashable, Sendable {
    case line(Int, String)
    case tooLong(Int)
}

/// Reads everything from `descriptor`; `largestBuffer` is the largest buffer the reader used.
private func readAll(
    _ descriptor: Int32, chunkSize: Int = 1 << 20, maximumLineLength: Int = 16 << 20
) -> (items: [ReadItem], lastLineNumber: Int, largestBuffer: Int) {
    var reader = JSONLinesReader(
        fileDescriptor: descriptor, chunkSize: chunkSize, maximumLineLength: maximumLineLength)
    var items: [ReadItem] = []
    var largestBuffer = reader.bufferCapacity
    while true {
        do {
            guard let line = try reader.nextLine() else { break }
            items.append(.line(line.number, String(decoding: line.bytes, as: UTF8.self)))
        } catch {
            guard case .lineTooLong(let number, let limit) = error, limit == maximumLineLength else {
                Issue.record("unexpected error \(error)")
                break
            }
            items.append(.tooLong(number))
        }
        largestBuffer = max(largestBuffer, reader.bufferCapacity)
    }
    return (items, reader.lineNumber, largestBuffer)
}

/// Calls `body` with a read-only descriptor of a temporary file holding `contents`.
private func withTemporaryFile<Result>(_ contents: [UInt8], _ body: (Int32) throws -> Result) throws -> Result {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tracelog-lines-\(UUID()).jsonl").path
    try Data(contents).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let descriptor = open(path, O_RDONLY)
    #expect(descriptor >= 0)
    defer { close(descriptor) }
    return try body(descriptor)
}

private func withTemporaryFile<Result>(_ contents: String, _ body: (Int32) throws -> Result) throws -> Result {
    try withTemporaryFile(Array(contents.utf8), body)
}

@Suite struct JSONLinesReaderTests {
    static let chunkSizes = [1, 2, 3, 5, 8, 13, 64, 1 << 20]

    @Test(arguments: chunkSizes)
    func splitsLinesAndCountsBlankOnes(chunkSize: Int) throws {
        let contents = [0xEF, 0xBB, 0xBF] + Array("first\r\nsecond\n\n   \n\t\r\nthird\r\n\r\nfourth".utf8)
        let result = try withTemporaryFile(contents) { readAll($0, chunkSize: chunkSize) }
        #expect(result.items == [.line(1, "first"), .line(2, "second"), .line(6, "third"), .line(8, "fourth")])
        #expect(result.lastLineNumber == 8)
    }

    @Test(arguments: [
        ("", [ReadItem](), 0), ("\n\n", [], 2), ("\r\n", [], 1), ("x", [.line(1, "x")], 1), ("x\n", [.line(1, "x")], 1),
        ("\r", [], 1), ("a\rb\n", [.line(1, "a\rb")], 1), ("a\n\nb\n\n", [.line(1, "a"), .line(3, "b")], 4),
        (" x \n", [.line(1, " x ")], 1),
    ])
    func handlesEdgeCases(contents: String, expected: [ReadItem], lastLineNumber: Int) throws {
        for chunkSize in [1, 4, 1 << 16] {
            let result = try withTemporaryFile(contents) { readAll($0, chunkSize: chunkSize) }
            #expect(result.items == expected)
            #expect(result.lastLineNumber == lastLineNumber)
        }
    }

    @Test(arguments: chunkSizes)
    func enforcesTheLineLimitExactly(chunkSize: Int) throws {
        let contents = "0123456789\n0123456789\r\n01234567890\nok\n01234567890123456789\r\nok2\n01234567890"
        let result = try withTemporaryFile(contents) { readAll($0, chunkSize: chunkSize, maximumLineLength: 10) }
        let expected: [ReadItem] = [
            .line(1, "0123456789"), .line(2, "0123456789"), .tooLong(3), .line(4, "ok"), .tooLong(5),
            .line(6, "ok2"), .tooLong(7),
        ]
        #expect(result.items == expected)
        #expect(result.lastLineNumber == 7)
    }

    @Test func skipsATwentyMegabyteLineWithoutBufferingIt() throws {
        let limit = 1 << 20
        var contents = Array("{\"first\":1}\n".utf8)
        contents += Array(repeating: UInt8(ascii: "x"), count: 20_000_000)
        contents += Array("\n{\"third\":3}\r\n\n{\"fifth\":5}".utf8)
        let result = try withTemporaryFile(contents) { readAll($0, maximumLineLength: limit) }
        #expect(
            result.items == [
                .line(1, "{\"first\":1}"), .tooLong(2), .line(3, "{\"third\":3}"), .line(5, "{\"fifth\":5}"),
            ])
        #expect(result.largestBuffer <= limit + 1 + (1 << 20) + (1 << 20))
        let lastLine = Array("a\n".utf8) + Array(repeating: UInt8(ascii: "y"), count: 3_000_000)
        let atEnd = try withTemporaryFile(lastLine) { readAll($0, chunkSize: 4096, maximumLineLength: 1000) }
        #expect(atEnd.items == [.line(1, "a"), .tooLong(2)])
        #expect(atEnd.largestBuffer <= 4 * 4096)
    }

    @Test func describesAnOverlongLine() {
        let error = JSONLinesError.lineTooLong(line: 9, limit: 16 << 20)
        #expect(error.description == "line 9: longer than the limit of 16777216 bytes")
    }

    @Test func readsAPipeFedByAnotherThread() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        defer { close(readEnd) }
        let lineCount = 100_000
        var text = ""
        for index in 1...lineCount { text += index.isMultiple(of: 10) ? "\r\n" : "{\"n\":\(index)}\n" }
        let data = Array(text.utf8)
        let writer = Thread {
            data.withUnsafeBytes { bytes in
                var offset = 0
                var size = 1
                while offset < bytes.count {
                    let count = min(size, bytes.count - offset)
                    let written = write(writeEnd, bytes.baseAddress! + offset, count)
                    if written <= 0 { break }
                    offset += written
                    size = size * 7 % 9973 + 1  // Writes of varying sizes, splitting lines anywhere.
                }
            }
            close(writeEnd)
        }
        writer.start()
        let result = readAll(readEnd, chunkSize: 4096)
        let expected = (1...lineCount).filter { !$0.isMultiple(of: 10) }.map { ReadItem.line($0, "{\"n\":\($0)}") }
        #expect(result.items == expected)
        #expect(result.lastLineNumber == lineCount)
    }

    @Test func reportsReadFailures() {
        var reader = JSONLinesReader(fileDescriptor: -1)
        #expect(throws: JSONLinesError.readFailed(SystemError(operation: "read", path: "fd -1", errno: EBADF))) {
            try reader.nextLine()
        }
    }

    @Test func handsLinesToTheParser() throws {
        let contents = """
            {"type":"execution","id":"ex-1","action":"a"}

            {"type":"execution","id":"ex-2","action":"a","attempt":"two"}\r
            {"type":"flow_event","event":"TASK_START","details":{}}
            """
        let outcomes = try withTemporaryFile(contents) { descriptor -> [String] in
            var reader = JSONLinesReader(fileDescriptor: descriptor, name: "events.jsonl")
            var outcomes: [String] = []
            while let line = try reader.nextLine() {
                do {
                    let event = try NativeEventParser().parse(line)
                    outcomes.append("\(line.number): \(event.body.kind)")
                } catch let error as NativeEventError {
                    outcomes.append(error.description)
                }
            }
            return outcomes
        }
        #expect(
            outcomes == [
                "1: executionAttempt", #"line 3: field "attempt": expected an integer ≥ 1, got "two""#, "4: flowEvent",
            ])
    }

    @Test func keepsACopyOfALineAfterTheReaderMovesOn() throws {
        let copies = try withTemporaryFile("one\ntwo\nthree\n") { descriptor -> [[UInt8]] in
            var reader = JSONLinesReader(fileDescriptor: descriptor, chunkSize: 2)
            var copies: [[UInt8]] = []
            while let line = try reader.nextLine() {
                #expect(line.count == line.bytes.count)
                copies.append(line.bytes)
            }
            return copies
        }
        #expect(copies == [Array("one".utf8), Array("two".utf8), Array("three".utf8)])
    }
}
