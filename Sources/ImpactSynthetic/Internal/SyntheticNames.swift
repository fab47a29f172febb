/// Names, ids and domains derived from an entity's index and the seed alone, so that any of
/// them can be produced again later (a duplicate repeats an earlier one) without keeping it.
/// All functions return UTF-8 bytes; ids and domains are ASCII.
struct SyntheticNames {
    let seed: UInt64
    let resellerIDWidth: Int
    let customerIDWidth: Int

    init(seed: UInt64, resellers: Int, customers: Int) {
        self.seed = seed
        // One digit more than the count needs, so that unknown ids (beyond the count) keep the width.
        resellerIDWidth = max(5, String(resellers).count + 1)
        customerIDWidth = max(6, String(customers).count + 1)
    }

    // MARK: Resellers

    /// `R00001` for index 0.
    func resellerID(_ index: Int) -> [UInt8] { Self.id(UInt8(ascii: "R"), index + 1, width: resellerIDWidth) }

    private func resellerBits(_ index: Int) -> UInt64 {
        SplitMix64.hash(seed: seed, stream: .resellerAttributes, index: index)
    }

    /// "Northwind Hosting", "Kowalski Networks", …
    func resellerName(_ index: Int) -> [UInt8] {
        let bits = resellerBits(index)
        var name: [UInt8]
        if bits & 1 == 0 {
            name = WordLists.places[Int(bits >> 1) & 31]
        } else {
            name = WordLists.displayLastNames[Int(bits >> 1) & 63]
        }
        name.append(UInt8(ascii: " "))
        name += WordLists.resellerKinds[Int(bits >> 8) & 15]
        name += WordLists.companySuffixes[Int(bits >> 12) & 7]
        return name
    }

    /// `northwind-hosting-17.example`: unique through the index.
    func resellerDomain(_ index: Int) -> [UInt8] {
        var domain = Self.slug(resellerName(index))
        domain.append(UInt8(ascii: "-"))
        domain += Array(String(index + 1).utf8)
        domain += Array(".example".utf8)
        return domain
    }

    func resellerContactName(_ index: Int) -> [UInt8] { personName(resellerBits(index) >> 16) }

    func resellerContactEmail(_ index: Int) -> [UInt8] {
        let bits = resellerBits(index)
        let mailboxes: [StaticString] = ["noc", "support", "service", "hello"]
        var email = Array(bytes: mailboxes[Int(bits >> 30) & 3])
        email.append(UInt8(ascii: "@"))
        return email + resellerDomain(index)
    }

    func resellerLanguage(_ index: Int) -> [UInt8] { WordLists.languages[Int(resellerBits(index) >> 40) & 15] }

    // MARK: Customers

    /// `C000001` for index 0.
    func customerID(_ index: Int) -> [UInt8] { Self.id(UInt8(ascii: "C"), index + 1, width: customerIDWidth) }

    func customerBits(_ index: Int) -> UInt64 {
        SplitMix64.hash(seed: seed, stream: .customerAttributes, index: index)
    }

    /// "Harbourview Dental Ltd", "Okafor, Berg & Partners", "Café Rosenhügel", …
    func customerName(_ index: Int) -> [UInt8] {
        let bits = customerBits(index)
        let place = WordLists.places[Int(bits >> 2) & 31]
        let last = WordLists.displayLastNames[Int(bits >> 7) & 63]
        let other = WordLists.displayLastNames[Int(bits >> 13) & 63]
        let trade = WordLists.trades[Int(bits >> 19) & 31]
        let suffix = WordLists.companySuffixes[Int(bits >> 24) & 7]
        let space = [UInt8(ascii: " ")]
        switch bits & 3 {
        case 0: return place + space + trade + suffix
        case 1: return last + space + trade + suffix
        case 2: return last + Array(", ".utf8) + other + Array(" & Partners".utf8)
        default: return last + Array(" & ".utf8) + other + space + trade
        }
    }

    /// 1 domain for 70 % of customers, 2 for 20 %, 3 for 10 %.
    func domainCount(_ index: Int) -> Int {
        let roll = (Int((customerBits(index) >> 27) & 0x3FF) * 100) >> 10
        return roll < 70 ? 1 : roll < 90 ? 2 : 3
    }

    /// The customer's part of every domain name: `harbourview-dental-ltd-42`.
    func customerDomainStem(_ index: Int) -> [UInt8] {
        var stem = Self.slug(customerName(index))
        stem.append(UInt8(ascii: "-"))
        stem += Array(String(index + 1).utf8)
        return stem
    }

    static let domainSuffixes: [[UInt8]] = [".example", "-mail.example", "-online.example"].map { Array($0.utf8) }
    /// A suffix no generated customer's domain has: its mailboxes belong to no customer.
    static let unknownDomainSuffix: [UInt8] = Array("-old.example".utf8)

    /// Domain `ordinal` (0…2) of a customer, given its stem.
    static func domain(stem: [UInt8], ordinal: Int) -> [UInt8] { stem + domainSuffixes[ordinal] }

