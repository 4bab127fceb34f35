import Foundation
import VigilCore

/// The session's trend as one SVG made on the server: SpO2, pulse and blood pressure in three
/// stacked panels over minutes since the dose, the phases shaded behind them, every alarm marked
/// in its priority's colour, and the data gaps left as gaps. It scales to the page through its
/// `viewBox`; its colours are presentation attributes that `print.css` darkens for paper.
public enum TrendChart {
    /// IEC 60601-1-8 alarm colours.
    static let priorityColour: [AlarmPriority: String] = [.high: "#ff2d2d", .medium: "#ffd000", .low: "#19d3e6"]
    /// The vitals' colours, the nurse view's own (`vigil.css`).
    static let spo2Colour = "#5ec8ff", pulseColour = "#7fe07f", bloodPressureColour = "#ffb35c"
    static let textColour = "#e6ebf0", dimColour = "#93a1b0", gridColour = "#27303b"
    /// The phase ribbon's colours, the nurse view's own.
    static let phaseColour: [Phase: String] = [
        .baseline: "#6b7a8a", .onset: "#7aa7d9", .peak: "#b48ee8", .recovery: "#6fcfb0", .discharge: "#a9d46f",
    ]

    /// The chart of one session, as an `<svg>` element to place in a page.
    public static func svg(_ review: SessionReview) -> String {
        ChartDrawing(review).svg
    }
}
