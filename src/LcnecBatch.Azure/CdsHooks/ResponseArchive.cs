using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>One care-team response as it is written to the archive (export-format.md "Responses"), before it is read back.</summary>
public sealed record ArchiveResponse(string ResponseId, string Mrn, string AlertId, DateOnly RespondedOn, ResponseKind Kind, string Channel)
{
    public NotCandidateReason? Reason { get; init; }

    public Disagreement? Disagreement { get; init; }

    public DateOnly? Until { get; init; }

    public OutsideTest? OutsideTest { get; init; }

    /// <summary>A role or system id of who answered (never a name).</summary>
    public string? By { get; init; }

    /// <summary>Channel-specific fields written after <c>channel</c> (the reader ignores them), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = [];
}

/// <summary>
/// The one writer of response lines into the lab-exports container, shared by the CDS Hooks feedback and the inbox
/// endpoint: a line per blob, <c>responses/{yyyy-MM-dd}/{file}.jsonl</c>, created only if absent so that the same
/// answer delivered again (a deterministic name) leaves the first blob as it was.
/// </summary>
public static class ResponseArchive
{
    /// <summary>The line (with its LF) of a response, fields in the order of the spec's table.</summary>
    public static byte[] Line(ArchiveResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("responseId", response.ResponseId);
            w.WriteString("mrn", response.Mrn);
            w.WriteString("alertId", response.AlertId);
            w.WriteString("respondedOn", Iso(response.RespondedOn));
            w.WriteString("kind", Word(response.Kind));
            if (response.Reason is { } why)
            {
                w.WriteString("reason", Word(why));
            }
            if (response.Disagreement is { } disagreement)
            {
                w.WriteString("disagreement", Word(disagreement));
            }
            if (response.Until is { } until)
            {
                w.WriteString("until", Iso(until));
            }
            if (response.OutsideTest is { } test)
            {
                w.WriteStartObject("outsideTest");
                w.WriteString("lab", test.Lab);
                w.WriteString("date", Iso(test.Date));
                w.WriteString("method", Word(test.Method));
                w.WriteString("result", Word(test.Result));
                if (test.Alteration is { } alteration)
                {
                    w.WriteString("alteration", alteration);
                }
                w.WriteEndObject();
            }
            if (response.By is { } by)
            {
                w.WriteString("by", by);
            }
            w.WriteString("channel", response.Channel);
            foreach (var (name, value) in response.Extra)
            {
                w.WriteString(name, value);
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The blob name of a response file recorded on <paramref name="recordedOn"/>.</summary>
    public static string BlobName(DateOnly recordedOn, string file) => $"responses/{Iso(recordedOn)}/{file}.jsonl";

    /// <summary>Creates the blob unless it exists; true when this call created it, false when it was already there.</summary>
    public static async Task<bool> WriteAsync(BlobContainerClient container, string blobName, byte[] line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        try
        {
            await container.GetBlobClient(blobName).UploadAsync(new BinaryData(line), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // The same answer delivered again: the deterministic name is already there.
            return false;
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Word<T>(T value)
        where T : struct, Enum => ResponseLines.CamelCase(value.ToString());
}
