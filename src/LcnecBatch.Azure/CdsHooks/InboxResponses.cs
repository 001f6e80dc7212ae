using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using LcnecBatch.Core.Events;
using LcnecBatch.Core.Formats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure.CdsHooks;

/// <summary>The caller as App Service Authentication forwards it: its role claims and a stable id (never a name).</summary>
public sealed record ClientPrincipal(IReadOnlyList<string> Roles, string? ObjectId)
{
    private const int MaxHeaderLength = 16 * 1024;

    private static readonly string[] ObjectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    /// <summary>
    /// Reads <c>X-MS-CLIENT-PRINCIPAL</c>: base64 of <c>{"auth_typ","claims":[{"typ","val"}],"name_typ","role_typ"}</c>.
    /// Roles are the claims of type <c>roles</c> and of the principal's <c>role_typ</c>. Null for anything malformed.
    /// </summary>
    public static ClientPrincipal? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > MaxHeaderLength)
        {
            return null;
        }
        var bytes = new byte[header.Length];
        if (!Convert.TryFromBase64String(header.Trim(), bytes, out var length))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("auth_typ", out var authType) || authType.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(authType.GetString())
                || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var roles = new List<string>();
            string? objectId = null;
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object
                    || !claim.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String
                    || !claim.TryGetProperty("val", out var val) || val.ValueKind != JsonValueKind.String)
                {
                    return null;
                }
                var type = typ.GetString()!;
                if (type == "roles" || (roleType is { Length: > 0 } && type == roleType))
                {
                    roles.Add(val.GetString()!);
                }
                else if (objectId is null && ObjectIdClaims.Contains(type, StringComparer.Ordinal))
                {
                    objectId = val.GetString();
                }
            }
            return new ClientPrincipal(roles, objectId);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// <c>POST /api/alerts/{alertId}/responses</c> (cds-hooks.md "Inbox responses"): one care-team response from an inbox
