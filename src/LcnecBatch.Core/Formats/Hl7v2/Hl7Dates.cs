using System.Globalization;
using System.Text.RegularExpressions;

namespace LcnecBatch.Core.Formats.Hl7v2;

/// <summary>HL7 v2 DT/TS/DTM values, <c>YYYYMMDD[HHMM[SS[.S…]]][±ZZZZ]</c>: the date as written (the sender's local date).</summary>
public static partial class Hl7Dates
{
    [GeneratedRegex(@"^(?<date>\d{8})(\d{2}(\d{2}(\d{2}(\.\d{1,4})?)?)?)?([+-]\d{4})?$")]
    private static partial Regex Timestamp();

    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        return text is not null
            && Timestamp().Match(text.Trim()) is { Success: true } m
            && DateOnly.TryParseExact(m.Groups["date"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    public static string Format(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
