import Foundation
import ImpactAnalysis
import ImpactModel
import ImpactStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every affected, attributed mailbox, collected in one sequential scan of the mailbox index
/// and grouped by reseller: what the reseller lists and the export are written from. Reading
/// each index page once replaced one random probe per affected customer, which cost a 10M
/// report 30 s, most of it in system calls.
///
/// Memory stays flat whatever the incident's size, except for one reseller's own list. The
/// affected resellers (in the order of `impact.resellers`, which is the order callers ask for
/// them in) are cut into groups of about `groupRows` mailboxes, by the analysis's counts; a
/// reseller with more gets a group of its own, held whole. With one group, its rows stay in
/// memory. With more, the scan appends each group's rows to its own unlinked temporary file
/// (in `$TMPDIR`, else `/tmp`), and one group at a time is read back when a caller asks for
/// one of its resellers. A row is 14 bytes and the address (about 60 bytes in all with the
/// generator's addresses), plus 8 bytes of index and 16 of sort order while its reseller's
/// list is written. At 10M mailboxes, 1.7 million affected mailboxes held at once took 133
/// MB and a peak of 181 MB while the arrays grew; a group of 2^18 rows takes about 20 MB,
/// plus up to 128 KB of write buffer per group during the scan.
///
/// Not re-entrant: a caller's `body` or `write` must not ask the same lists for another
/// reseller (that could load another group under the rows being passed).
final class AffectedMailboxLists {
    /// Rows per group: about 16 MB of records with addresses of a typical length.
    static let defaultGroupRows = 1 << 18

    private let affected: [ResellerImpact]
    private let volumes: [VolumeID]
    /// Group g holds affected resellers `groupStarts[g]..<groupStarts[g + 1]`.
    private let groupStarts: [Int]
    private let groupOfReseller: [Int32]
    /// One per group when the rows were spilled; empty when the one group stayed in memory.
    private let spills: [SpillFile]
    private var loaded = Group()

    /// Number of groups (1: nothing was written to disk). For tests.
    var groupCount: Int { groupStarts.count - 1 }
    /// Bytes written to temporary files, and in how many writes. For tests.
    var spilled: (bytes: Int, writes: Int) { spills.reduce((0, 0)) { ($0.0 + $1.size, $0.1 + $1.writes) } }

    /// One group's rows as records, indexed by reseller.
    ///
    /// A record: reseller index (Int32), customer row (Int32), offline volume index (UInt16),
    /// address length (UInt32), the address's bytes; unaligned, in scan order.
    private struct Group {
        var index = -1
        var records: [UInt8] = []
        /// Record offsets grouped by reseller: `order[starts[i]..<starts[i + 1]]` for the
        /// group's i-th reseller.
        var order: [Int] = []
        var starts: [Int] = []
    }

    private static let headerSize = 14

    /// - Parameters:
    ///   - only: collect one affected reseller's mailboxes (an index into the affected
    ///     resellers), as a one-reseller export needs; nil for all.
    ///   - temporaryDirectory: where groups are spilled; `$TMPDIR`, else `/tmp`.
    init(store: ImpactStore, offline: OfflineVolumeSet, impact: IncidentImpact, only: Int? = nil,
         groupRows: Int = AffectedMailboxLists.defaultGroupRows, temporaryDirectory: String? = nil) throws {
        precondition(groupRows > 0)
        affected = impact.resellers.filter { $0.status != .none }
        volumes = offline.volumes
        // Cut the resellers into groups by their affected mailboxes; one bigger than a group
        // gets a group of its own.
        var starts = [0]
        var groupOf = [Int32](repeating: 0, count: affected.count)
        var rows = 0
        let wanted = { (i: Int) in only == nil || only == i }
        for (i, reseller) in affected.enumerated() {
            let count = wanted(i) ? reseller.affectedMailboxes : 0
            if rows > 0 && count > 0 && rows + count > groupRows {
                starts.append(i)
                rows = 0
            }
            rows += count
            groupOf[i] = Int32(starts.count - 1)
        }
        starts.append(affected.count)
        groupStarts = starts
        groupOfReseller = groupOf
        let groups = starts.count - 1

        var resellerOf = [Int32](repeating: -1, count: impact.maxAffectedCustomerRow + 1)
        for (i, reseller) in affected.enumerated() where wanted(i) {
            for row in impact.affectedCustomerRows(of: reseller) { resellerOf[Int(row)] = Int32(i) }
        }
        let volumeIndexOf = Dictionary(uniqueKeysWithValues: offline.volumeIDs.enumerated().map { ($1, UInt16($0)) })
        let files = groups > 1
            ? try (0..<groups).map { _ in try SpillFile(directory: temporaryDirectory ?? Self.defaultTemporaryDirectory) }
            : []
        spills = files
        let spilling = !files.isEmpty
        var buffers = [[UInt8]](repeating: [], count: groups)
        if !spilling {
            // The one group's rows (`rows`, counted above) with room for addresses of up to
            // 56 bytes on average: no regrowth for typical ones.
            buffers[0].reserveCapacity(rows * (Self.headerSize + 56))
        }
        let flushSize = 1 << 16
        try store.scanMailboxes(onVolumes: offline.volumeIDs) { address, volumeID, customer in
            guard customer > 0, Int(customer) < resellerOf.count else { return }
            let reseller = resellerOf[Int(customer)]
            guard reseller >= 0 else { return }
            let g = Int(groupOf[Int(reseller)])
            Self.appendRecord(to: &buffers[g], reseller: reseller, customer: customer,
                              volume: volumeIndexOf[volumeID]!, address: address)
            if spilling && buffers[g].count >= flushSize {
                try files[g].append(buffers[g])
                buffers[g].removeAll(keepingCapacity: true)
            }
        }
        if spilling {
            for g in 0..<groups where !buffers[g].isEmpty { try files[g].append(buffers[g]) }
        } else {
            loaded = Self.index(buffers[0], group: 0, firstReseller: 0, resellers: affected.count)
        }
    }

