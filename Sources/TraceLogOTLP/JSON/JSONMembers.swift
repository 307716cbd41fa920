import Foundation
import TraceLogIngest

/// Reading OTLP/JSON values out of a parsed tree, with errors that name the field's path.
///
/// The rules are the protobuf JSON mapping as OTLP restricts it: keys are lowerCamelCase (the proto field names in
/// snake_case are accepted too, as protobuf's parsers do), unknown keys are ignored (OTLP asks receivers to), `null`
/// is the same as an absent key, a key given twice is an error, 64-bit integers come as strings or numbers, enums
/// as integers or names, `bytes` as base64, except the trace and span ids, which OTLP writes as hex.
struct JSONMembers {
    /// The object's members, keys in lowerCamelCase, `null` values left out.
    let members: [(key: String, value: SourceJSON)]
    /// The object's path, for errors.
    let path: String

    /// The members of `json`, which must be an object.
    init(_ json: SourceJSON, path: String) throws(OTLPDecodingError) {
        guard case .object(let raw) = json.value else {
            throw OTLPDecodingError(field: path, reason: "expected an object, got \(json.typeName)")
        }
        var seen = Set<String>()
        var members: [(key: String, value: SourceJSON)] = []
        members.reserveCapacity(raw.count)
        for (rawKey, value) in raw {
            let key = Self.lowerCamelCase(rawKey)
            guard seen.insert(key).inserted else {
                throw OTLPDecodingError(field: Self.join(path, key), reason: "key given twice")
            }
            if !value.isNull { members.append((key, value)) }
        }
        self.members = members
        self.path = path
    }

    /// The path of member `key`.
    func path(_ key: String) -> String { Self.join(path, key) }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// `trace_id` → `traceId`; lowerCamelCase keys are returned as they are.
    static func lowerCamelCase(_ key: String) -> String {
        guard key.contains("_") else { return key }
        var result = ""
        var upperNext = false
        for character in key {
            if character == "_" {
                upperNext = true
            } else {
                result.append(upperNext ? Character(character.uppercased()) : character)
                upperNext = false
            }
        }
        return result
    }
}

/// Scalar readers: each takes the value and its path.
enum JSONScalar {
    static func string(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> String {
        guard case .string(let text) = json.value else {
            throw OTLPDecodingError(field: path, reason: "expected a string, got \(json.typeName)")
        }
        return text
    }

    static func bool(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> Bool {
        guard case .bool(let value) = json.value else {
            throw OTLPDecodingError(field: path, reason: "expected a boolean, got \(json.typeName)")
        }
        return value
    }

    /// A signed 64-bit integer: a JSON number or a decimal string (how the protobuf JSON mapping writes int64).
    static func int64(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> Int64 {
        let text = try integerText(json, path)
        if let value = Int64(text) { return value }
        if let value = integral(text), value >= -9.223_372_036_854_775_808e18, value < 9.223_372_036_854_775_808e18 {
            return Int64(value)
        }
        throw OTLPDecodingError(field: path, reason: "expected a 64-bit integer, got \(text)")
    }

    /// An unsigned 64-bit integer (`fixed64` times): a JSON number or a decimal string.
    static func uint64(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> UInt64 {
        let text = try integerText(json, path)
        if let value = UInt64(text) { return value }
        if let value = integral(text), value >= 0, value < 1.844_674_407_370_955_161_6e19 { return UInt64(value) }
        throw OTLPDecodingError(field: path, reason: "expected an unsigned 64-bit integer, got \(text)")
    }

    /// An unsigned 32-bit integer (counts, flags).
    static func uint32(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> UInt32 {
        let value = try uint64(json, path)
        guard let narrowed = UInt32(exactly: value) else {
            throw OTLPDecodingError(field: path, reason: "expected an unsigned 32-bit integer, got \(value)")
        }
        return narrowed
    }

    /// A double: a JSON number, or a string holding one or `NaN`, `Infinity`, `-Infinity`.
    static func double(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> Double {
        switch json.value {
        case .number(let text):
            if let value = Double(text) { return value }
        case .string(let text):
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: if let value = Double(text), value.isFinite { return value }
            }
        default: break
        }
        throw OTLPDecodingError(field: path, reason: "expected a number, got \(json.typeName)")
    }

    /// An enum value: its number, or its name from `names` (index = value).
    static func enumeration(_ json: SourceJSON, _ path: String, names: [String]) throws(OTLPDecodingError) -> Int {
        switch json.value {
        case .number(let text):
            if let value = Int32(text) { return Int(value) }
        case .string(let text):
            if let index = names.firstIndex(of: text) { return index }
            throw OTLPDecodingError(
                field: path,
                reason: "unknown value \"\(text)\"; expected a number or one of \(names.joined(separator: ", "))")
        default: break
        }
        throw OTLPDecodingError(field: path, reason: "expected an enum number or name, got \(json.typeName)")
    }

    /// Bytes written as base64 (standard or URL-safe alphabet, padded or not).
    static func base64(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> Data {
        var text = try string(json, path).replacingOccurrences(of: "-", with: "+").replacingOccurrences(
            of: "_", with: "/")
        while text.utf8.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else {
            throw OTLPDecodingError(field: path, reason: "expected base64")
        }
        return data
    }

    /// Bytes written as hex (trace and span ids; an empty string is no id).
    static func hexBytes(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> Data {
        let text = try string(json, path)
        guard let data = HexID.decode(text) else {
            throw OTLPDecodingError(
                field: path, reason: "expected hex digits (OTLP/JSON writes ids as hex), got \"\(text.prefix(40))\"")
        }
        return data
    }

    /// The elements of an array.
    static func array(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> [SourceJSON] {
        guard case .array(let elements) = json.value else {
            throw OTLPDecodingError(field: path, reason: "expected an array, got \(json.typeName)")
        }
        return elements
    }

    private static func integerText(_ json: SourceJSON, _ path: String) throws(OTLPDecodingError) -> String {
        switch json.value {
        case .number(let text): return text
        case .string(let text): return text
        default: throw OTLPDecodingError(field: path, reason: "expected an integer, got \(json.typeName)")
        }
    }

    /// The value of a number written with a fraction or exponent (`1e3`), if it is a whole number.
    private static func integral(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite, value.rounded(.towardZero) == value else { return nil }
        return value
    }
}
