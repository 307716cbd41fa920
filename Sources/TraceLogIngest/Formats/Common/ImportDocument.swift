/// What the document importers (Stroma, StackStorm) share: a whole JSON document read as an array, element by
/// element, with its JSON errors reported for the input and ahead of any element's own error.
enum ImportDocument {
    /// Converts each element of `json`, in order, when the document is an array; returns false (converting
    /// nothing) when it is not, for the caller to say what it is with ``parse(_:format:maximumDepth:)``.
    ///
    /// Each element's tree is built, converted and dropped in turn (``SourceJSONParser/forEachElement(of:maximumDepth:buildDepth:_:)``),
    /// so memory holds what `convert` keeps, not the document's tree. After an element fails, no more are
    /// converted, but the rest of the document is still checked: invalid JSON anywhere is what the document is
    /// rejected for (`input: line L, column C: …`), else the first element's error is.
    static func forEachElement(
        of json: [UInt8], format: IngestFormat, maximumDepth: Int = 256, buildDepth: Int = .max,
        _ convert: (_ index: Int, _ element: SourceJSON) throws(ImportError) -> Void
    ) throws(ImportError) -> Bool {
        var elementError: ImportError?
        let isArray: Bool
        do {
            isArray = try SourceJSONParser.forEachElement(of: json, maximumDepth: maximumDepth, buildDepth: buildDepth)
            { index, element in
                do throws(ImportError) {
                    try convert(index, element)
                    return true
                } catch {
                    elementError = error
                    return false
                }
            }
        } catch {
            throw ImportError(format: format, location: .input, reason: error.located(in: json))
        }
        if let elementError { throw elementError }
        return isArray
    }

    /// The whole document's tree; its JSON errors reported for the input.
    static func parse(_ json: [UInt8], format: IngestFormat, maximumDepth: Int = 256) throws(ImportError)
        -> SourceJSON
    {
        do {
            return try SourceJSONParser.parse(json, maximumDepth: maximumDepth)
        } catch {
            throw ImportError(format: format, location: .input, reason: error.located(in: json))
        }
    }
}