    private static var defaultTemporaryDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["TMPDIR"], !dir.isEmpty { return dir }
        return "/tmp"
    }

    private static func appendRecord(to records: inout [UInt8], reseller: Int32, customer: Int32, volume: UInt16,
                                     address: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: reseller.littleEndian) { records.append(contentsOf: $0) }
        withUnsafeBytes(of: customer.littleEndian) { records.append(contentsOf: $0) }
        withUnsafeBytes(of: volume.littleEndian) { records.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(address.count).littleEndian) { records.append(contentsOf: $0) }
        records.append(contentsOf: address)
    }

    /// A group's records indexed by reseller: a counting sort of the record offsets, in two
    /// walks over the records (no per-row arrays besides the result).
    private static func index(_ records: [UInt8], group: Int, firstReseller: Int, resellers: Int) -> Group {
        var starts = [Int](repeating: 0, count: resellers + 1)
        var order: [Int] = []
        records.withUnsafeBytes { bytes in
            func forEachRecord(_ body: (_ offset: Int, _ reseller: Int) -> Void) {
                var at = 0
                while at < bytes.count {
                    body(at, Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self))) - firstReseller)
                    at += headerSize + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 10, as: UInt32.self)))
                }
            }
            forEachRecord { _, r in starts[r + 1] += 1 }
            for i in 0..<resellers { starts[i + 1] += starts[i] }
            var fill = starts
            order = [Int](repeating: 0, count: starts[resellers])
            forEachRecord { offset, r in
                order[fill[r]] = offset
                fill[r] += 1
            }
        }
        return Group(index: group, records: records, order: order, starts: starts)
    }

    /// Makes the group of affected reseller `index` the loaded one; returns the reseller's
    /// position in it.
    private func load(resellerAt index: Int) throws -> Int {
        let g = Int(groupOfReseller[index])
        if loaded.index != g {
            loaded = Group()  // the old group's memory goes before the new one's is read
            let first = groupStarts[g]
            loaded = Self.index(try spills[g].readAll(), group: g, firstReseller: first, resellers: groupStarts[g + 1] - first)
        }
        return index - groupStarts[g]
    }

    private struct Record {
        var customer: Int32
        var volume: Int
        var address: UnsafeRawBufferPointer
    }

    private static func record(at offset: Int, in bytes: UnsafeRawBufferPointer) -> Record {
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 10, as: UInt32.self)))
        return Record(customer: Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self)),
                      volume: Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt16.self))),
                      address: UnsafeRawBufferPointer(rebasing: bytes[offset + headerSize..<offset + headerSize + length]))
    }

    /// The reseller's records (offsets into the loaded group) with the rank of their customer
    /// in `customers`, ordered as the lists are: by that rank, then address (UTF-8 bytes).
    /// Each record's rank is looked up once, before the sort: two dictionary lookups per
    /// comparison were a tenth of a 10M report's time.
    private func sortedRecords(ofResellerAt index: Int, customers: [CustomerImpact]) throws -> [(rank: Int, offset: Int)] {
        let position = try load(resellerAt: index)
        var rank: [Int32: Int] = [:]
        rank.reserveCapacity(customers.count)
        for (i, c) in customers.enumerated() { rank[Int32(c.row)] = i }
        let mine = loaded.order[loaded.starts[position]..<loaded.starts[position + 1]]
        return loaded.records.withUnsafeBytes { bytes in
            // Every record's customer is one of `customers` (the analysis listed both).
            var keyed = mine.map { offset in (rank: rank[Self.record(at: offset, in: bytes).customer]!, offset: offset) }
            keyed.sort { a, b in
                if a.rank != b.rank { return a.rank < b.rank }
                return Self.record(at: a.offset, in: bytes).address.lexicographicallyPrecedes(Self.record(at: b.offset, in: bytes).address)
            }
            return keyed
        }
    }

    /// Where the domain of a stored address starts: after its '@' (the importer stores only
    /// addresses with exactly one), by byte, as the store's `substr`/`instr` derive it; nil
    /// without one.
    private static func domainStart(_ address: UnsafeRawBufferPointer) -> Int? {
        address.firstIndex(of: UInt8(ascii: "@")).map { $0 + 1 }
    }

    /// Affected reseller `index`'s rows (of `affected`, sorted by id), sorted by customer id
    /// and address, given its affected customers sorted by id.
    func forEachRow(ofResellerAt index: Int, customers: [CustomerImpact], _ body: (AffectedMailboxRow) throws -> Void) throws {
        let reseller = affected[index]
        for (rank, offset) in try sortedRecords(ofResellerAt: index, customers: customers) {
            let (c, volume, text, domain) = loaded.records.withUnsafeBytes { bytes -> (CustomerImpact, VolumeID, String, String) in
                let record = Self.record(at: offset, in: bytes)
                let domain = Self.domainStart(record.address).map { String(decoding: record.address[$0...], as: UTF8.self) } ?? ""
                return (customers[rank], volumes[record.volume],
                        String(decoding: record.address, as: UTF8.self), domain)
            }
            try body(AffectedMailboxRow(address: text, cluster: volume.cluster, volume: volume.volume, domain: domain,
                                        customerID: c.customerID, customerName: c.name,
                                        resellerID: reseller.reseller.resellerID, resellerName: reseller.reseller.name))
        }
    }

    /// The reseller's list as CSV lines without a header: for every row `forEachRow` passes,
    /// the bytes of `AffectedMailboxExport.render(row, format: .csv)`, handed to `write` about
    /// 64 KB at a time. Cells of the customer, reseller and volume columns are made once, not
    /// per row; at 10M mailboxes a report's lists are 1.7 million rows, and a String per cell
    /// made them a third of the report's time. A test compares the two. Addresses are copied
    /// as stored: the importer stores valid UTF-8 only, which `String(decoding:)` in
    /// `forEachRow` keeps as it is.
    func writeCSV(ofResellerAt index: Int, customers: [CustomerImpact], _ write: ([UInt8]) throws -> Void) throws {
        let reseller = affected[index]
        let mine = try sortedRecords(ofResellerAt: index, customers: customers)
        func cell(_ text: String) -> [UInt8] {
            var out: [UInt8] = []
            CSVOutput.appendCell(text, to: &out)
            return out
        }
        // ",customer_id,customer_name,reseller_id,reseller_name\n" per customer.
        let resellerTail = [UInt8(ascii: ",")] + cell(reseller.reseller.resellerID) + [UInt8(ascii: ",")]
            + cell(reseller.reseller.name) + [UInt8(ascii: "\n")]
        var customerTails: [[UInt8]?] = Array(repeating: nil, count: customers.count)
        // ",cluster,volume," per offline volume.
        let volumeCells = volumes.map { [UInt8(ascii: ",")] + cell($0.cluster) + [UInt8(ascii: ",")] + cell($0.volume) + [UInt8(ascii: ",")] }
        var out: [UInt8] = []
        out.reserveCapacity((1 << 16) + 1024)
        try loaded.records.withUnsafeBytes { bytes in
            for (r, offset) in mine {
                let record = Self.record(at: offset, in: bytes)
                if customerTails[r] == nil {
                    customerTails[r] = [UInt8(ascii: ",")] + cell(customers[r].customerID) + [UInt8(ascii: ",")]
                        + cell(customers[r].name) + resellerTail
                }
                CSVOutput.appendCell(record.address, to: &out)
                out.append(contentsOf: volumeCells[record.volume])
                if let domain = Self.domainStart(record.address) {
                    CSVOutput.appendCell(UnsafeRawBufferPointer(rebasing: record.address[domain...]), to: &out)
                }
                out.append(contentsOf: customerTails[r]!)
                if out.count >= 1 << 16 {
                    try write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        if !out.isEmpty { try write(out) }
    }
}

/// A temporary file nobody else can open: created in `directory` and unlinked at once, so
/// that it goes away with the process however that ends. Appended to, then read back whole.
private final class SpillFile {
    private let fd: Int32
    private let directory: String
    private(set) var size = 0
    private(set) var writes = 0

    /// - Throws: `ReportError(.io)`.
    init(directory: String) throws {
        self.directory = directory
        var template = Array((directory + "/reseller-impact-lists-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Self.error("create", directory) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit { close(fd) }

    private static func error(_ verb: String, _ directory: String) -> ReportError {
        ReportError(.io, "cannot \(verb) a temporary file in \(directory) (set TMPDIR to a folder with room): \(String(cString: strerror(errno)))")
    }

    /// Only this object writes `fd`, so its offset is the end; `readAll` reads by position.
    func append(_ bytes: [UInt8]) throws {
        guard writeFully(fd, bytes) else { throw Self.error("write", directory) }
        size += bytes.count
        writes += 1
    }

    func readAll() throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.error("read", directory)
                }
                if n == 0 { throw ReportError(.io, "a temporary file in \(directory) was cut short") }
                done += n
            }
            count = size
        }
    }
}
