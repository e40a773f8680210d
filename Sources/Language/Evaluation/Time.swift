/// Points in time as the language shows and reads them: ISO 8601 in UTC, computed with integers
/// (the proleptic Gregorian calendar; no formatter, so any Int64 of milliseconds prints).
public enum TimeText {
    /// `2026-12-01T20:42:03Z`, or with milliseconds `2026-12-01T20:42:03.120Z`.
    public static func iso(_ millis: Int64) -> String {
        let (days, dayMillis) = floorDivide(millis, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = dayMillis / 1000
        let fraction = dayMillis % 1000
        func two(_ number: Int64) -> String { number < 10 ? "0\(number)" : "\(number)" }
        let yearText =
            (0...9999).contains(year) ? String(String(year + 10000).dropFirst()) : (year < 0 ? "\(year)" : "+\(year)")
        var text =
            "\(yearText)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if fraction > 0 { text += "." + String(String(fraction + 1000).dropFirst()) }
        return text + "Z"
    }

    /// Reads `2026-12-01`, `2026-12-01T20:42:03`, with `.123` and `Z` or `+02:00` (UTC when none is
    /// given); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...daysIn(month, of: year)).contains(day)
        else { return nil }
        var millis = days(fromCivil: year, month, day) * 86_400_000
        guard index < bytes.count else { return millis }
        guard expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2), hour < 24,
            minute < 60
        else { return nil }
        millis += (hour * 3600 + minute * 60) * 1000
        if expect(":") {
            // No leap second: "23:59:60" would silently be the next day (Python refuses it too).
            guard let second = number(2), second < 60 else { return nil }
            millis += second * 1000
            if expect(".") {
                var scale: Int64 = 100
                var fraction: Int64 = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    fraction += Int64(bytes[index] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    index += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                millis += fraction
            }
        }
        if expect("Z") || index == bytes.count { return index == bytes.count ? millis : nil }
        let sign: Int64 = expect("+") ? 1 : (expect("-") ? -1 : 0)
        guard sign != 0, let offsetHours = number(2) else { return nil }
        _ = expect(":")
        guard let offsetMinutes = number(2), index == bytes.count else { return nil }
        return millis - sign * (offsetHours * 60 + offsetMinutes) * 60_000
    }

    /// The days of a month of the proleptic Gregorian calendar: `2026-02-30` is not a date.
    static func daysIn(_ month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Howard Hinnant's `civil_from_days`: a day number (0 = 1970-01-01) as year, month, day.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The inverse: `days_from_civil`.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
