/// Splits `total` items over `owners`, each getting `minimum` first and the rest in proportion
/// to a heavy-tailed (Pareto) weight drawn from its index: a few owners get very many, most get
/// few. Used for customers per reseller and mailboxes per customer.
///
/// Exact and streaming: the owner counts add up to `total` exactly (cumulative rounding in
/// integers), are produced in owner order with O(1) memory, and depend only on the seed.
/// `init` makes one O(owners) pass to sum the weights.
struct SkewedAllocation {
    /// How heavy the tail is. Both exponents are computed with square roots only, which IEEE 754
    /// and division round exactly on every machine (unlike `pow`), so the weights are the same everywhere.
    enum Tail {
        /// Pareto α = 1 (weight 1/u, Zipf's law by rank): a handful of owners take a large share.
        case heavy
        /// Pareto α = 4/3 (weight u^-3/4): skewed, but the largest owner stays well under 1 %.
        case moderate
    }

    let owners: Int
    let minimum: Int
    private let extra: UInt64
    private let totalWeight: UInt64
    private let seed: UInt64
    private let stream: RandomStream
    private let tail: Tail

    /// - Precondition: `owners >= 1`.
    init(total: Int, owners: Int, minimumEach: Int, seed: UInt64, stream: RandomStream, tail: Tail) {
        precondition(owners >= 1 && total >= owners * minimumEach)
        self.owners = owners
        self.minimum = minimumEach
        self.extra = UInt64(total - owners * minimumEach)
        self.seed = seed
        self.stream = stream
        self.tail = tail
        var sum: UInt64 = 0
        for index in 0..<owners { sum += Self.weight(SplitMix64.hash(seed: seed, stream: stream, index: index), tail: tail) }
        totalWeight = sum
    }

    /// Walks the owners in order and hands out their counts.
    struct Cursor {
        private(set) var index = 0
        private var cumulativeWeight: UInt64 = 0
        private var allocated: UInt64 = 0

        /// The count of owner `index`, then moves on to the next owner.
        mutating func next(in allocation: SkewedAllocation) -> Int {
            precondition(index < allocation.owners)
            cumulativeWeight += SkewedAllocation.weight(
                SplitMix64.hash(seed: allocation.seed, stream: allocation.stream, index: index), tail: allocation.tail)
            // floor(extra · cumulative / total) in 128-bit arithmetic: exact, monotone, and
            // equal to `extra` at the last owner.
            let product = allocation.extra.multipliedFullWidth(by: cumulativeWeight)
            let through = allocation.totalWeight.dividingFullWidth(product).quotient
            let share = through - allocated
            allocated = through
            index += 1
            return allocation.minimum + Int(share)
        }
    }

    /// A weight in 4096ths, 4096 at least and 2³² at most (so sums over 2³¹ owners fit 64 bits).
    static func weight(_ bits: UInt64, tail: Tail) -> UInt64 {
        let u = Double((bits >> 11) + 1) * 0x1p-53  // (0, 1]
        let x: Double
        switch tail {
        case .heavy: x = 1 / u
        case .moderate:
            let s = u.squareRoot()  // u^1/2
            x = 1 / (s * s.squareRoot())  // u^-3/4
        }
        return UInt64(min(x, 0x1p20) * 4096)
    }
}
