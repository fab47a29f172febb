import ImpactModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a synthetic export set in the contract's formats, for benchmarks and scale tests.
///
/// ```swift
/// let summary = try SyntheticExportWriter(dataSet).write(to: "bench/") { file in
///     print("wrote \(file.path): \(file.totalRows) rows")
/// }
/// ```
///
/// Streaming, with memory flat at any size: no mailbox, address or customer is kept. Every name
/// is derived from its index and the seed (so a duplicate can repeat an earlier one by deriving
/// it again), counts come from `SkewedAllocation` in order, and files go out through 1 MiB
/// buffers. Two passes over the customers: the reseller export first, then the mailboxes.
/// Time is linear in the number of rows; memory is O(clusters × volumes).
public struct SyntheticExportWriter: Sendable {
    public let dataSet: SyntheticDataSet

    /// The name of the file listing offline volumes for `analyze --offline-file`.
    public static let offlineFileName = "offline.txt"

    public init(_ dataSet: SyntheticDataSet) {
        self.dataSet = dataSet
    }

    /// The export files for `dataSet`, in the order a directory import reads them (by name):
    /// the reseller side before the mailboxes.
    public static func fileNames(for dataSet: SyntheticDataSet) -> [String] {
        switch dataSet.format {
        case .csv: ["1-resellers.csv", "2-customers.csv", "3-domains.csv", "4-mailboxes.csv"]
        case .xml: ["1-resellers.xml"] + dataSet.clusters.map { "2-mailboxes-\($0).xml" }
        case .mixed: ["1-resellers.xml", "2-mailboxes.csv"]
        }
    }

    /// Creates `directory` (and its parents) if needed and writes the export files and
    /// `offline.txt` into it, replacing earlier files of the same names.
    ///
    /// - Parameters:
    ///   - directory: the output folder.
    ///   - progress: called once per export file, after it is complete.
    /// - Returns: what was written.
    /// - Throws: `GenerateError(.io)` naming the file and the system's reason when a folder or
    ///   file cannot be created or written; `GenerateError(.usage)` when the folder already holds
    ///   other `.csv`, `.tsv` or `.xml` files, which a directory import would read too.
    public func write(to directory: String,
                      progress: (SyntheticExportSummary.File) -> Void = { _ in }) throws(GenerateError) -> SyntheticExportSummary {
        let fileNames = Self.fileNames(for: dataSet)
        try FolderAccess.createDirectory(directory)
        let strangers = try FolderAccess.exportFiles(in: directory).filter { !fileNames.contains($0) }
        if !strangers.isEmpty {
            let listed = strangers.sorted().prefix(5).joined(separator: ", ") + (strangers.count > 5 ? ", …" : "")
            throw GenerateError(.usage, "\(directory) already holds other exports (\(listed)); a directory import would read them too: use an empty folder or remove them")
        }
        return try withoutActuallyEscaping(progress) { (progress) throws(GenerateError) in
            let run = ExportRun(dataSet: dataSet, directory: directory, progress: progress)
            try run.writeResellerExport()
            try run.writeMailboxExport()
            try run.writeOfflineFile()
            return run.summary
        }
    }
}

/// One run of the writer: the derived names, the two skewed allocations, the dirt generators
/// and what has been written so far.
private final class ExportRun {
    let dataSet: SyntheticDataSet
    let directory: String
    let progress: (SyntheticExportSummary.File) -> Void
    let names: SyntheticNames
    let dirtThreshold: UInt64
    let isCSVMailboxes: Bool
    var summary: SyntheticExportSummary
    /// Which volumes of the first cluster hold at least one accepted mailbox.
    var firstClusterVolumesUsed: [Bool]

