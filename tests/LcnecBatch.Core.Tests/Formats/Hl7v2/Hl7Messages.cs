namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>Small builders for HL7 v2 test messages: segments by field number, so a test reads as the spec does.</summary>
internal static class Hl7Messages
{
    public static string Seg(string name, params (int Field, string Value)[] fields)
    {
        var count = fields.Length == 0 ? 0 : fields.Max(f => f.Field);
        var values = new string[count];
        foreach (var (field, value) in fields)
        {
            values[field - 1] = value;
        }
        return name + "|" + string.Join("|", values.Select(v => v ?? ""));
    }

    public static string Msh(string type = "ORU^R01^ORU_R01", string control = "MSG0001") =>
        $"MSH|^~\\&|PATHLIS|LAB|LCNEC|SCREENING|20261120101500||{type}|{control}|P|2.5.1";

    public static string Pid(string mrn = "900001", string birth = "19580214", string sex = "F") =>
        Seg("PID", (1, "1"), (3, $"{mrn}^^^LAB^MR~123-45-6789^^^SSA^SS"), (5, "Doe^Jane"), (7, birth), (8, sex));

    public static string Obr(string accession = "s26-04417", string reportDate = "20261120", string section = "SP", string status = "F", string placer = "ORD-1") =>
        Seg("OBR", (1, "1"), (2, placer), (3, accession), (4, "11529-5^Surgical pathology study^LN"), (7, "20261118"), (22, reportDate), (24, section), (25, status));

    public static string Obx(int set, string type, string code, string value, string status = "F", string subId = "", string date = "", string method = "") =>
        Seg("OBX", (1, set.ToString(System.Globalization.CultureInfo.InvariantCulture)), (2, type), (3, code), (4, subId), (5, value), (11, status), (14, date), (17, method));

    /// <summary>An LCNEC report with ALK IHC, Ki-67, ALK FISH and NGS: one line per fact, lines 1..13.</summary>
    public static string[] LcnecMessage() =>
    [
        Msh(),                                                                                              // 1
        Pid(),                                                                                              // 2
        "ORC|RE||S26-04417",                                                                                // 3
        Obr(),                                                                                              // 4
        Obx(1, "ST", "22633-2^Nature of specimen^LN", "Lung, left hilum, CT-guided core biopsy"),          // 5
        Obx(2, "TX", "22635-7^Microscopic^LN", "Differential includes basaloid carcinoma."),               // 6
        Obx(3, "TX", "22637-3^Final diagnosis^LN", @"Lung, left hilum, biopsy:~- Large cell neuroendocrine carcinoma \T\ necrosis (stage \S\ IVB)."), // 7
        Obx(4, "CWE", "ALK^ALK IHC^L", "10828004^Positive^SCT", subId: "1", date: "20261119", method: "D5F3^D5F3^L"), // 8
        Obx(5, "CWE", "KI67^KI67 IHC^L", "10828004^Positive^SCT", subId: "2", date: "20261119"),           // 9
        "NTE|1||Hot spot\\.br\\counted",                                                                    // 10
        Obx(6, "NM", "KI67^KI67 IHC^L", "85", subId: "2", date: "20261119"),                                // 11
        Obx(7, "CWE", "78205-2^ALK rearrangement FISH^LN", "LA9633-4^Present^LN", date: "20261125"),       // 12
        Obx(8, "ST", "ALK^ALK NGS^L", "Detected: EML4-ALK fusion (E13:A20)", date: "20261126"),           // 13
    ];
}
