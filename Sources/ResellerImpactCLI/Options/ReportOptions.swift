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
        for entry in expectedBack { _ = try Self.parseExpectedBack(entry, source: "--expected-back") }
    }

    /// `CLUSTER/VOLUME=TEXT`.
    static func parseExpectedBack(_ entry: String, source: String) throws -> (VolumeID, String) {
        guard let eq = entry.firstIndex(of: "="), let volume = VolumeID(parsing: entry[..<eq]),
              !entry[entry.index(after: eq)...].trimmingWhitespace().isEmpty else {
            throw ValidationError("\(source) takes CLUSTER/VOLUME=TEXT, not '\(entry)'")
        }
        return (volume, entry[entry.index(after: eq)...].trimmingWhitespace())
    }

    func parsedMode() throws -> mode_t {
        guard let value = UInt32(mode, radix: 8), value <= 0o777, value & 0o600 == 0o600 else {
            throw ValidationError("--mode must be an octal file mode like 600 or 640 that lets the owner read and write")
        }
        return mode_t(value)
    }

    /// The expected-back times, from the flags and the file, each for an offline volume.
    /// - Throws: `ReportError(.io)` when the file cannot be read, `ReportError(.usage)` for
    ///   an entry that is malformed or names a volume that is not offline (a typo would
    ///   silently drop the time from the drafts).
    func parsedExpectedBack(offline: Set<VolumeID>) throws -> [VolumeID: String] {
        var entries = expectedBack.map { ($0, "--expected-back") }
        if let expectedBackFile {
            let text: String
            do { text = try TextFile.read(expectedBackFile) } catch let error as TextFile.ReadError {
                throw ReportError(.io, "cannot read expected-back file \(expectedBackFile): \(error.reason)")
            }
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let entry = line.trimmingWhitespace()
                if !entry.isEmpty && !entry.hasPrefix("#") { entries.append((entry, "\(expectedBackFile):\(number + 1)")) }
            }
        }
        var result: [VolumeID: String] = [:]
        for (entry, source) in entries {
            let parsed: (VolumeID, String)
            do { parsed = try Self.parseExpectedBack(entry, source: source == "--expected-back" ? source : source + ":") } catch let error as ValidationError {
                throw ReportError(.usage, error.message)
            }
            guard offline.contains(parsed.0) else {
                // A flag names a volume on purpose: a typo must not drop the time silently. A
                // file is kept for the whole incident and lists volumes already back.
                if source == "--expected-back" {
                    throw ReportError(.usage, "\(source): \(parsed.0) is not among the offline volumes (\(offline.sorted().map(\.description).joined(separator: ", ")))")
                }
                Console.note("\(source): \(parsed.0) is not offline now; its time is not used")
                continue
            }
            result[parsed.0] = parsed.1
        }
        return result
    }

    func settings(offline: Set<VolumeID>) throws -> ReportWriter.Settings {
        ReportWriter.Settings(sender: sender, expectedBack: try parsedExpectedBack(offline: offline), fileMode: try parsedMode())
    }
}
