/// Edit distance for "did you mean" suggestions.
enum EditDistance {
    /// The optimal-string-alignment distance between `a` and `b`, ignoring ASCII case: insertions,
    /// deletions, substitutions and swaps of neighbours each cost one (`REGOIN` is one from `REGION`).
    static func distance(_ a: String, _ b: String) -> Int {
        let s = a.utf8.map(ASCII.uppercased)
        let t = b.utf8.map(ASCII.uppercased)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var before = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    best = min(best, before[j - 2] + 1)
                }
                current[j] = best
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[t.count]
    }

    /// The candidate nearest to `typed`, if it is near enough to be a plausible typo.
    ///
    /// Near enough means at most a third of the candidate's length away (at least 2), so `NAMESPCE`
    /// suggests `NAMESPACE` but `COLOUR` suggests nothing. Ties go to the earlier candidate.
    static func nearest(to typed: String, in candidates: [String]) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = distance(typed, candidate)
            if d <= max(2, candidate.utf8.count / 3), d < (best?.distance ?? Int.max) {
                best = (candidate, d)
            }
        }
        return best?.candidate
    }
}
