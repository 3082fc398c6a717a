using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Repo.Artifacts;

/// <summary>
/// Recognises structural artifacts (check-ins, clusters, tags, wiki, tickets, attachments,
/// technotes, forum posts) with the same strictness as fossil 2.21's <c>manifest_parse</c>.
/// </summary>
/// <remarks>
/// Strictness is the point: content that is not exactly a well-formed artifact is ordinary file
/// content, never an error. A check-in whose text happens to look almost like a manifest must
/// not be crosslinked, and a real manifest must never be missed, so every rule here mirrors a
/// rule of stock fossil, and the tests compare verdicts with <c>fossil test-parse-manifest</c>.
/// </remarks>
internal static class ArtifactParser
{

    /// <summary>Parses <paramref name="content"/>; null when it is not a structural artifact. A crosslink passes its <paramref name="session"/>'s caches.</summary>
    public static Artifact? Parse(ReadOnlySpan<byte> content, ParseSession? session = null) =>
        TryParse(content, out var artifact, out _, checkZCard: true, session) ? artifact : null;

    /// <summary>
    /// Parses <paramref name="content"/> without the Z-card's MD5 check, which the caller owes:
    /// a result stands only if <see cref="ZCardHolds"/> is also true. Lets a rebuild hash on
    /// another core while it crosslinks (the MD5 of every manifest was a fifth of its time).
    /// </summary>
    public static Artifact? ParseDeferringZCard(ReadOnlySpan<byte> content, ParseSession? session = null) =>
        TryParse(content, out var artifact, out _, checkZCard: false, session) ? artifact : null;

    /// <summary>The Z-card check <see cref="ParseDeferringZCard"/> leaves out: true when there is no Z card or its MD5 matches.</summary>
    public static bool ZCardHolds(ReadOnlySpan<byte> content) =>
        content.IsEmpty || content[^1] != '\n' || ZCardMatches(StripPgpSignature(content), out _);

    /// <summary>
    /// Where the Z-card check of <see cref="ZCardHolds"/> looks, for a caller that computes the
    /// MD5 itself (many manifests at once): <paramref name="hashed"/> is the text whose MD5 the
    /// card must name, <paramref name="expectedHex"/> the 32 hex digits it names. False when
    /// there is no Z card to check (the check then holds).
    /// </summary>
    public static bool TryLocateZCard(ReadOnlySpan<byte> content, out Range hashed, out Range expectedHex)
    {
        hashed = expectedHex = default;
        if (content.IsEmpty || content[^1] != '\n') return false;
        var (start, length) = SignedText(content).GetOffsetAndLength(content.Length);
        return FindZCard(content.Slice(start, length), start, out hashed, out expectedHex);
    }

    // A Z card ending z: the text its MD5 covers and its 32 hex digits, as ranges of z moved by
    // offset. False when z does not end in one.
    private static bool FindZCard(ReadOnlySpan<byte> z, int offset, out Range hashed, out Range expectedHex)
    {
        hashed = expectedHex = default;
        int n = z.Length;
        if (n < 35 || z[n - 35] != 'Z' || z[n - 34] != ' ') return false;
        hashed = new Range(offset, offset + n - 35);
        expectedHex = new Range(offset + n - 33, offset + n - 1);
        return true;
    }

    /// <summary>
    /// False when <paramref name="content"/> cannot parse as a control artifact, judged by its
    /// first line and last byte alone: most file content (source text, binaries) is told apart
    /// without reading it further.
    /// </summary>
    public static bool CouldBeArtifact(ReadOnlySpan<byte> content) => IsShapedLikeArtifact(content, out _, out _);

