import ImpactModel

/// Turns a raw row into an accepted record, or says why it is rejected. Shared by the CSV and
/// XML readers so both formats follow one set of rules.
public enum RowValidator {
    /// The outcome of validating one row.
    public enum Outcome: Sendable, Equatable {
        case accepted(AcceptedRecord)
        case rejected(reason: String)
    }

    /// Trims every value (an empty one counts as missing), checks required fields and
    /// normalises domains and addresses.
    public static func validate(_ row: RawRow) -> Outcome {
        let values: [String?] = row.values.map { value in
            guard let value else { return nil }
            let trimmed = value.trimmingWhitespace()
            return trimmed.isEmpty ? nil : trimmed
        }
        let missing = (0..<row.entity.requiredFieldCount).filter { values[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { row.entity.fields[$0] }
            return .rejected(reason: "missing required \(names.count == 1 ? "field" : "fields") \(names.joined(separator: ", "))")
        }
        switch row.entity {
        case .reseller:
            return .accepted(.reseller(ResellerRecord(
                resellerID: values[0]!, name: values[1]!, contactEmail: values[2]!,
                contactName: values[3], language: values[4] ?? "en")))
        case .customer:
            return .accepted(.customer(CustomerRecord(
                customerID: values[0]!, resellerID: values[1]!, name: values[2]!, contactEmail: values[3])))
        case .domain:
            let domain = Normalization.domain(values[0]!)
            guard !domain.isEmpty else { return .rejected(reason: "domain is empty once its trailing dot is dropped") }
            return .accepted(.domain(DomainRecord(domain: domain, customerID: values[1]!)))
        case .mailbox:
            switch Normalization.address(values[0]!) {
            case .failure(let problem):
                return .rejected(reason: problem.description)
            case .success(let (address, domain)):
                // size_mb is informational: a value that is not a whole number is not a reason
                // to drop a mailbox from an outage notice, so it is stored as unknown.
                return .accepted(.mailbox(MailboxRecord(
                    address: address, domain: domain, cluster: values[1]!, volume: values[2]!,
                    sizeMB: values[3].flatMap { Int($0) })))
            }
        }
    }
}
