namespace FossilSync.Xfer;

/// <summary>
/// One card of a sync message. Each card is an immutable record; payload cards keep their
/// bytes exactly as they travel. Free text (login names, error and message texts) is held
/// unescaped; the codec escapes it on the wire.
/// </summary>
public abstract record XferCard;

/// <summary><c>login USER NONCE SIGNATURE</c>: authenticates every byte after this line (see <see cref="XferLogin"/>).</summary>
public sealed record LoginCard(string User, string Nonce, string Signature) : XferCard;

/// <summary><c>push SERVERCODE PROJECTCODE</c>: the client will send; in a clone reply, the server's codes.</summary>
public sealed record PushCard(string ServerCode, string ProjectCode) : XferCard;

/// <summary><c>pull SERVERCODE PROJECTCODE</c>: the client wants to receive.</summary>
public sealed record PullCard(string ServerCode, string ProjectCode) : XferCard;

/// <summary><c>clone [VERSION [SEQNO]]</c>: the client wants the whole repository, from rid <see cref="SequenceNumber"/> on.</summary>
public sealed record CloneCard(int? Version = null, long? SequenceNumber = null) : XferCard;

/// <summary><c>clone_seqno N</c>: the next rid the client should ask for; 0 when the clone is complete.</summary>
public sealed record CloneSeqnoCard(long SequenceNumber) : XferCard;

/// <summary><c>file HASH [SRC] SIZE</c> + SIZE bytes: full content, or a delta against <see cref="DeltaSource"/>.</summary>
public sealed record FileCard(string Hash, string? DeltaSource, ReadOnlyMemory<byte> Content) : XferCard;

/// <summary>
/// <c>cfile HASH [SRC] USIZE CSIZE</c> + CSIZE bytes: content already in stored form (4-byte size +
/// zlib) of the full artifact or of a delta; <see cref="UncompressedSize"/> is always the full artifact's size.
/// </summary>
public sealed record CFileCard(string Hash, string? DeltaSource, long UncompressedSize, ReadOnlyMemory<byte> Payload) : XferCard;

/// <summary><c>igot HASH [1]</c>: the sender has the artifact (<c>1</c>: it is private).</summary>
public sealed record IGotCard(string Hash, bool IsPrivate = false) : XferCard;

/// <summary><c>gimme HASH</c>: the sender wants the artifact.</summary>
public sealed record GimmeCard(string Hash) : XferCard;

/// <summary><c>cookie TEXT</c>: an opaque server cookie.</summary>
public sealed record CookieCard(string Value) : XferCard;

/// <summary><c>private</c>: the next file or cfile card is private.</summary>
public sealed record PrivateCard : XferCard;

/// <summary><c>reqconfig NAME</c>: ask for a configuration group (e.g. <c>/all</c>).</summary>
public sealed record ReqConfigCard(string Name) : XferCard;

/// <summary><c>config NAME SIZE</c> + SIZE bytes + one newline: one configuration record.</summary>
public sealed record ConfigCard(string Name, ReadOnlyMemory<byte> Content) : XferCard;

/// <summary>
/// <c>uvfile NAME MTIME HASH SIZE FLAGS</c> [+ SIZE bytes]: an unversioned file. <see cref="Hash"/> is
/// null for a deletion; <see cref="Content"/> is present only when SIZE&gt;0 and FLAGS has neither bit 1 nor 4.
/// </summary>
public sealed record UvFileCard(string Name, long MTime, string? Hash, long Size, int Flags, ReadOnlyMemory<byte>? Content) : XferCard
{
    /// <summary>FLAGS bit: the file is deleted.</summary>
    public const int Deleted = 1;

    /// <summary>FLAGS bit: content omitted (an mtime-only update, or over budget).</summary>
    public const int ContentOmitted = 4;

    /// <summary>True when content bytes follow the card on the wire.</summary>
    public static bool CarriesContent(long size, int flags) => size > 0 && (flags & (Deleted | ContentOmitted)) == 0;
}

/// <summary><c>uvigot NAME MTIME HASH SIZE</c>: an unversioned catalogue entry; <see cref="Hash"/> null = deleted.</summary>
public sealed record UvIGotCard(string Name, long MTime, string? Hash, long Size) : XferCard;

/// <summary><c>uvgimme NAME</c>: ask for an unversioned file.</summary>
public sealed record UvGimmeCard(string Name) : XferCard;

/// <summary><c>pragma NAME ARGS…</c>: options and metadata; unknown pragmas are ignored by both sides.</summary>
public sealed record PragmaCard(string Name, IReadOnlyList<string> Arguments) : XferCard
{
    /// <summary>Creates a pragma from its name and arguments.</summary>
    public PragmaCard(string name, params string[] arguments) : this(name, (IReadOnlyList<string>)arguments) { }

    /// <inheritdoc/>
    public bool Equals(PragmaCard? other) => other is not null && Name == other.Name && Arguments.SequenceEqual(other.Arguments);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Arguments.Count);
}

/// <summary><c>error TEXT</c>: a fatal error from the peer.</summary>
public sealed record ErrorCard(string Message) : XferCard;

/// <summary><c>message TEXT</c>: an informational message from the peer.</summary>
public sealed record MessageCard(string Message) : XferCard;

/// <summary>A <c># …</c> line. <see cref="Text"/> is everything after the <c>#</c>.</summary>
public sealed record CommentCard(string Text) : XferCard;

/// <summary>
/// A line that is not a well-formed card of a kind that carries no payload (a blank line is
/// one too). Kept verbatim so a server can answer <c>error bad command</c> as stock does.
/// </summary>
public sealed record UnknownCard(string Line) : XferCard
{
    /// <summary>True for an empty line (stock clients skip these; stock servers reject them).</summary>
    public bool IsBlank => Line.Trim(CardTokenizer.WhitespaceChars).Length == 0;
}
