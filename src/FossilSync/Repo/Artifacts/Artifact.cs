namespace FossilSync.Repo.Artifacts;

/// <summary>A file named by an F card. <see cref="Hash"/> is null only in a delta manifest, where it means "deleted".</summary>
internal sealed record ArtifactFile(string Name, string? Hash, string? Permissions, string? PriorName)
{
    /// <summary>True for an executable file (<c>x</c> permission).</summary>
    public bool IsExecutable => Permissions is not null && Permissions.Contains('x');

    /// <summary>True for a symbolic link (<c>l</c> permission).</summary>
    public bool IsSymlink => Permissions is not null && Permissions.Contains('l');
}

/// <summary>
/// A T card. <see cref="Name"/> keeps its prefix: <c>+</c> single, <c>*</c> propagating,
/// <c>-</c> cancel. <see cref="TargetHash"/> is null when the card tags its own artifact (<c>*</c>).
/// </summary>
internal sealed record ArtifactTag(string Name, string? TargetHash, string? Value)
{
    /// <summary>The tag name without its prefix.</summary>
    public string BareName => Name[1..];

    /// <summary>The prefix character.</summary>
    public char Kind => Name[0];
}

/// <summary>A Q card: <see cref="Target"/> keeps its <c>+</c> (cherry-pick) or <c>-</c> (back-out) prefix.</summary>
internal sealed record ArtifactCherryPick(string Target, string? Baseline)
{
    /// <summary>True for a back-out (<c>-</c>).</summary>
    public bool IsBackout => Target[0] == '-';

    /// <summary>The target hash without its prefix.</summary>
    public string TargetHash => Target[1..];
}

/// <summary>A J card: one ticket field.</summary>
internal sealed record ArtifactField(string Name, string Value);

/// <summary>
/// A parsed structural artifact. Field names follow the card letters; every value is already
/// unescaped. Absent cards leave their field null or their list empty.
/// </summary>
internal sealed class Artifact
{
    /// <summary>What kind of artifact this is.</summary>
    public ArtifactType Type { get; internal set; }

    /// <summary>A: attachment file name (its last path component, as fossil keeps it).</summary>
    public string? AttachmentName { get; internal set; }

    /// <summary>A: what the attachment is attached to (wiki page name or artifact hash).</summary>
    public string? AttachmentTarget { get; internal set; }

    /// <summary>A: hash of the attached content; null when the attachment is being deleted.</summary>
    public string? AttachmentSource { get; internal set; }

    /// <summary>B: the baseline of a delta manifest.</summary>
    public string? Baseline { get; internal set; }

    /// <summary>C: check-in comment, or attachment/technote description.</summary>
    public string? Comment { get; internal set; }

    /// <summary>D: the artifact's date as a Julian day (0 when absent).</summary>
    public double Date { get; internal set; }

    /// <summary>E: a technote's date as a Julian day (0 when absent).</summary>
    public double TechNoteDate { get; internal set; }

    /// <summary>E: a technote's id.</summary>
    public string? TechNoteId { get; internal set; }

    /// <summary>F: the files of a check-in, in strictly ascending name order.</summary>
    public List<ArtifactFile> Files { get; } = [];

    /// <summary>G: the root post of a forum thread.</summary>
    public string? ThreadRoot { get; internal set; }

    /// <summary>H: a forum thread title.</summary>
    public string? ThreadTitle { get; internal set; }

    /// <summary>I: the forum post this one replies to.</summary>
    public string? InReplyTo { get; internal set; }

    /// <summary>J: ticket fields, in ascending name order.</summary>
    public List<ArtifactField> Fields { get; } = [];

    /// <summary>K: the ticket id (40 hex).</summary>
    public string? TicketId { get; internal set; }

    /// <summary>L: the wiki page title.</summary>
    public string? WikiTitle { get; internal set; }

    /// <summary>M: cluster members, strictly ascending.</summary>
    public List<string> ClusterMembers { get; } = [];

    /// <summary>N: the mimetype of the comment or wiki text.</summary>
    public string? MimeType { get; internal set; }

    /// <summary>P: parents; the first is the primary parent.</summary>
    public List<string> Parents { get; } = [];

    /// <summary>Q: cherry-picks and back-outs.</summary>
    public List<ArtifactCherryPick> CherryPicks { get; } = [];

    /// <summary>R: the MD5 over all files of the check-in.</summary>
    public string? RepositoryChecksum { get; internal set; }

    /// <summary>T: tags, ordered by name then target.</summary>
    public List<ArtifactTag> Tags { get; } = [];

    /// <summary>U: the user; <c>anonymous</c> when the card is empty.</summary>
    public string? User { get; internal set; }

    /// <summary>W: wiki, technote or forum text.</summary>
    public string? Text { get; internal set; }
}
