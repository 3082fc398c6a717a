using System.Security.Cryptography;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Fuzz;

/// <summary>
/// The structural-artifact parser. It reports failure by returning false with a reason and has
/// no exception of its own, so the invariants are: nothing at all escapes; allocation stays
/// proportional to the input; the full parse agrees with the deferred-Z-card parse plus
/// <see cref="ArtifactParser.ZCardHolds"/>; <see cref="ArtifactParser.TryLocateZCard"/> points at
/// the text and digits whose MD5 decides that check; and parsing the same text again (now
/// through the per-thread F-card cache) gives the same artifact.
/// </summary>
internal static class ArtifactTarget
{
    private const int BytesPerByte = 64;
    private const int FixedAllowance = 64 * 1024;

    private static (bool Parsed, Artifact? Artifact, string? Error) Parse(byte[] text)
    {
        bool parsed = ArtifactParser.TryParse(text, out var artifact, out string? error);
        return (parsed, artifact, error);
    }

    public static void Run(ReadOnlySpan<byte> input)
    {
        byte[] text = input.ToArray();
        var (parsed, artifact, error) = AllocationBudget.Run(() => Parse(text), _ => BytesPerByte * (long)text.Length + FixedAllowance,
            () => $"parsing a {text.Length}-byte artifact");
        var deferred = ArtifactParser.ParseDeferringZCard(input);
        bool zHolds = ArtifactParser.ZCardHolds(input);

        if (parsed != (deferred is not null && zHolds))
        {
            throw new InvariantViolationException($"full parse says {parsed} ({error}); deferred parse {deferred is not null}, Z card holds {zHolds}");
        }
        if (ArtifactParser.TryLocateZCard(input, out var hashed, out var expectedHex))
        {
            string md5 = Convert.ToHexStringLower(MD5.HashData(input[hashed]));
            bool matches = input[expectedHex].SequenceEqual(System.Text.Encoding.ASCII.GetBytes(md5));
            if (matches != zHolds) throw new InvariantViolationException($"TryLocateZCard's ranges say the Z card {(matches ? "holds" : "fails")}, ZCardHolds says {zHolds}");
        }
        else if (!zHolds)
        {
            throw new InvariantViolationException("ZCardHolds fails but TryLocateZCard finds no Z card");
        }
        if (artifact is not null && deferred is not null) ArtifactComparer.Check(artifact, deferred);
    }
}