    init(dataSet: SyntheticDataSet, directory: String, progress: @escaping (SyntheticExportSummary.File) -> Void) {
        self.dataSet = dataSet
        self.directory = directory
        self.progress = progress
        names = SyntheticNames(seed: dataSet.seed, resellers: dataSet.resellers, customers: dataSet.customers)
        dirtThreshold = SplitMix64.threshold(rate: dataSet.dirtyRate)
        isCSVMailboxes = dataSet.format != .xml
        summary = SyntheticExportSummary(directory: directory, files: [], problems: [:],
                                         offlineFile: Self.join(directory, SyntheticExportWriter.offlineFileName),
                                         offlineVolumes: [])
        firstClusterVolumesUsed = Array(repeating: false, count: dataSet.volumesPerCluster)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    func path(_ name: String) -> String { Self.join(directory, name) }

    /// Draws whether this row is dirty and, if so, which of `options` it carries.
    func pickProblem(_ rng: inout SplitMix64, _ options: [SyntheticDataProblem]) -> SyntheticDataProblem? {
        guard dirtThreshold > 0, SplitMix64.chance(rng.next(), threshold: dirtThreshold) else { return nil }
        return options[rng.next(below: options.count)]
    }

    func count(_ problem: SyntheticDataProblem?, in file: inout SyntheticExportSummary.File) {
        guard let problem else { return }
        summary.problems[problem, default: 0] += 1
        file.problemRows += 1
    }

    func finish(_ writer: BufferedFileWriter, _ file: inout SyntheticExportSummary.File) throws(GenerateError) {
        file.bytes = writer.bytesWritten
        try writer.close()
        summary.files.append(file)
        progress(file)
    }

    static func newFile(_ path: String, _ name: String) -> SyntheticExportSummary.File {
        SyntheticExportSummary.File(path: path, name: name, rows: [:], problemRows: 0, bytes: 0)
    }

    // MARK: Reseller export (resellers, customers, domains)

    func writeResellerExport() throws(GenerateError) {
        let allocation = SkewedAllocation(total: dataSet.customers, owners: dataSet.resellers, minimumEach: 1,
                                          seed: dataSet.seed, stream: .resellerWeight, tail: .heavy)
        var resellerDirt = SplitMix64(seed: dataSet.seed, stream: .resellerDirt)
        var customerDirt = SplitMix64(seed: dataSet.seed, stream: .customerDirt)
        var domainDirt = SplitMix64(seed: dataSet.seed, stream: .domainDirt)
        var cursor = SkewedAllocation.Cursor()
        var customer = 0

        if dataSet.format == .csv {
            let names = SyntheticExportWriter.fileNames(for: dataSet)
            let resellers = try BufferedFileWriter(path: path(names[0]))
            let customers = try BufferedFileWriter(path: path(names[1]))
            let domains = try BufferedFileWriter(path: path(names[2]))
            var resellerFile = Self.newFile(resellers.path, names[0])
            var customerFile = Self.newFile(customers.path, names[1])
            var domainFile = Self.newFile(domains.path, names[2])
            try resellers.append("reseller_id,name,contact_email,contact_name,language\n")
            try customers.append("customer_id,reseller_id,name,contact_email\n")
            try domains.append("domain,customer_id\n")
            for reseller in 0..<dataSet.resellers {
                let customerCount = cursor.next(in: allocation)
                count(try writeResellerCSV(reseller, resellers, &resellerDirt), in: &resellerFile)
                for _ in 0..<customerCount {
                    let stem = self.names.customerDomainStem(customer)
                    count(try writeCustomerCSV(customer, reseller: reseller, stem: stem, customers, &customerDirt), in: &customerFile)
                    let domainCount = self.names.domainCount(customer)
                    for ordinal in 0..<domainCount {
                        count(try writeDomainCSV(customer, ordinal: ordinal, stem: stem, domains, &domainDirt), in: &domainFile)
                    }
                    domainFile.rows[.domain, default: 0] += domainCount
                    customer += 1
                }
                customerFile.rows[.customer, default: 0] += customerCount
            }
            resellerFile.rows[.reseller] = dataSet.resellers
            try finish(resellers, &resellerFile)
            try finish(customers, &customerFile)
            try finish(domains, &domainFile)
        } else {
            let name = SyntheticExportWriter.fileNames(for: dataSet)[0]
            let out = try BufferedFileWriter(path: path(name))
            var file = Self.newFile(out.path, name)
            try out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            try out.append("<!-- Synthetic reseller export (reseller-impact generate, seed \(dataSet.seed)): resellers with their customers and customers' domains. -->\n")
            try out.append("<resellers>\n")
            var domainRows = 0
            for reseller in 0..<dataSet.resellers {
                let customerCount = cursor.next(in: allocation)
                count(try openResellerXML(reseller, out, &resellerDirt), in: &file)
                for _ in 0..<customerCount {
                    let stem = self.names.customerDomainStem(customer)
                    count(try openCustomerXML(customer, stem: stem, out, &customerDirt), in: &file)
                    let domainCount = self.names.domainCount(customer)
                    for ordinal in 0..<domainCount {
                        count(try writeDomainXML(customer, ordinal: ordinal, stem: stem, out, &domainDirt), in: &file)
                    }
                    domainRows += domainCount
                    try out.append("    </customer>\n")
                    customer += 1
                }
                try out.append("  </reseller>\n")
            }
            try out.append("</resellers>\n")
            file.rows = [.reseller: dataSet.resellers, .customer: dataSet.customers, .domain: domainRows]
            try finish(out, &file)
        }
    }

    private func writeResellerCSV(_ index: Int, _ out: BufferedFileWriter, _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField, .wrongFieldCount])
        if problem == .duplicateKey && index == 0 { problem = .missingField }
        let variant = problem == nil ? 0 : dirt.next(below: 2)
        try out.append(problem == .duplicateKey ? names.resellerID(dirt.next(below: index)) : names.resellerID(index))
        try out.append(UInt8(ascii: ","))
        if !(problem == .missingField && variant == 0) { try out.appendCSVField(names.resellerName(index)) }
        try out.append(UInt8(ascii: ","))
        if !(problem == .missingField && variant == 1) { try out.append(names.resellerContactEmail(index)) }
        try out.append(UInt8(ascii: ","))
        try out.appendCSVField(names.resellerContactName(index))
        if !(problem == .wrongFieldCount && variant == 0) {
            try out.append(UInt8(ascii: ","))
            try out.append(names.resellerLanguage(index))
        }
        if problem == .wrongFieldCount && variant == 1 { try out.append(",unexpected") }
        try out.append(UInt8(ascii: "\n"))
        return problem
    }

    private func writeCustomerCSV(_ index: Int, reseller: Int, stem: [UInt8], _ out: BufferedFileWriter,
                                  _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField, .unknownReseller, .wrongFieldCount])
        if problem == .duplicateKey && index == 0 { problem = .missingField }
        let variant = problem == nil ? 0 : dirt.next(below: 2)
        try out.append(problem == .duplicateKey ? names.customerID(dirt.next(below: index)) : names.customerID(index))
        try out.append(UInt8(ascii: ","))
        if problem == .unknownReseller {
            try out.append(names.resellerID(dataSet.resellers + dirt.next(below: dataSet.resellers)))
        } else if !(problem == .missingField && variant == 0) {
            try out.append(names.resellerID(reseller))
        }
        try out.append(UInt8(ascii: ","))
        if !(problem == .missingField && variant == 1) { try out.appendCSVField(names.customerName(index)) }
        if !(problem == .wrongFieldCount && variant == 0) {
            try out.append(UInt8(ascii: ","))
            try out.append(names.customerContactEmail(index, firstDomain: SyntheticNames.domain(stem: stem, ordinal: 0)))
        }
        if problem == .wrongFieldCount && variant == 1 { try out.append(",unexpected") }
        try out.append(UInt8(ascii: "\n"))
        return problem
    }

    /// The domain text of a row, or a problem's replacement for it (`nil`: leave it out).
    private func domainText(_ customer: Int, ordinal: Int, stem: [UInt8], problem: inout SyntheticDataProblem?,
                            _ dirt: inout SplitMix64) -> [UInt8]? {
        if problem == .duplicateKey {
            if customer > 0 {
                return SyntheticNames.domain(stem: names.customerDomainStem(dirt.next(below: customer)), ordinal: 0)
            } else if ordinal > 0 {
                return SyntheticNames.domain(stem: stem, ordinal: 0)
            }
            problem = .missingField
        }
        if problem == .missingField && dirt.next(below: 2) == 0 { return nil }
        var domain = SyntheticNames.domain(stem: stem, ordinal: ordinal)
        if problem == .caseVariant {
            let variant = dirt.next(below: 3)
            if variant != 1 { domain = domain.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 0x20 : $0 } }
            if variant != 0 { domain.append(UInt8(ascii: ".")) }
        }
        return domain
    }

    private func writeDomainCSV(_ customer: Int, ordinal: Int, stem: [UInt8], _ out: BufferedFileWriter,
                                _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField, .orphanDomain, .wrongFieldCount, .caseVariant])
        let domain = domainText(customer, ordinal: ordinal, stem: stem, problem: &problem, &dirt)
        if let domain { try out.append(domain) }
        if problem == .wrongFieldCount && dirt.next(below: 2) == 0 {
            try out.append(",\(String(decoding: names.customerID(customer), as: UTF8.self)),unexpected\n")
            return problem
        }
        if problem == .wrongFieldCount {
            try out.append(UInt8(ascii: "\n"))  // one field only
            return problem
        }
        try out.append(UInt8(ascii: ","))
        if problem == .orphanDomain {
            try out.append(names.customerID(dataSet.customers + dirt.next(below: dataSet.customers)))
        } else if !(problem == .missingField && domain != nil) {
            try out.append(names.customerID(customer))
        }
        try out.append(UInt8(ascii: "\n"))
        return problem
    }

    private func openResellerXML(_ index: Int, _ out: BufferedFileWriter, _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField])
        if problem == .duplicateKey && index == 0 { problem = .missingField }
        let variant = problem == nil ? 0 : dirt.next(below: 2)
        try out.append("  <reseller id=\"")
        try out.append(problem == .duplicateKey ? names.resellerID(dirt.next(below: index)) : names.resellerID(index))
        try out.append("\" language=\"")
        try out.append(names.resellerLanguage(index))
        try out.append("\">\n")
        if !(problem == .missingField && variant == 0) {
            try out.append("    <name>")
            try out.appendXMLEscaped(names.resellerName(index))
            try out.append("</name>\n")
        }
        try out.append("    <contact name=\"")
        try out.appendXMLEscaped(names.resellerContactName(index))
        if !(problem == .missingField && variant == 1) {
            try out.append("\" email=\"")
            try out.append(names.resellerContactEmail(index))
        }
        try out.append("\"/>\n")
        return problem
    }

    private func openCustomerXML(_ index: Int, stem: [UInt8], _ out: BufferedFileWriter,
                                 _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField])
        if problem == .duplicateKey && index == 0 { problem = .missingField }
        try out.append("    <customer id=\"")
        try out.append(problem == .duplicateKey ? names.customerID(dirt.next(below: index)) : names.customerID(index))
        try out.append("\">\n")
        if problem != .missingField {
            try out.append("      <name>")
            try out.appendXMLEscaped(names.customerName(index))
            try out.append("</name>\n")
        }
        let email = names.customerContactEmail(index, firstDomain: SyntheticNames.domain(stem: stem, ordinal: 0))
        if !email.isEmpty {
            try out.append("      <contact email=\"")
            try out.append(email)
            try out.append("\"/>\n")
        }
        return problem
    }

    private func writeDomainXML(_ customer: Int, ordinal: Int, stem: [UInt8], _ out: BufferedFileWriter,
                                _ dirt: inout SplitMix64) throws(GenerateError) -> SyntheticDataProblem? {
        var problem = pickProblem(&dirt, [.duplicateKey, .missingField, .caseVariant])
        let domain = domainText(customer, ordinal: ordinal, stem: stem, problem: &problem, &dirt)
        try out.append("      <domain>")
        if let domain { try out.append(domain) }
        try out.append("</domain>\n")
        return problem
    }

    // MARK: Mailbox export

    /// Earlier accepted mailboxes, a uniform sample of all of them (reservoir sampling), as
    /// (customer, domain ordinal, mailbox ordinal): a duplicate re-derives one of these.
    private struct Reservoir {
        static let capacity = 1024
        var entries: [(customer: Int, domain: Int, mailbox: Int)] = []
        var seen = 0

        mutating func offer(_ entry: (customer: Int, domain: Int, mailbox: Int), _ rng: inout SplitMix64) {
            seen += 1
            if entries.count < Self.capacity {
                entries.append(entry)
            } else {
                let slot = rng.next(below: seen)
                if slot < Self.capacity { entries[slot] = entry }
            }
        }
    }

    func writeMailboxExport() throws(GenerateError) {
        let clusterCount = dataSet.clusters.count
        let volumeCount = dataSet.volumesPerCluster
        let fileNames = SyntheticExportWriter.fileNames(for: dataSet)
        let mailboxNames = dataSet.format == .xml ? Array(fileNames.dropFirst()) : [fileNames.last!]
        var writers: [BufferedFileWriter] = []
        var files: [SyntheticExportSummary.File] = []
        for name in mailboxNames {
            let writer = try BufferedFileWriter(path: path(name))
            writers.append(writer)
            files.append(Self.newFile(writer.path, name))
        }
        // Cluster and volume fields, escaped once for the file's format.
        var clusterFields: [[UInt8]] = []
        var volumeFields: [[UInt8]] = []
        for name in dataSet.clusters {
            let bytes = Array(name.utf8)
            let quoted = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: " ") }
            clusterFields.append(quoted ? [UInt8(ascii: "\"")] + bytes.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] } + [UInt8(ascii: "\"")] : bytes)
        }
        volumeFields = dataSet.volumeNames.map { Array($0.utf8) }
        if isCSVMailboxes {
            try writers[0].append("address,cluster,volume,size_mb\n")
        } else {
            for (index, writer) in writers.enumerated() {
                try writer.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                try writer.append("<!-- Synthetic mailbox export of one cluster (reseller-impact generate, seed \(dataSet.seed)). -->\n")
                try writer.append("<mailboxes cluster=\"")
                try writer.appendXMLEscaped(Array(dataSet.clusters[index].utf8))
                try writer.append("\">\n")
            }
        }

        let everyoneGetsOne = dataSet.mailboxes >= dataSet.customers
        let allocation = SkewedAllocation(total: dataSet.mailboxes, owners: dataSet.customers,
                                          minimumEach: everyoneGetsOne ? 1 : 0,
                                          seed: dataSet.seed, stream: .customerWeight, tail: .moderate)
        var cursor = SkewedAllocation.Cursor()
        var placement = SplitMix64(seed: dataSet.seed, stream: .mailboxPlacement)
        var dirt = SplitMix64(seed: dataSet.seed, stream: .mailboxDirt)
        var reservoir = Reservoir()
        let dirty = dirtThreshold > 0
        let problems: [SyntheticDataProblem] = isCSVMailboxes
            ? [.duplicateKey, .malformedAddress, .missingField, .wrongFieldCount, .unlinkedMailbox, .caseVariant]
            : [.duplicateKey, .malformedAddress, .missingField, .unlinkedMailbox, .caseVariant]
        var domainCounts = [0, 0, 0]

        for customer in 0..<dataSet.customers {
            let mailboxCount = cursor.next(in: allocation)
            if mailboxCount == 0 { continue }
            let bits = names.customerBits(customer)
            let stem = names.customerDomainStem(customer)
            splitOverDomains(mailboxCount, domains: names.domainCount(customer), bits: bits, into: &domainCounts)
            for ordinal in 0..<3 where domainCounts[ordinal] > 0 {
                let domain = SyntheticNames.domain(stem: stem, ordinal: ordinal)
                let domainBits = SyntheticNames.domainBits(customerBits: bits, ordinal: ordinal)
                for mailbox in 0..<domainCounts[ordinal] {
                    let place = placement.next()
                    let cluster = SplitMix64.scale(place, below: clusterCount)
                    let volume = Int(((place & 0xFFFF_FFFF) &* UInt64(volumeCount)) >> 32)
                    let sizeBits = placement.next()
                    let sizeMB = Self.sizeMB(sizeBits)
                    let w = isCSVMailboxes ? 0 : cluster
                    let out = writers[w]
                    files[w].rows[.mailbox, default: 0] += 1

                    guard dirty, let problem = pickProblem(&dirt, problems) else {
                        // The common row, written straight into the buffer.
                        if isCSVMailboxes {
                            try SyntheticNames.appendLocalPart(ordinal: mailbox, domainBits: domainBits, to: out)
                            try out.append(UInt8(ascii: "@"))
                            try out.append(domain)
                            try out.append(UInt8(ascii: ","))
                            try out.append(clusterFields[cluster])
                            try out.append(UInt8(ascii: ","))
                            try out.append(volumeFields[volume])
                            try out.append(UInt8(ascii: ","))
                            try out.append(decimal: sizeMB)
                            try out.append(UInt8(ascii: "\n"))
                        } else {
                            try out.append("  <mailbox address=\"")
                            try SyntheticNames.appendLocalPart(ordinal: mailbox, domainBits: domainBits, to: out)
                            try out.append(UInt8(ascii: "@"))
                            try out.append(domain)
                            try out.append("\" volume=\"")
                            try out.append(volumeFields[volume])
                            try out.append("\" size_mb=\"")
                            try out.append(decimal: sizeMB)
                            try out.append("\"/>\n")
                        }
                        if cluster == 0 { firstClusterVolumesUsed[volume] = true }
                        if dirty { reservoir.offer((customer, ordinal, mailbox), &dirt) }
                        continue
                    }
                    try writeDirtyMailbox(problem, customer: customer, ordinal: ordinal, mailbox: mailbox, domain: domain,
                                          domainBits: domainBits, stem: stem, cluster: cluster, volume: volume, sizeMB: sizeMB,
                                          clusterFields: clusterFields, volumeFields: volumeFields,
                                          reservoir: &reservoir, dirt: &dirt, out: out, file: &files[w])
                }
            }
        }

        for (index, writer) in writers.enumerated() {
            if !isCSVMailboxes { try writer.append("</mailboxes>\n") }
            if files[index].rows[.mailbox] == nil { files[index].rows[.mailbox] = 0 }
            try finish(writer, &files[index])
        }
    }

    /// 1…16384 MB, most mailboxes small: the product of three uniform 16-bit numbers.
    static func sizeMB(_ bits: UInt64) -> Int {
        let a: UInt64 = bits & 0xFFFF
        let b: UInt64 = (bits >> 16) & 0xFFFF
        let c: UInt64 = (bits >> 32) & 0xFFFF
        return 1 + Int((a * b * c) >> 34)
    }

    /// Splits a customer's mailboxes over its domains: each further domain gets up to a
    /// quarter of them (often none: a parked domain), the first domain the rest.
    private func splitOverDomains(_ mailboxes: Int, domains: Int, bits: UInt64, into counts: inout [Int]) {
        counts[0] = mailboxes
        counts[1] = 0
        counts[2] = 0
        for ordinal in 1..<max(1, domains) {
            let share = (mailboxes * Int((bits >> UInt64(40 + 8 * ordinal)) & 0xFF)) >> 10
            counts[ordinal] = share
            counts[0] -= share
        }
    }

    private func writeDirtyMailbox(_ chosen: SyntheticDataProblem, customer: Int, ordinal: Int, mailbox: Int, domain: [UInt8],
                                   domainBits: UInt64, stem: [UInt8], cluster: Int, volume: Int, sizeMB: Int,
                                   clusterFields: [[UInt8]], volumeFields: [[UInt8]],
                                   reservoir: inout Reservoir, dirt: inout SplitMix64, out: BufferedFileWriter,
                                   file: inout SyntheticExportSummary.File) throws(GenerateError) {
        var problem = chosen
        if problem == .duplicateKey && reservoir.entries.isEmpty { problem = .malformedAddress }
        let variant = dirt.next(below: 3)

        // The address, as text (this path is rare: allocations are fine here).
        var address: [UInt8]?
        switch problem {
        case .duplicateKey:
            let earlier = reservoir.entries[dirt.next(below: reservoir.entries.count)]
            let earlierBits = names.customerBits(earlier.customer)
            address = addressBytes(ordinal: earlier.mailbox,
                                          domainBits: SyntheticNames.domainBits(customerBits: earlierBits, ordinal: earlier.domain),
                                          domain: SyntheticNames.domain(stem: names.customerDomainStem(earlier.customer), ordinal: earlier.domain))
        case .malformedAddress:
            var text = addressBytes(ordinal: mailbox, domainBits: domainBits, domain: domain)
            if variant == 0 {
                text = text.map { $0 == UInt8(ascii: "@") ? UInt8(ascii: ".") : $0 }  // no @
            } else {
                text += [UInt8(ascii: "@")] + domain  // two @
            }
            address = text
        case .missingField where variant == 0:
            address = nil
        case .unlinkedMailbox:
            address = addressBytes(ordinal: mailbox, domainBits: domainBits, domain: stem + SyntheticNames.unknownDomainSuffix)
        case .caseVariant:
            var text = addressBytes(ordinal: mailbox, domainBits: domainBits, domain: domain)
            if variant != 1 { text = text.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 0x20 : $0 } }
            if variant != 0 { text.append(UInt8(ascii: ".")) }
            address = text
        default:
            address = addressBytes(ordinal: mailbox, domainBits: domainBits, domain: domain)
        }
        let omitCluster = problem == .missingField && variant == 1 && isCSVMailboxes
        let omitVolume = problem == .missingField && (variant == 2 || (variant == 1 && !isCSVMailboxes))

        if isCSVMailboxes {
            if let address { try out.append(address) }
            try out.append(UInt8(ascii: ","))
            if !omitCluster { try out.append(clusterFields[cluster]) }
            try out.append(UInt8(ascii: ","))
            if !omitVolume { try out.append(volumeFields[volume]) }
            if !(problem == .wrongFieldCount && variant == 0) {
                try out.append(UInt8(ascii: ","))
                try out.append(decimal: sizeMB)
            }
            if problem == .wrongFieldCount && variant != 0 { try out.append(",unexpected") }
            try out.append(UInt8(ascii: "\n"))
        } else {
            try out.append("  <mailbox address=\"")
            if let address { try out.append(address) }
            try out.append("\"")
            if !omitVolume {
                try out.append(" volume=\"")
                try out.append(volumeFields[volume])
                try out.append("\"")
            }
            try out.append(" size_mb=\"")
            try out.append(decimal: sizeMB)
            try out.append("\"/>\n")
        }
        count(problem, in: &file)
        // Rows the importer accepts still put a mailbox on the volume.
        if (problem == .caseVariant || problem == .unlinkedMailbox) && cluster == 0 {
            firstClusterVolumesUsed[volume] = true
        }
        if problem == .caseVariant { reservoir.offer((customer, ordinal, mailbox), &dirt) }
    }

    // MARK: offline.txt

    func writeOfflineFile() throws(GenerateError) {
        let used = firstClusterVolumesUsed.indices.filter { firstClusterVolumesUsed[$0] }
        let wanted = min(used.count, max(1, (dataSet.volumesPerCluster + 1) / 3))
        var candidates = used
        var rng = SplitMix64(seed: dataSet.seed, stream: .offlineChoice)
        for i in 0..<wanted {  // partial Fisher–Yates
            let j = i + rng.next(below: candidates.count - i)
            candidates.swapAt(i, j)
        }
        let cluster = dataSet.clusters[0]
        let volumeNames = dataSet.volumeNames
        summary.offlineVolumes = candidates.prefix(wanted).sorted().map { VolumeID(cluster: cluster, volume: volumeNames[$0]) }
        let out = try BufferedFileWriter(path: summary.offlineFile)
        try out.append("# Offline volumes for a synthetic incident (reseller-impact analyze --offline-file).\n")
        try out.append("# About a third of cluster \(cluster)'s \(dataSet.volumesPerCluster) volumes; reseller-impact generate, seed \(dataSet.seed).\n")
        for volume in summary.offlineVolumes { try out.append("\(volume)\n") }
        try out.close()
    }
}

/// One address as bytes, for the rare rows that change it.
private func addressBytes(ordinal: Int, domainBits: UInt64, domain: [UInt8]) -> [UInt8] {
    SyntheticNames.localPart(ordinal: ordinal, domainBits: domainBits) + [UInt8(ascii: "@")] + domain
}
