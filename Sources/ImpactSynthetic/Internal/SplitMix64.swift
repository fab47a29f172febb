/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output depends only on its
/// seed, with the same integer arithmetic on every machine. Used both as a sequence (`next()`)
/// and as a hash (`mix`) so that an entity's attributes can be derived from its index alone.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one named purpose, independent of the others drawn from the same seed.
    init(seed: UInt64, stream: RandomStream) {
        state = Self.mix(seed ^ Self.mix(stream.rawValue &* 0x9E37_79B9_7F4A_7C15))
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A value in `0..<bound` (Lemire's multiply-shift; the bias is below 2⁻³² for the bounds used here).
    mutating func next(below bound: Int) -> Int {
        Self.scale(next(), below: bound)
    }

    /// The finaliser of SplitMix64: a bijection on 64 bits with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A hash of (seed, stream, index): the random bits that belong to entity `index`.
    static func hash(seed: UInt64, stream: RandomStream, index: Int) -> UInt64 {
        mix(mix(seed ^ mix(stream.rawValue &* 0x9E37_79B9_7F4A_7C15)) &+ UInt64(truncatingIfNeeded: index))
    }

    /// Maps 64 random bits onto `0..<bound`.
    static func scale(_ bits: UInt64, below bound: Int) -> Int {
        Int(truncatingIfNeeded: bits.multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `true` with probability `threshold / 2⁶⁴`.
    static func chance(_ bits: UInt64, threshold: UInt64) -> Bool { bits < threshold }

    /// The threshold for `chance` that gives probability `rate` (0…0.5), exact in integers.
    static func threshold(rate: Double) -> UInt64 {
        rate <= 0 ? 0 : UInt64(rate * 18_446_744_073_709_551_616.0)
    }
}

/// The independent random streams of one data set. The raw values are part of the output's
/// definition: changing one changes every generated file.
enum RandomStream: UInt64 {
    case resellerWeight = 1
    case resellerAttributes = 2
    case customerWeight = 3
    case customerAttributes = 4
    case mailboxNames = 5
    case mailboxPlacement = 6
    case resellerDirt = 7
    case customerDirt = 8
    case domainDirt = 9
    case mailboxDirt = 10
    case offlineChoice = 11
}