    /// The customer's optional contact address; empty for one customer in five.
    func customerContactEmail(_ index: Int, firstDomain: [UInt8]) -> [UInt8] {
        let bits = customerBits(index)
        if (bits >> 37) % 5 == 0 { return [] }
        var email = WordLists.roleMailboxes[Int(bits >> 40) & 7]
        email.append(UInt8(ascii: "@"))
        return email + firstDomain
    }

    // MARK: Mailboxes

    /// Per domain: which role the first mailbox has, the name style and the offset into names.
    static func domainBits(customerBits: UInt64, ordinal: Int) -> UInt64 {
        SplitMix64.mix(customerBits &+ UInt64(ordinal + 1))
    }

    /// The local part of mailbox `ordinal` of a domain: the first is a role mailbox (`info`),
    /// the others `first.last`, distinct within the domain: ordinals map one-to-one onto the
    /// 4096 name pairs (an odd multiplier is a bijection modulo 2¹²), then repeat with a
    /// number (`anna.smith2`). Names hold no digits, so no two ordinals give the same text.
    struct LocalPart {
        var first: [UInt8]
        var separator: UInt8
        var last: [UInt8]
        var number: Int  // 0: none

        init(ordinal: Int, domainBits: UInt64) {
            if ordinal == 0 {
                first = WordLists.roleMailboxes[Int(domainBits & 7)]
                separator = 0
                last = []
                number = 0
                return
            }
            let k = ordinal - 1
            let pair = (UInt64(k & 0xFFF) &* 2_654_435_761 &+ (domainBits >> 3)) & 0xFFF
            first = WordLists.firstNames[Int(pair & 63)]
            separator = domainBits & (1 << 20) == 0 ? UInt8(ascii: ".") : UInt8(ascii: "_")
            last = WordLists.lastNames[Int(pair >> 6)]
            number = k >> 12 == 0 ? 0 : (k >> 12) + 1
        }
    }

    /// Writes the local part of mailbox `ordinal` straight into `out` (the hot path).
    @inline(__always)
    static func appendLocalPart(ordinal: Int, domainBits: UInt64, to out: BufferedFileWriter) throws(GenerateError) {
        let part = LocalPart(ordinal: ordinal, domainBits: domainBits)
        try out.append(part.first)
        guard part.separator != 0 else { return }
        try out.append(part.separator)
        try out.append(part.last)
        if part.number > 0 { try out.append(decimal: part.number) }
    }

    /// The local part of mailbox `ordinal` as bytes.
    static func localPart(ordinal: Int, domainBits: UInt64) -> [UInt8] {
        let part = LocalPart(ordinal: ordinal, domainBits: domainBits)
        guard part.separator != 0 else { return part.first }
        var bytes = part.first + [part.separator] + part.last
        if part.number > 0 { bytes += Array(String(part.number).utf8) }
        return bytes
    }

    // MARK: Helpers

    /// "Anna Smith", "Niels de Vries".
    func personName(_ bits: UInt64) -> [UInt8] {
        var first = WordLists.firstNames[Int(bits & 63)]
        first[0] -= 0x20  // ASCII capital
        return first + [UInt8(ascii: " ")] + WordLists.displayLastNames[Int(bits >> 6) & 63]
    }

    static func id(_ prefix: UInt8, _ number: Int, width: Int) -> [UInt8] {
        let digits = Array(String(number).utf8)
        return [prefix] + [UInt8](repeating: UInt8(ascii: "0"), count: max(0, width - digits.count)) + digits
    }

    /// Lower-case ASCII letters and digits, runs of anything else as one `-`; the accented
    /// letters of the word lists transliterated (`ü` → `ue`, `é` → `e`).
    static func slug(_ name: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.count + 8)
        var pendingDash = false
        var i = 0
        func emit(_ bytes: UInt8...) {
            if pendingDash && !out.isEmpty { out.append(UInt8(ascii: "-")) }
            pendingDash = false
            out += bytes
        }
        while i < name.count {
            let byte = name[i]
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): emit(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): emit(byte + 0x20)
            case 0xC3 where i + 1 < name.count:
                i += 1
                switch name[i] | 0x20 {  // 0xA0… lower case, 0x80… upper case
                case 0xA4: emit(UInt8(ascii: "a"), UInt8(ascii: "e"))
                case 0xB6: emit(UInt8(ascii: "o"), UInt8(ascii: "e"))
                case 0xBC: emit(UInt8(ascii: "u"), UInt8(ascii: "e"))
                case 0xA0...0xA3, 0xA5: emit(UInt8(ascii: "a"))
                case 0xA7: emit(UInt8(ascii: "c"))
                case 0xA8...0xAB: emit(UInt8(ascii: "e"))
                case 0xAC...0xAF: emit(UInt8(ascii: "i"))
                case 0xB2...0xB5: emit(UInt8(ascii: "o"))
                case 0xB9...0xBB: emit(UInt8(ascii: "u"))
                default: pendingDash = true
                }
            case UInt8(ascii: "&"):
                pendingDash = true
            default:
                pendingDash = true
            }
            i += 1
        }
        return out
    }
}

extension Array where Element == UInt8 {
    init(bytes text: StaticString) {
        self = Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
