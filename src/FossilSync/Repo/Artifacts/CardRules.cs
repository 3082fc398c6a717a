namespace FossilSync.Repo.Artifacts;

/// <summary>Which cards each artifact type allows and requires (fossil 2.21's table).</summary>
internal static class CardRules
{
    private static readonly (int Allowed, int Required)[] Masks =
    [
        default,
        (Mask("BCDFNPQRTUZ"), Mask("DZ")),    // check-in: stock only requires D and Z for old manifests' sake
        (Mask("MZ"), Mask("MZ")),             // cluster
        (Mask("DTUZ"), Mask("DTUZ")),         // control
        (Mask("CDLNPUWZ"), Mask("DLUWZ")),    // wiki
        (Mask("DJKUZ"), Mask("DJKUZ")),       // ticket
        (Mask("ACDNUZ"), Mask("ADZ")),        // attachment
        (Mask("CDENPTUWZ"), Mask("DEWZ")),    // technote
        (Mask("DGHINPUWZ"), Mask("DUWZ")),    // forum
    ];

    /// <summary>Checks the set of cards seen (bit n = letter 'A'+n) against the type's rules.</summary>
    public static bool Check(ArtifactType type, int seen, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        var (allowed, required) = Masks[(int)type];
        if ((seen & ~allowed) != 0)
        {
            error = $"{Letter(seen & ~allowed)}-card in {type}";
            return false;
        }
        if ((~seen & required) != 0)
        {
            error = $"{Letter(~seen & required)}-card missing in {type}";
            return false;
        }
        error = null;
        return true;
    }

    private static int Mask(string letters)
    {
        int mask = 0;
        foreach (char c in letters) mask |= 1 << (c - 'A');
        return mask;
    }

    private static char Letter(int mask) => (char)('A' + System.Numerics.BitOperations.TrailingZeroCount(mask));
}
