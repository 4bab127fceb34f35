import Foundation
import VigilCore
import VigilStore

/// One alarm as the review's table lists it: the summary's record of its life (raised,
/// acknowledged by whom and when, cleared) and, from its stored events, what it was about —
/// the vital, the limit, the furthest past it, whether the clinic was told.
struct AlarmLine: Sendable, Hashable {
    var record: SessionSummary.AlarmRecord
    var kind: AlarmKind?
    var vital: Vital?
    var limit: Double?
    /// The furthest past the limit while it was raised (or the value it was raised on).
    var worst: Double?
    /// A device's own words where the condition does not say it all.
    var detail: String?
    /// When it was escalated to the clinic for want of an acknowledgement.
    var escalatedAt: Date?
    /// Who paused its sound, in order (a pause is not an acknowledgement).
    var pausedBy: [Role]

    static func lines(_ records: [SessionSummary.AlarmRecord], events: [AlarmEvent]) -> [AlarmLine] {
        let byAlarm = Dictionary(grouping: events, by: \.id)
        return records.map { record in
            let mine = (byAlarm[record.id] ?? []).sorted { $0.seq < $1.seq }
            let raised = mine.first { $0.state == .raised } ?? mine.first
            return AlarmLine(
                record: record, kind: raised?.kind, vital: raised?.vital,
                limit: mine.last(where: { $0.limit != nil })?.limit,
                worst: mine.last(where: { $0.worstValue != nil })?.worstValue ?? raised?.value,
                detail: mine.compactMap(\.detail).first,
                escalatedAt: mine.first { $0.state == .escalated }?.time,
                pausedBy: mine.filter { $0.state == .audioPaused }.compactMap(\.by))
        }
    }
}
