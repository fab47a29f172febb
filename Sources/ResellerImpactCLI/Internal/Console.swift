import Foundation

/// Messages for people go to standard error; results to standard output.
enum Console {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func result(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func result(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!), count: $0.count, deallocator: .none)) }
    }
}
