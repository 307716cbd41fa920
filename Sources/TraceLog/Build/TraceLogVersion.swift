/// The version of this build of TraceLog (`tracelog --version`, the `tracelog_build_info` metric).
///
/// Raised with each release; the on-disk format has its own version (see the on-disk format article).
public enum TraceLogVersion {
    /// The release version, semantic versioning.
    public static let current = "0.6.0"
}
