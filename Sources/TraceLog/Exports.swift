// An embedder writes `import TraceLog` and nothing else: the storage types its public API uses (TraceID, Record
// bodies, LogOptions, LogError, Timestamp, …) come with it.
@_exported public import TraceLogStorage
