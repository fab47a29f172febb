import Foundation

/// Runs the built `reseller-impact` binary, as a user or cron would.
public struct BinaryRunner: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The package's root folder (where Package.swift is).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The binary beside the test bundle (SwiftPM builds it with the tests).
    public static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("reseller-impact").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        for sub in [".build/debug/reseller-impact", ".build/release/reseller-impact"] {
            let candidate = packageRoot + "/" + sub
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        fatalError("reseller-impact binary not found near \(CommandLine.arguments[0])")
    }()

    /// Runs the binary with `arguments`. `wrapper` runs it through another program instead
    /// (`["/usr/bin/setpriv", "--reuid=65534", …]`), `fileSizeLimitKB` under `ulimit -f`.
    public static func run(_ arguments: [String], in directory: String? = nil, wrapper: [String] = [],
                           fileSizeLimitKB: Int? = nil) throws -> Result {
        let process = Process()
        var command = wrapper + [binary] + arguments
        if let limit = fileSizeLimitKB {
            // ulimit counts 1024-byte blocks in bash.
            command = ["/bin/bash", "-c", "ulimit -f \(limit) && exec \"$@\"", "bash"] + command
        }
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
