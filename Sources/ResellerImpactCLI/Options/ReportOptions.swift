import ArgumentParser
import Foundation
import ImpactModel
import ImpactReports

/// How drafts are written.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The output folder (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("A folder of .mustache files replacing the built-in templates (draft, draft.<language>, summary).", valueName: "dir"))
    var templates: String?

    @Option(name: .long, help: ArgumentHelp("Who signs the drafts.", valueName: "text"))
    var sender: String = "Your mail platform support team"

    @Option(name: .customLong("expected-back"), help: ArgumentHelp("When a volume is expected back, as CLUSTER/VOLUME=TEXT (\"A/vol03=today 14:00 UTC\"); repeatable.", valueName: "volume=text"))
    var expectedBack: [String] = []

    @Option(name: .customLong("expected-back-file"), help: ArgumentHelp("A file of CLUSTER/VOLUME=TEXT lines, as --expected-back; lines starting with # are ignored.", valueName: "file"))
    var expectedBackFile: String?

    @Option(name: .long, help: ArgumentHelp("File mode of written files, octal; folders get the matching search bits.", valueName: "octal"))
    var mode: String = "600"

    func validate() throws {
        _ = try parsedMode()
        _ = try parsedExpectedBack()
    }

    func parsedMode() throws -> mode_t {
        guard let value = UInt32(mode, radix: 8), value <= 0o777, value & 0o600 == 0o600 else {
            throw ValidationError("--mode must be an octal file mode like 600 or 640 that lets the owner read and write")
        }
        return mode_t(value)
    }

    func parsedExpectedBack() throws -> [VolumeID: String] {
        var result: [VolumeID: String] = [:]
        var entries = expectedBack
        if let expectedBackFile {
            guard let data = FileManager.default.contents(atPath: expectedBackFile), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read --expected-back-file \(expectedBackFile) as UTF-8 text")
            }
            entries += text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        for entry in entries {
            guard let eq = entry.firstIndex(of: "="), let volume = VolumeID(parsing: entry[..<eq]),
                  !entry[entry.index(after: eq)...].trimmingWhitespace().isEmpty else {
                throw ValidationError("--expected-back takes CLUSTER/VOLUME=TEXT, not '\(entry)'")
            }
            result[volume] = entry[entry.index(after: eq)...].trimmingWhitespace()
        }
        return result
    }

    func settings() throws -> ReportWriter.Settings {
        ReportWriter.Settings(sender: sender, expectedBack: try parsedExpectedBack(), fileMode: try parsedMode())
    }
}
