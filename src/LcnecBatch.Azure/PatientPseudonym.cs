using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LcnecBatch.Azure;

/// <summary>The key of patient pseudonyms, bound from <c>Pseudonym</c> (in Azure a Key Vault reference).</summary>
public sealed class PseudonymOptions
{
    public const string SectionName = "Pseudonym";

    /// <summary>Any secret string of at least 32 characters (e.g. <c>openssl rand -base64 48</c>); its UTF-8 bytes are the HMAC key.</summary>
    [Required]
    [MinLength(32, ErrorMessage = "Pseudonym:Key must be at least 32 characters")]
    public string Key { get; set; } = "";
}

/// <summary>
/// Keyed pseudonyms (alerts.md, PHI): HMAC-SHA256 of the UTF-8 mrn with the configured key, the first 128 bits
/// as lower-case hex. They name a patient in logs and in Table Storage keys; without the key they cannot be
/// turned back into an mrn, nor computed from one.
/// </summary>
public sealed class PatientPseudonym(IOptions<PseudonymOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.Key);

    public string Of(string mrn)
    {
        ArgumentNullException.ThrowIfNull(mrn);
        return Hash(mrn);
    }

    /// <summary>An accession's pseudonym: raw NGS files wait under it until a row names their patient.</summary>
    public string OfAccession(string accession)
    {
        ArgumentNullException.ThrowIfNull(accession);
        return Hash($"accession:{accession}");
    }

    private string Hash(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)), 0, 16);
}
