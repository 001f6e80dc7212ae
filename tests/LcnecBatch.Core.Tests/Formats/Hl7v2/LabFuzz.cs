using System.Text;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Pipeline;

namespace LcnecBatch.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Seeded mutation of real lab files (flip, insert, delete bytes, truncate, duplicate or drop a line) fed through
/// <see cref="BatchIngestor.Ingest"/>, with the checks every reader owes: nothing escapes, counts reconcile, a
/// quarantined file leaves no facts, the same bytes give the same outcome, no reason quotes patient data.
/// </summary>
internal static class LabFuzz
{
    public static readonly DateOnly Batch = new(2026, 1, 1);

    /// <summary>One to three random edits of <paramref name="seed"/>; <paramref name="tokens"/> are the inserts that matter to the format.</summary>
    public static byte[] Mutate(Random random, byte[] seed, IReadOnlyList<byte[]> tokens)
    {
        var bytes = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[Math.Min(at, bytes.Count - 1)] = (byte)random.Next(256);
                    break;
                case 1 or 2:
                    bytes.InsertRange(at, tokens[random.Next(tokens.Count)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 17), bytes.Count - at));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5 or 6:
                    var (start, end) = LineAround(bytes, at);
                    var line = bytes.GetRange(start, end - start);
                    if (random.Next(2) == 0)
                    {
                        bytes.InsertRange(end, line);
                    }
                    else
                    {
                        bytes.RemoveRange(start, end - start);
                    }
                    break;
                default:
                    // Delete one structural byte: a brace, a bracket, a quote, a field separator.
                    var structural = Enumerable.Range(0, bytes.Count).Where(i => bytes[i] is (byte)'{' or (byte)'}' or (byte)'[' or (byte)'"' or (byte)'|').ToList();
                    if (structural.Count > 0)
                    {
                        bytes.RemoveAt(structural[random.Next(structural.Count)]);
                    }
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>The line (with its line break) that holds <paramref name="at"/>; lines end at CR or LF.</summary>
    private static (int Start, int End) LineAround(List<byte> bytes, int at)
    {
        var start = Math.Min(at, bytes.Count);
        while (start > 0 && bytes[start - 1] is not ((byte)'\r' or (byte)'\n'))
        {
            start--;
        }
        var end = Math.Min(at, bytes.Count);
        while (end < bytes.Count && bytes[end] is not ((byte)'\r' or (byte)'\n'))
        {
            end++;
        }
        while (end < bytes.Count && bytes[end] is (byte)'\r' or (byte)'\n')
        {
            end++;
        }
        return (start, end);
    }

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Everything a run takes from one file, as text: failure, counts, rejections and events in their stored JSON.</summary>
    public static string Outcome(FileIngestion file, IEnumerable<TimelineEvent> events)
    {
        var text = new StringBuilder()
            .Append(file.Kind).Append(' ').Append(file.Failure).Append(' ')
            .Append(file.RowsRead).Append('/').Append(file.RowsAccepted).Append('/').Append(file.RowsRejected).Append('\n');
        foreach (var rejection in file.Rejections)
        {
            text.Append(rejection).Append('\n');
        }
        foreach (var fact in events)
        {
            text.Append(Encoding.UTF8.GetString(TimelineEventJson.ToUtf8(fact))).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Runs <paramref name="iterations"/> mutants of <paramref name="seed"/> through the ingestor twice each and
    /// returns what went wrong (empty when nothing did); a failure names the iteration so it can be replayed.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A fuzz harness reports whatever escapes, with the iteration that let it out.")]
    public static List<string> Run(string name, byte[] seed, int randomSeed, int iterations, IReadOnlyList<byte[]> tokens, IReadOnlyCollection<string> secrets)
    {
        var random = new Random(randomSeed);
        var problems = new List<string>();
        for (var i = 0; i < iterations && problems.Count < 5; i++)
        {
            var mutant = Mutate(random, seed, tokens);
            try
            {
                var (file, events) = Ingest(name, mutant);
                var (again, eventsAgain) = Ingest(name, mutant);
                var where = $"{name} seed {randomSeed} iteration {i}";
                if (file.Quarantined ? file.RowsRead != 0 || events.Count != 0 : file.RowsRead != file.RowsAccepted + file.RowsRejected)
                {
                    problems.Add($"{where}: counts do not reconcile ({file.RowsRead} read, {file.RowsAccepted} accepted, {file.RowsRejected} rejected, quarantined {file.Quarantined}, {events.Count} events)");
                }
                if (Outcome(file, events) != Outcome(again, eventsAgain))
                {
                    problems.Add($"{where}: the same bytes read twice gave different outcomes");
                }
                var reasons = file.Rejections.Select(r => $"{r.Column} {r.Reason}").Append(file.Failure?.Reason ?? "");
                foreach (var leak in reasons.SelectMany(r => secrets.Where(s => r.Contains(s, StringComparison.OrdinalIgnoreCase))).Distinct())
                {
                    problems.Add($"{where}: a reason quotes patient data ({leak.Length} characters)");
                }
            }
            catch (Exception e)
            {
                problems.Add($"{name} seed {randomSeed} iteration {i}: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            }
        }
        return problems;
    }

    /// <summary><see cref="Run"/>, failing with every problem found (each names its seed and iteration).</summary>
    public static void Check(string name, byte[] seed, int randomSeed, int iterations, IReadOnlyList<byte[]> tokens, IReadOnlyCollection<string> secrets)
    {
        var problems = Run(name, seed, randomSeed, iterations, tokens, secrets);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static (FileIngestion File, List<TimelineEvent> Events) Ingest(string name, byte[] bytes)
    {
        var events = new List<TimelineEvent>();
        var file = BatchIngestor.Ingest(Batch, $"2026-01-01/{name}", new MemoryStream(bytes, writable: false), events.Add);
        return (file, events);
    }
}
