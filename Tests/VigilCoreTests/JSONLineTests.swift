import Foundation
import Testing
import VigilCore

@Suite("JSON lines")
struct JSONLineTests {
    @Test("Numbers print short and stay valid JSON, even a time since the dose of a tenth of a millisecond")
    func numbers() {
        #expect(JSONLine.number(2) == "2")
        #expect(JSONLine.number(1.5) == "1.5")
        #expect(JSONLine.number(0.1239) == "0.124")
        #expect(JSONLine.number(0.0001) == "0")
        #expect(JSONLine.number(-0.0004) == "0")
        #expect(JSONLine.number(-2.25) == "-2.25")
    }

    @Test("Every line parses as JSON: quotes, control characters, tiny numbers, nulls and raw arrays")
    func parses() throws {
        var j = JSONLine()
        j.add("text", "a \"quoted\"\nline\twith \u{1} control")
        j.add("tiny", 0.000_2)
        j.add("missing", nil as Double?)
        j.add("flag", .bool(true))
        j.add("list", .raw("[1,2]"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(j.description.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "a \"quoted\"\nline\twith \u{1} control")
        #expect(object["tiny"] as? Int == 0)
        #expect(object["list"] as? [Int] == [1, 2])
    }
}
