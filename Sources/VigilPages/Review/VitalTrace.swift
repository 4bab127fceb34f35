import Foundation
import VigilCore

/// One continuous vital as the chart draws it: stretches of valid readings, broken wherever the
/// oximeter had no valid value — a reading marked not valid, or none for longer than the
/// no-data limit — so that no line is ever drawn across a gap; each stretch thinned to what the
/// drawing can show, keeping the extremes a provider looks for.
struct VitalTrace {
    /// What a bucket of readings keeps.
    enum Keep {
        /// The lowest reading: a desaturation dip shorter than a bucket still shows (SpO2).
        case lowest
        /// The lowest and the highest, in their order: spikes either way show (pulse).
        case lowestAndHighest
    }

    /// The unbroken stretches, each in time order, thinned.
    var stretches: [[Reading]]
    /// The stretches without valid readings between (and before and after) them.
    var gaps: [(start: Date, end: Date)]

    /// `readings` in time order; `bucket` seconds per kept point (or pair); `noDataAfter` is the
    /// longest step between two readings a line may join, the summary's no-data limit.
    init(_ readings: [Reading], from start: Date, to end: Date, bucket: Double, keep: Keep, noDataAfter: Double = 10) {
        let whole = Self.stretches(readings, noDataAfter: noDataAfter)
        stretches = whole.map { Self.thin($0, origin: start, bucket: max(bucket, 1), keep: keep) }
        var gaps: [(Date, Date)] = []
        var previous: Date?
        for stretch in whole {
            let first = stretch[0].time
            if let previous {
                gaps.append((previous, first))
            } else if first.timeIntervalSince(start) > noDataAfter {
                gaps.append((start, first))
            }
            previous = stretch[stretch.count - 1].time
        }
        if let previous {
            if end.timeIntervalSince(previous) > noDataAfter { gaps.append((previous, end)) }
        } else if end > start {
            gaps.append((start, end))
        }
        self.gaps = gaps
    }

    /// Whether the vital counts for the chart: valid, with a value, and not the 0 a device
    /// sends for a lost signal (the summary's own rule).
    static func isDrawn(_ r: Reading) -> Bool {
        guard r.quality == .valid, let value = r.value else { return false }
        return value != 0
    }

    static func stretches(_ readings: [Reading], noDataAfter: Double) -> [[Reading]] {
        var out: [[Reading]] = []
        var current: [Reading] = []
        for r in readings {
            guard isDrawn(r) else {
                if !current.isEmpty { out.append(current); current = [] }
                continue
            }
            if let last = current.last, r.time.timeIntervalSince(last.time) > noDataAfter {
                out.append(current)
                current = []
            }
            current.append(r)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// One point (or pair) per bucket of `bucket` seconds counted from `origin`; the stretch's
    /// first and last readings are always kept, so a line ends where the data end.
    static func thin(_ stretch: [Reading], origin: Date, bucket: Double, keep: Keep) -> [Reading] {
        guard stretch.count > 2 else { return stretch }
        var out: [Reading] = [stretch[0]]
        var i = 1
        let lastIndex = stretch.count - 1
        while i < lastIndex {
            let index = Int(stretch[i].time.timeIntervalSince(origin) / bucket)
            var low = stretch[i], high = stretch[i]
            var j = i + 1
            while j < lastIndex, Int(stretch[j].time.timeIntervalSince(origin) / bucket) == index {
                if stretch[j].value! < low.value! { low = stretch[j] }
                if stretch[j].value! > high.value! { high = stretch[j] }
                j += 1
            }
            switch keep {
            case .lowest: out.append(low)
            case .lowestAndHighest:
                if low.time == high.time { out.append(low) } else { out += low.time < high.time ? [low, high] : [high, low] }
            }
            i = j
        }
        out.append(stretch[lastIndex])
        return out
    }
}
