import ImpactAnalysis
import ImpactModel
import ImpactStore

/// Every affected, attributed mailbox, collected in one sequential scan of the mailbox index
/// and grouped by reseller: what the reseller lists and the export are written from.
///
/// Memory: about 20 bytes plus the address per affected mailbox (roughly 90 MB for the
/// 1.7 million affected mailboxes of a 10M-mailbox incident). Reading each index page once
/// replaced one random probe per affected customer, which cost a 10M report 30 s, most of it
/// in system calls.
struct AffectedMailboxLists {
    private let affected: [ResellerImpact]
    private let volumes: [VolumeID]
    private var customerRow: [Int32] = []
    private var volumeIndex: [UInt16] = []
    private var addressStart: [UInt32] = []
    private var addressLength: [UInt32] = []
    private var arena: [UInt8] = []
    /// Mailbox indices grouped by reseller; `starts[i]..<starts[i + 1]` for affected reseller i.
    private var order: [Int32] = []
    private var starts: [Int] = []

    init(store: ImpactStore, offline: OfflineVolumeSet, impact: IncidentImpact) throws {
        affected = impact.resellers.filter { $0.status != .none }
        volumes = offline.volumes
        var resellerOf = [Int32](repeating: -1, count: impact.maxAffectedCustomerRow + 1)
        for (i, reseller) in affected.enumerated() {
            for row in impact.affectedCustomerRows(of: reseller) { resellerOf[Int(row)] = Int32(i) }
        }
        let volumeIndexOf = Dictionary(uniqueKeysWithValues: offline.volumeIDs.enumerated().map { ($1, UInt16($0)) })
        var resellerIndex: [Int32] = []
        try store.scanMailboxes(onVolumes: offline.volumeIDs) { address, volumeID, customer in
            guard customer > 0, Int(customer) < resellerOf.count, resellerOf[Int(customer)] >= 0 else { return }
            resellerIndex.append(resellerOf[Int(customer)])
            customerRow.append(customer)
            volumeIndex.append(volumeIndexOf[volumeID]!)
            addressStart.append(UInt32(arena.count))
            addressLength.append(UInt32(address.count))
            arena.append(contentsOf: address)
        }
        // Group by reseller: a counting sort.
        starts = [Int](repeating: 0, count: affected.count + 1)
        for r in resellerIndex { starts[Int(r) + 1] += 1 }
        for i in 0..<affected.count { starts[i + 1] += starts[i] }
        var fill = starts
        order = [Int32](repeating: 0, count: resellerIndex.count)
        for (i, r) in resellerIndex.enumerated() {
            order[fill[Int(r)]] = Int32(i)
            fill[Int(r)] += 1
        }
    }

    /// The reseller's mailboxes (positions into the arrays above), ordered as the lists are:
    /// by the rank of their customer in `customers`, then address (UTF-8 bytes); with that rank
    /// by customer row.
    private func sortedRows(ofResellerAt index: Int, customers: [CustomerImpact]) -> (rows: [Int32], rank: [Int32: Int]) {
        var rank: [Int32: Int] = [:]
        rank.reserveCapacity(customers.count)
        for (i, c) in customers.enumerated() { rank[Int32(c.row)] = i }
        var mine = Array(order[starts[index]..<starts[index + 1]])
        arena.withUnsafeBytes { bytes in
            func address(_ m: Int32) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: bytes[Int(addressStart[Int(m)])..<Int(addressStart[Int(m)] + addressLength[Int(m)])])
            }
            mine.sort { a, b in
                let ra = rank[customerRow[Int(a)]] ?? Int.max, rb = rank[customerRow[Int(b)]] ?? Int.max
                if ra != rb { return ra < rb }
                return address(a).lexicographicallyPrecedes(address(b))
            }
        }
        return (mine, rank)
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
        let (mine, rank) = sortedRows(ofResellerAt: index, customers: customers)
        for m in mine {
            let c: CustomerImpact = customers[rank[customerRow[Int(m)]]!]
            let start = Int(addressStart[Int(m)])
            let end = start + Int(addressLength[Int(m)])
            let (text, domain) = arena.withUnsafeBytes { bytes -> (String, String) in
                let address = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                let domain = Self.domainStart(address).map { String(decoding: address[$0...], as: UTF8.self) } ?? ""
                return (String(decoding: address, as: UTF8.self), domain)
            }
            let volume: VolumeID = volumes[Int(volumeIndex[Int(m)])]
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
        let (mine, rank) = sortedRows(ofResellerAt: index, customers: customers)
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
        try arena.withUnsafeBytes { bytes in
            for m in mine {
                let r = rank[customerRow[Int(m)]]!
                if customerTails[r] == nil {
                    customerTails[r] = [UInt8(ascii: ",")] + cell(customers[r].customerID) + [UInt8(ascii: ",")]
                        + cell(customers[r].name) + resellerTail
                }
                let start = Int(addressStart[Int(m)])
                let address = UnsafeRawBufferPointer(rebasing: bytes[start..<start + Int(addressLength[Int(m)])])
                CSVOutput.appendCell(address, to: &out)
                out.append(contentsOf: volumeCells[Int(volumeIndex[Int(m)])])
                if let domain = Self.domainStart(address) {
                    CSVOutput.appendCell(UnsafeRawBufferPointer(rebasing: address[domain...]), to: &out)
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
