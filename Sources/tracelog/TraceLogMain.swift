// The `tracelog` executable: all logic lives in the TraceLogCLI library.
import TraceLogCLI

@main
enum TraceLogMain {
    static func main() async {
        await TraceLogCommand.main()
    }
}
