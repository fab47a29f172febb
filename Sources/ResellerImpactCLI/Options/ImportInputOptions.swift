import ArgumentParser
import ImpactStore

/// What `import` and `run` read and how strictly.
struct ImportInputOptions: ParsableArguments {
    @Flag(name: .long, help: "Abort on the first rejected row (exit 65) instead of recording it.")
    var strict = false

    @Flag(name: .customLong("allow-shrink"), help: "Accept an export that leaves a kind of record with fewer than half the rows it has now.")
    var allowShrink = false

    @Argument(help: ArgumentHelp("Export files or folders.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one export file or folder") }
    }

    var importOptions: ImportOptions { ImportOptions(strict: strict, allowShrink: allowShrink) }
}
