using FossilSync.Repo;

namespace FossilSync.Exchange;

/// <summary>What an <see cref="ArtifactSender"/> may send and how much.</summary>
internal readonly record struct ArtifactSenderOptions
{
    /// <summary>Bytes of artifacts to send before advertising with <c>igot</c> instead.</summary>
    public long Budget { get; init; }

    /// <summary>Both sides sync private content: private artifacts (and private delta sources) may go out.</summary>
    public bool SyncPrivate { get; init; }

    /// <summary>Names never sent nor advertised (a server's dangling deltas); null = none.</summary>
    public Func<string, bool>? IsUnexpandable { get; init; }

    /// <summary>Leave out an artifact whose stored content is damaged instead of failing.</summary>
    public bool SkipDamaged { get; init; }

    /// <summary>Expands what is sent, and the parents its deltas are made against, through this window; null = the store alone.</summary>
    public ExpansionWindow? Expansions { get; init; }
}
