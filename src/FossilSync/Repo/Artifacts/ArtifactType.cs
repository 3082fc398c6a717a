namespace FossilSync.Repo.Artifacts;

/// <summary>The kinds of structural artifact; numbered as fossil's CFTYPE_* constants.</summary>
internal enum ArtifactType
{
    /// <summary>A check-in manifest (possibly a delta manifest with a B card).</summary>
    CheckIn = 1,

    /// <summary>A cluster: a list of M cards naming other artifacts.</summary>
    Cluster = 2,

    /// <summary>A control artifact: T cards adding or cancelling tags.</summary>
    Control = 3,

    /// <summary>A wiki page version.</summary>
    Wiki = 4,

    /// <summary>A ticket change.</summary>
    Ticket = 5,

    /// <summary>An attachment to a wiki page, ticket or technote.</summary>
    Attachment = 6,

    /// <summary>A technote (fossil calls it an event).</summary>
    TechNote = 7,

    /// <summary>A forum post.</summary>
    Forum = 8,
}
