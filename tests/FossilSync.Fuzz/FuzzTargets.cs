namespace FossilSync.Fuzz;

/// <summary>The targets by name, as the command line and the smoke test pick them.</summary>
public static class FuzzTargets
{
    /// <summary>XferMessage/XferReader decode (plain, compressed, streamed) and the encode round trip.</summary>
    public const string CardCodec = "cardcodec";

    /// <summary>FossilDelta.Apply and the encoder round trip.</summary>
    public const string Delta = "delta";

    /// <summary>ArtifactParser and its Z-card helpers.</summary>
    public const string Artifact = "artifact";

    /// <summary>Every target name.</summary>
    public static IReadOnlyList<string> Names { get; } = [CardCodec, Delta, Artifact];

    /// <summary>Runs one input through a target; throws on an invariant violation or an undocumented exception.</summary>
    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        switch (target)
        {
            case CardCodec: CardCodecTarget.Run(input); break;
            case Delta: DeltaTarget.Run(input); break;
            case Artifact: ArtifactTarget.Run(input); break;
            default: throw new ArgumentException($"unknown target {target}; one of {string.Join(", ", Names)}", nameof(target));
        }
    }
}