    // The checks every parse starts with: a last newline, and a first line (past a clear-signing
    // header) that starts like a card. text is the artifact without that header and signature.
    private static bool IsShapedLikeArtifact(ReadOnlySpan<byte> content, out ReadOnlySpan<byte> text, [NotNullWhen(false)] out string? error)
    {
        text = default;
        if (content.IsEmpty) { error = "zero-length"; return false; }
        if (content[^1] != '\n') { error = "not terminated with \\n"; return false; }
        text = StripPgpSignature(content);
        if (text.Length < 10 || text[0] < 'A' || text[0] > 'Z' || text[1] != ' ')
        {
            error = "line 1 not recognized";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Parses <paramref name="content"/>; on failure <paramref name="error"/> says why, as fossil would.</summary>
    public static bool TryParse(ReadOnlySpan<byte> content, [NotNullWhen(true)] out Artifact? artifact, [NotNullWhen(false)] out string? error, ParseSession? session = null) =>
        TryParse(content, out artifact, out error, checkZCard: true, session);

    private static bool TryParse(ReadOnlySpan<byte> content, [NotNullWhen(true)] out Artifact? artifact, [NotNullWhen(false)] out string? error, bool checkZCard, ParseSession? session)
    {
        artifact = null;
        if (!IsShapedLikeArtifact(content, out content, out error)) return false;
        if (checkZCard && !ZCardMatches(content, out error)) return false;

        var result = new Artifact();
        var reader = new CardReader(content) { Session = session };
        session?.Files.BeginArtifact();
        if (!ParseCards(ref reader, result, out int seenCards, out int selfTags, out int simpleTags, out error)) return false;

        if (result.Type == 0)
        {
            result.Type = result.Comment is not null || result.Files.Count > 0 || result.Parents.Count > 0
                ? ArtifactType.CheckIn
                : ArtifactType.Control;
        }
        if (!CardRules.Check(result.Type, seenCards, out error)) return false;
        error = result.Type switch
        {
            ArtifactType.Control when selfTags > 0 => "self-referential T-card in control artifact",
            ArtifactType.TechNote when result.Tags.Count != selfTags => "non-self-referential T-card in technote",
            ArtifactType.TechNote when result.Tags.Count != simpleTags => "T-card with '*' or '-' in technote",
            ArtifactType.Forum when result.ThreadTitle is not null && result.InReplyTo is not null => "cannot have I-card and H-card in a forum post",
            ArtifactType.Forum when result.Parents.Count > 1 => "too many arguments to P-card",
            _ => null,
        };
        if (error is not null) return false;
        artifact = result;
        return true;
    }

    private static bool ParseCards(ref CardReader x, Artifact p, out int seenCards, out int selfTags, out int simpleTags, [NotNullWhen(false)] out string? error)
    {
        seenCards = 0;
        selfTags = 0;
        simpleTags = 0;
        byte previous = 0;
        int line = 0;
        byte card;
        while ((card = x.NextCard()) != 0)
        {
            line++;
            // Cards come in ascending letter order; a technote may put its N card after P.
            if (card < previous && (card != 'N' || previous != 'P' || p.TechNoteId is null))
            {
                return Fail($"line {line}: cards not in lexicographical order", out error);
            }
            if (card is < (byte)'A' or > (byte)'Z') return Fail($"line {line}: bad card type", out error);
            seenCards |= 1 << (card - 'A');
            previous = card;
            string? problem = card switch
            {
                (byte)'A' => ParseA(ref x, p),
                (byte)'B' => ParseB(ref x, p),
                (byte)'C' => ParseC(ref x, p),
                (byte)'D' => ParseD(ref x, p),
                (byte)'E' => ParseE(ref x, p),
                (byte)'F' => ParseF(ref x, p),
                (byte)'G' => ParseHashCard(ref x, p, 'G', p.ThreadRoot, h => { p.ThreadRoot = h; p.Type = ArtifactType.Forum; }),
                (byte)'H' => ParseH(ref x, p),
                (byte)'I' => ParseHashCard(ref x, p, 'I', p.InReplyTo, h => { p.InReplyTo = h; p.Type = ArtifactType.Forum; }),
                (byte)'J' => ParseJ(ref x, p),
                (byte)'K' => ParseK(ref x, p),
                (byte)'L' => ParseL(ref x, p),
                (byte)'M' => ParseM(ref x, p),
                (byte)'N' => ParseN(ref x, p),
                (byte)'P' => ParseP(ref x, p),
                (byte)'Q' => ParseQ(ref x, p),
                (byte)'R' => ParseR(ref x, p),
                (byte)'T' => ParseT(ref x, p, ref selfTags, ref simpleTags),
                (byte)'U' => ParseU(ref x, p),
                (byte)'W' => ParseW(ref x, p),
                (byte)'Z' => ParseZ(ref x),
                _ => "unrecognized card",
            };
            if (problem is not null) return Fail($"line {line}: {problem}", out error);
        }
        if (!x.AtEnd) return Fail($"line {line + 1}: extra characters at end of card", out error);
        error = null;
        return true;
    }

    private static string? ParseA(ref CardReader x, Artifact p)
    {
        if (!x.NextToken(out var name) || !x.NextToken(out var target)) return "A-card needs a name and a target";
        bool hasSource = x.NextToken(out var source);
        if (p.AttachmentTarget is not null) return "more than one A-card";
        string decodedName = Unescape(name);
        if (!PathRules.IsSimplePathNonStrict(decodedName)) return "invalid filename on A-card";
        string decodedTarget = Unescape(target);
        if (!IsHash(Encoding.UTF8.GetBytes(decodedTarget)) && !PathRules.IsWellFormedWikiName(decodedTarget)) return "invalid target on A-card";
        if (hasSource && !IsHash(source)) return "invalid source on A-card";
        p.AttachmentName = PathRules.Tail(decodedName);
        p.AttachmentSource = hasSource ? Text(source) : null;
        p.AttachmentTarget = decodedTarget;
        p.Type = ArtifactType.Attachment;
        return null;
    }

    private static string? ParseB(ref CardReader x, Artifact p)
    {
        if (p.Baseline is not null) return "more than one B-card";
        if (!x.NextToken(out var hash)) return "missing hash on B-card";
        if (!IsHash(hash)) return "invalid hash on B-card";
        p.Baseline = Text(hash);
        p.Type = ArtifactType.CheckIn;
        return null;
    }

    private static string? ParseC(ref CardReader x, Artifact p)
    {
        if (p.Comment is not null) return "more than one C-card";
        if (!x.NextToken(out var comment)) return "missing comment text on C-card";
        p.Comment = Unescape(comment);
        return null;
    }

    private static string? ParseD(ref CardReader x, Artifact p)
    {
        if (p.Date > 0) return "more than one D-card";
        double date = x.NextToken(out var text) ? JulianDay.Parse(Text(text)) ?? 0 : 0;
        if (date <= 0) return "cannot parse date on D-card";
        p.Date = date;
        return null;
    }

    private static string? ParseE(ref CardReader x, Artifact p)
    {
        if (p.TechNoteDate > 0) return "more than one E-card";
        double date = x.NextToken(out var text) ? JulianDay.Parse(Text(text)) ?? 0 : 0;
        if (date <= 0) return "malformed date on E-card";
        p.TechNoteDate = date;
        if (!x.NextToken(out var id)) return "missing hash on E-card";
        if (!IsHash(id)) return "malformed hash on E-card";
        p.TechNoteId = Text(id);
        p.Type = ArtifactType.TechNote;
        return null;
    }

    private static string? ParseF(ref CardReader x, Artifact p)
    {
        var cache = x.Session?.Files;
        var line = x.PeekRestOfLine();
        if (cache is not null && cache.TryGet(line, out var known, out bool inOrder) && known is not null)
        {
            x.SkipRestOfLine();
            return AddFile(p, known, checkOrder: !inOrder, cache, line);
        }
        if (!x.NextToken(out var nameToken)) return "missing filename on F-card";
        var pool = x.Session?.Strings;
        string name = nameToken.Contains((byte)'\\') ? Unescape(nameToken) : Pooled(pool, nameToken);
        if (!PathRules.IsSimplePathNonStrict(name)) return "F-card filename is not a simple path";
        bool hasHash = x.NextToken(out var hash);
        if (p.Baseline is null || hasHash)
        {
            if (!hasHash) return "missing hash on F-card";
            if (!IsHash(hash)) return "F-card hash invalid";
        }
        string? permissions = x.NextToken(out var perm) ? Pooled(pool, perm) : null;
        string? prior = null;
        if (x.NextToken(out var priorToken))
        {
            prior = Unescape(priorToken);
            if (!PathRules.IsSimplePathNonStrict(prior)) return "F-card old filename is not a simple path";
        }
        if (p.Files.Count > 0 && Utf8Order.Compare(p.Files[^1].Name, name) >= 0) return "incorrect F-card sort order";
        // Names fossil reserves for its own check-out database leaked into some old manifests;
        // stock drops them silently.
        if (PathRules.IsReservedName(name)) return null;
        // Hashes are not pooled: each is new with the line that carries it (unchanged lines come
        // from the line cache), and a pool of every hash of a large history only grew.
        var file = new ArtifactFile(name, hasHash ? Text(hash) : null, permissions, prior);
        // A line with more tokens fails the whole artifact later: never reuse it.
        bool reusable = hasHash && x.AtEndOfLine;
        if (reusable) cache?.Add(line, file);
        // Its order was checked above, before the reserved-name rule (stock's order of checks).
        return AddFile(p, file, checkOrder: false, reusable ? cache : null, line);
    }

    // Appends an F card, checking unless known that its name sorts after the previous one, and
    // tells the line cache it was accepted (so the next manifest can follow this one's lines).
    private static string? AddFile(Artifact p, ArtifactFile file, bool checkOrder, FileCardCache? cache, ReadOnlySpan<byte> line)
    {
        if (checkOrder && p.Files.Count > 0 && Utf8Order.Compare(p.Files[^1].Name, file.Name) >= 0) return "incorrect F-card sort order";
        p.Files.Add(file);
        p.Type = ArtifactType.CheckIn;
        cache?.Accepted(line, file);
        return null;
    }

    private static string? ParseH(ref CardReader x, Artifact p)
    {
        if (p.ThreadTitle is not null) return "more than one H-card";
        if (!x.NextToken(out var title)) return "missing title on H-card";
        p.ThreadTitle = Unescape(title);
        p.Type = ArtifactType.Forum;
        return null;
    }

    private static string? ParseHashCard(ref CardReader x, Artifact p, char letter, string? existing, Action<string> set)
    {
        if (existing is not null) return $"more than one {letter}-card";
        if (!x.NextToken(out var hash)) return $"missing hash on {letter}-card";
        if (!IsHash(hash)) return $"invalid hash on {letter}-card";
        set(Text(hash));
        return null;
    }

    private static string? ParseJ(ref CardReader x, Artifact p)
    {
        if (!x.NextToken(out var name)) return "name missing from J-card";
        string value = x.NextToken(out var valueToken) ? Unescape(valueToken) : "";
        string fieldName = Text(name);
        if (p.Fields.Count > 0 && Utf8Order.Compare(p.Fields[^1].Name, fieldName) >= 0) return "incorrect J-card sort order";
        p.Fields.Add(new ArtifactField(fieldName, value));
        p.Type = ArtifactType.Ticket;
        return null;
    }

    private static string? ParseK(ref CardReader x, Artifact p)
    {
        if (p.TicketId is not null) return "more than one K-card";
        if (!x.NextToken(out var id) || id.Length != ArtifactHash.Sha1Length) return "K-card UUID is the wrong size";
        if (!IsHex(id)) return "invalid K-card UUID";
        p.TicketId = Text(id);
        p.Type = ArtifactType.Ticket;
        return null;
    }

    private static string? ParseL(ref CardReader x, Artifact p)
    {
        if (p.WikiTitle is not null) return "more than one L-card";
        if (!x.NextToken(out var title)) return "missing title on L-card";
        string decoded = Unescape(title);
        if (!PathRules.IsWellFormedWikiName(decoded)) return "L-card has malformed wiki name";
        p.WikiTitle = decoded;
        p.Type = ArtifactType.Wiki;
        return null;
    }

    private static string? ParseM(ref CardReader x, Artifact p)
    {
        if (!x.NextToken(out var hash)) return "missing hash on M-card";
        if (!IsHash(hash)) return "Invalid hash on M-card";
        string member = Text(hash);
        if (p.ClusterMembers.Count > 0 && Utf8Order.Compare(p.ClusterMembers[^1], member) >= 0) return "M-card in the wrong order";
        p.ClusterMembers.Add(member);
        p.Type = ArtifactType.Cluster;
        return null;
    }

    private static string? ParseN(ref CardReader x, Artifact p)
    {
        if (p.MimeType is not null) return "more than one N-card";
        if (!x.NextToken(out var mime)) return "missing mimetype on N-card";
        p.MimeType = Unescape(mime);
        return null;
    }

    private static string? ParseP(ref CardReader x, Artifact p)
    {
        while (x.NextToken(out var hash))
        {
            if (!IsHash(hash)) return "invalid hash on P-card";
            p.Parents.Add(Text(hash));
        }
        return null;
    }

    private static string? ParseQ(ref CardReader x, Artifact p)
    {
        if (!x.NextToken(out var target)) return "missing hash on Q-card";
        // Two spaces make an empty token: stock reads its terminating NUL here and rejects it.
        if (target.IsEmpty || (target[0] != '+' && target[0] != '-')) return "Q-card does not begin with '+' or '-'";
        if (!IsHash(target[1..])) return "invalid hash on Q-card";
        string? baseline = null;
        if (x.NextToken(out var baselineToken))
        {
            if (!IsHash(baselineToken)) return "invalid second hash on Q-card";
            baseline = Text(baselineToken);
        }
        p.CherryPicks.Add(new ArtifactCherryPick(Text(target), baseline));
        p.Type = ArtifactType.CheckIn;
        return null;
    }

    private static string? ParseR(ref CardReader x, Artifact p)
    {
        if (p.RepositoryChecksum is not null) return "more than one R-card";
        if (!x.NextToken(out var sum) || sum.Length != 32) return "wrong size cksum on R-card";
        if (!IsHex(sum)) return "malformed R-card cksum";
        p.RepositoryChecksum = Text(sum);
        p.Type = ArtifactType.CheckIn;
        return null;
    }

    private static string? ParseT(ref CardReader x, Artifact p, ref int selfTags, ref int simpleTags)
    {
        if (!x.NextToken(out var nameToken)) return "missing name on T-card";
        if (!x.NextToken(out var target)) return "missing artifact hash on T-card";
        string? value = x.NextToken(out var valueToken) ? Unescape(valueToken) : null;
        string? targetHash;
        if (IsHash(target)) targetHash = Text(target);
        else if (target.Length == 1 && target[0] == '*') { targetHash = null; selfTags++; }
        else return "malformed artifact hash on T-card";
        string name = Unescape(nameToken);
        if (name.Length == 0 || (name[0] != '-' && name[0] != '+' && name[0] != '*')) return "T-card name does not begin with '-', '+', or '*'";
        if (name[0] == '+') simpleTags++;
        if (IsHex(Encoding.UTF8.GetBytes(name[1..]))) return "T-card name looks like a hexadecimal hash";
        if (p.Tags.Count > 0)
        {
            var last = p.Tags[^1];
            int c = Utf8Order.Compare(last.Name, name);
            if (c > 0 || (c == 0 && CompareNullFirst(last.TargetHash, targetHash) >= 0)) return "T-card in the wrong order";
        }
        p.Tags.Add(new ArtifactTag(name, targetHash, value));
        return null;
    }

    private static string? ParseU(ref CardReader x, Artifact p)
    {
        if (p.User is not null) return "more than one U-card";
        p.User = x.NextToken(out var user) && !user.IsEmpty ? Unescape(user) : "anonymous";
        return null;
    }

    private static string? ParseW(ref CardReader x, Artifact p)
    {
        if (!x.NextToken(out var sizeToken)) return "missing size on W-card";
        if (!x.AtEndOfLine) return "no content after W-card";
        long size = 0;
        foreach (byte b in sizeToken)
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            size = size * 10 + (b - '0');
            if (size > int.MaxValue) return "size overflow on W-card";
        }
        if (p.Text is not null) return "more than one W-card";
        if (!x.TakeText((int)size, out var text)) return "not enough content after W-card, or no \\n after it";
        p.Text = Text(text);
        return null;
    }

    private static string? ParseZ(ref CardReader x)
    {
        if (!x.NextToken(out var sum) || sum.Length != 32) return "wrong size for Z-card cksum";
        if (!IsHex(sum)) return "malformed Z-card cksum";
        return null;
    }

    private static ReadOnlySpan<byte> StripPgpSignature(ReadOnlySpan<byte> z) => z[SignedText(z)];

    // The part of a clear-signed artifact that is the artifact (all of it when it is not signed).
    private static Range SignedText(ReadOnlySpan<byte> z)
    {
        ReadOnlySpan<byte> begin = "-----BEGIN PGP SIGNED MESSAGE-----"u8;
        if (!z.StartsWith(begin)) return Range.All;
        int i = begin.Length;
        while (i < z.Length && !AfterBlankLine(z, i)) i++;
        if (i >= z.Length) return Range.All;
        int signature = z[i..].LastIndexOf("\n-----BEGIN PGP SIGNATURE"u8);
        return signature >= 0 ? new Range(i, i + signature + 1) : new Range(i, z.Length);
    }

    private static bool AfterBlankLine(ReadOnlySpan<byte> z, int i) =>
        z[i - 1] == '\n' && (z[i - 2] == '\n' || (z[i - 2] == '\r' && i >= 3 && z[i - 3] == '\n'));

    // A Z card, when the artifact ends with one, must be the MD5 of everything before it.
    private static bool ZCardMatches(ReadOnlySpan<byte> z, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!FindZCard(z, 0, out var hashed, out var expectedHex)) return true;
        Span<byte> digest = stackalloc byte[16];
        MD5.HashData(z[hashed], digest);
        string expected = Convert.ToHexStringLower(digest);
        if (z[expectedHex].SequenceEqual(Encoding.ASCII.GetBytes(expected))) return true;
        error = "incorrect Z-card cksum: expected " + expected;
        return false;
    }

    // fossil's hname_validate: 40 or 64 hex digits, either case.
    private static bool IsHash(ReadOnlySpan<byte> token) =>
        (token.Length == ArtifactHash.Sha1Length || token.Length == ArtifactHash.Sha3Length) && IsHex(token);

    private static bool IsHex(ReadOnlySpan<byte> token)
    {
        foreach (byte b in token)
        {
            if (!char.IsAsciiHexDigit((char)b)) return false;
        }
        return true;
    }

    private static int CompareNullFirst(string? a, string? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : Utf8Order.Compare(a, b);

    private static string Text(ReadOnlySpan<byte> token) => Encoding.UTF8.GetString(token);

    private static string Pooled(StringPool? pool, ReadOnlySpan<byte> token) => pool is null ? Text(token) : pool.Get(token);

    // Stock decodes into a C string, so an escaped NUL ends the value there.
    private static string Unescape(ReadOnlySpan<byte> token)
    {
        string decoded = FossilEscaping.Decode(Text(token));
        int nul = decoded.IndexOf('\0');
        return nul < 0 ? decoded : decoded[..nul];
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
