import ArgumentParser
import TraceLog
import TraceLogStorage

/// `--allow-damaged`: answer from the readable records when damaged data may hide part of the answer, with a
/// warning per damaged region on stderr (and a `damage` member in JSON output). Without it such a query fails
/// with exit status 1, naming each damaged segment and offset.
struct DamageOption: ParsableArguments {
    @Flag(
        name: .customLong("allow-damaged"),
        help: "When damaged data may hide part of the answer, answer from what is readable and warn on stderr.")
    var allowDamaged = false

    /// The library's policy for this flag.
    var policy: DamagePolicy { allowDamaged ? .allow : .fail }

    /// Prints the library's warning line for each region on stderr.
    func warn(_ damage: [DamagedRegion]) {
        for line in damage.map(\.warning) { printError(line) }
    }
}
