// Shared by every fuzz target (compiled into each target's copy of module ImpactImport by
// scripts/fuzz.sh; SwiftPM never sees the Fuzz/ folder).

import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the fuzzer with a message when an invariant does not hold: `abort()` is a deadly
/// signal to libFuzzer, which then saves the input under `-artifact_prefix`.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if condition() { return }
    fuzzLog("FUZZ INVARIANT BROKEN (\(file):\(line)): \(message())")
    abort()
}

/// Writes a line to standard error (`stderr` itself is a C global Swift 6 refuses).
func fuzzLog(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let count = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if count <= 0 { return }
            offset += count
        }
    }
}

/// One scratch file per fuzzer process, rewritten for every input (the readers under test
/// take a path). It lives in `$TMPDIR` (scripts/fuzz.sh points that into .build-fuzz/) and is
/// removed when the process exits normally.
enum FuzzScratchFile {
    static let path: String = {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/reseller-impact-fuzz-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            fuzzLog("fuzz: cannot create a scratch file in \(directory): \(String(cString: strerror(errno)))")
            abort()
        }
        close(fd)
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        atexit { FuzzScratchFile.removeAtExit() }
        return path
    }()

    private static func removeAtExit() {
        unlink(path)
    }

    /// Replaces the file's contents with `bytes` and returns its path.
    static func replaceContents(with bytes: UnsafeRawBufferPointer) -> String {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        fuzzCheck(fd >= 0, "cannot open \(path): \(String(cString: strerror(errno)))")
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = write(fd, bytes.baseAddress! + written, bytes.count - written)
            if count < 0 && errno == EINTR { continue }
            fuzzCheck(count > 0, "cannot write \(path): \(String(cString: strerror(errno)))")
            written += count
        }
        return path
    }
}

/// What must hold of every accepted record, whatever the input.
func fuzzCheckAccepted(_ record: AcceptedRecord, entity: Entity) {
    func trimmedNonEmpty(_ value: String) -> Bool { !value.isEmpty && value.trimmingWhitespace() == value }
    switch record {
    case .reseller(let r):
        fuzzCheck(entity == .reseller && trimmedNonEmpty(r.resellerID) && trimmedNonEmpty(r.name)
                  && trimmedNonEmpty(r.contactEmail) && !r.language.isEmpty, "accepted \(record)")
    case .customer(let c):
        fuzzCheck(entity == .customer && trimmedNonEmpty(c.customerID) && trimmedNonEmpty(c.resellerID)
                  && trimmedNonEmpty(c.name), "accepted \(record)")
    case .domain(let d):
        fuzzCheck(entity == .domain && !d.domain.isEmpty && trimmedNonEmpty(d.customerID), "accepted \(record)")
    case .mailbox(let m):
        let ats = m.address.utf8.filter { $0 == UInt8(ascii: "@") }.count
        fuzzCheck(entity == .mailbox && ats == 1 && m.address.hasSuffix("@" + m.domain)
                  && trimmedNonEmpty(m.cluster) && trimmedNonEmpty(m.volume), "accepted \(record)")
    }
}