/// integration behind App Service Authentication, recorded as a response line in the archive container by the same
/// writer as CDS Hooks feedback (<see cref="ResponseArchive"/>) and checked by the same reader as the archive's.
/// </summary>
public sealed partial class InboxResponses(
    IOptions<InboxOptions> options,
    IOptions<LabExportOptions> exports,
    IBatchState state,
    CdsHooksTable table,
    BlobServiceClient blobs,
    TimeProvider clock,
    ILogger<InboxResponses> logger)
{
    public const string Channel = "inbox";

    /// <summary>The fields a client may send; the others of an archive line are the server's.</summary>
    private static readonly string[] ClientFields = ["responseId", "kind", "respondedOn", "reason", "until", "disagreement", "outsideTest"];

    private static readonly string[] ServerFields = ["mrn", "alertId", "by", "channel"];

    private readonly InboxOptions _options = options.Value;

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex AlertIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]
    private static partial Regex ResponseIdPattern();

    /// <summary>Whether the platform vouches for the principal header: App Service sets this when Easy Auth is on.</summary>
    public static bool PlatformAuthenticationEnabled =>
        string.Equals(Environment.GetEnvironmentVariable("WEBSITE_AUTH_ENABLED"), "True", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// 401 unless Easy Auth is on (or trusted by option) and the principal header parses; 403 without the role; 404 for
    /// an alert id no alert has; 400 for a body that is not one valid response; 201 when recorded, 200 when that
    /// response id was recorded before (nothing written again).
    /// </summary>
    public async Task<CdsReply> RespondAsync(string? alertId, string? principalHeader, string? idempotencyKey, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!_options.TrustClientPrincipalHeader && !PlatformAuthenticationEnabled)
        {
            return Error(HttpStatusCode.Unauthorized, "App Service Authentication is not enabled");
        }
        if (ClientPrincipal.Parse(principalHeader) is not { } principal)
        {
            return Error(HttpStatusCode.Unauthorized, "no valid client principal");
        }
        if (!principal.Roles.Contains(_options.RequiredRole, StringComparer.Ordinal))
        {
            return Error(HttpStatusCode.Forbidden, "the caller lacks the required app role");
        }
        if (alertId is null || !AlertIdPattern().IsMatch(alertId))
        {
            return Error(HttpStatusCode.NotFound, "no such alert");
        }
        alertId = alertId.ToLowerInvariant();
        using var document = await ParseAsync(body, cancellationToken);
        if (document?.RootElement is not { ValueKind: JsonValueKind.Object } root)
        {
            return Error(HttpStatusCode.BadRequest, "the body is not a JSON object (of at most 64 KiB)");
        }
        foreach (var property in root.EnumerateObject())
        {
            if (ServerFields.Contains(property.Name, StringComparer.Ordinal))
            {
                return Error(HttpStatusCode.BadRequest, $"{property.Name} is set by the server, not the body", property.Name);
            }
            if (!ClientFields.Contains(property.Name, StringComparer.Ordinal))
            {
                // The unknown name is not echoed: a client could have put anything in it.
                return Error(HttpStatusCode.BadRequest, "the body has a field this endpoint does not take");
            }
        }
        var bodyId = root.TryGetProperty("responseId", out var id) ? id : (JsonElement?)null;
        if (bodyId is { } given && (given.ValueKind != JsonValueKind.String || !ResponseIdPattern().IsMatch(given.GetString()!)))
        {
            return Error(HttpStatusCode.BadRequest, "not a response id (1-100 letters, digits, '.', '_', ':' or '-')", "responseId");
        }
        if (idempotencyKey is not null && !ResponseIdPattern().IsMatch(idempotencyKey))
        {
            return Error(HttpStatusCode.BadRequest, "not an idempotency key (1-100 letters, digits, '.', '_', ':' or '-')", "Idempotency-Key");
        }
        if (bodyId?.GetString() is { } fromBody && idempotencyKey is not null && fromBody != idempotencyKey)
        {
            return Error(HttpStatusCode.BadRequest, "the Idempotency-Key header and the body's responseId differ", "responseId");
        }

        AlertRecordAt? found;
        try
        {
            found = await state.AlertAsync(alertId, cancellationToken) is { } hit ? new AlertRecordAt(hit.Pseudonym, hit.Record) : null;
        }
        catch (PatientScreeningException)
        {
            return Error(HttpStatusCode.InternalServerError, "the alert could not be read");
        }
        if (found is null)
        {
            return Error(HttpStatusCode.NotFound, "no such alert");
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var by = principal.ObjectId is { Length: > 0 and <= 100 } oid && oid.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? "entra-oid:" + oid
            : "role:" + _options.RequiredRole;
        var key = bodyId?.GetString() ?? idempotencyKey;
        var candidate = Candidate(root, alertId, found.Record.Last.Patient.Mrn, today, by, key);
        var responseId = "inbox:" + (key ?? Convert.ToHexStringLower(SHA256.HashData(candidate))[..32]);
        if (key is null)
        {
            candidate = Candidate(root, alertId, found.Record.Last.Patient.Mrn, today, by, responseId["inbox:".Length..]);
        }
        var blobName = ResponseArchive.BlobName(today, "inbox-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(responseId)))[..32]);

        AlertResponded? response = null;
        Rejection? rejection = null;
        using (var content = new MemoryStream(candidate))
        {
            ResponseLines.Read(content, blobName, today, r => response = r, r => rejection = r);
        }
        if (response is null)
        {
            return Error(HttpStatusCode.BadRequest, rejection?.Reason ?? "not a response", rejection?.Column);
        }
        if (response.RespondedOn < found.Record.RaisedOn)
        {
            return Error(HttpStatusCode.BadRequest, "before the alert was raised", "respondedOn");
        }

        if (await table.InboxResponseBlobAsync(responseId, cancellationToken) is not null)
        {
            return Recorded(HttpStatusCode.OK, responseId, created: false);
        }
        var line = ResponseArchive.Line(new ArchiveResponse(responseId, response.Mrn, alertId, response.RespondedOn, response.Kind, Channel)
        {
            Reason = response.Reason,
            Disagreement = response.Disagreement,
            Until = response.Until,
            OutsideTest = response.OutsideTest,
            By = by,
        });
        var created = await ResponseArchive.WriteAsync(blobs.GetBlobContainerClient(exports.Value.Container), blobName, line, cancellationToken);
        await table.NoteInboxResponseAsync(responseId, blobName, cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Inbox response {Kind} for {Pseudonym}: {Outcome}", ResponseLines.CamelCase(response.Kind.ToString()), found.Pseudonym, created ? "recorded" : "already recorded");
        }
        return Recorded(created ? HttpStatusCode.Created : HttpStatusCode.OK, responseId, created);
    }

    /// <summary>
    /// The line to check: the body's fields as sent (values untouched, so the archive reader judges them) with the
    /// server's: the alert's MRN and id, the day when none is given, who answered, the channel.
    /// </summary>
    private static byte[] Candidate(JsonElement body, string alertId, string mrn, DateOnly today, string by, string? responseId)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("responseId", responseId ?? "");
            w.WriteString("mrn", mrn);
            w.WriteString("alertId", alertId);
            if (!body.TryGetProperty("respondedOn", out _))
            {
                w.WriteString("respondedOn", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            foreach (var property in body.EnumerateObject().Where(p => p.Name != "responseId"))
            {
                property.WriteTo(w);
            }
            w.WriteString("by", by);
            w.WriteString("channel", Channel);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static CdsReply Recorded(HttpStatusCode status, string responseId, bool created) => new(status, Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("responseId", responseId);
        w.WriteString("status", created ? "recorded" : "alreadyRecorded");
        w.WriteEndObject();
    }));

    private static CdsReply Error(HttpStatusCode status, string reason, string? field = null) => new(status, Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", status switch
        {
            HttpStatusCode.Unauthorized => "unauthorized",
            HttpStatusCode.Forbidden => "forbidden",
            HttpStatusCode.NotFound => "notFound",
            HttpStatusCode.BadRequest => "invalidResponse",
            _ => "error",
        });
        if (field is not null)
        {
            w.WriteString("field", field);
        }
        w.WriteString("reason", reason);
        w.WriteEndObject();
    }));

    /// <summary>The body as one JSON document; null when it is not JSON or longer than an archive line may be.</summary>
    private static async Task<JsonDocument?> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[ResponseLines.MaxLineBytes + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += n;
        }
        if (length > ResponseLines.MaxLineBytes)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    private sealed record AlertRecordAt(string Pseudonym, Core.Alerts.AlertRecord Record);
}
