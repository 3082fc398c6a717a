using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// Turns one card line into a card, or into the header of a payload card whose bytes follow.
/// </summary>
/// <remarks>
/// As in stock fossil, a line that is not a well-formed card of a kind without payload is an
/// <see cref="UnknownCard"/> (the server answers it with <c>error bad command</c>). A
/// malformed payload card is an <see cref="XferFormatException"/>: without a trustworthy size
/// the rest of the message cannot be read.
/// </remarks>
internal static class CardParser
{
    /// <summary>Longest table name a table-sync card may carry.</summary>
    public const int MaxTableNameLength = 48;

    /// <summary>What follows a payload card's line, and how to finish the card once it is read.</summary>
    internal sealed record PayloadHeader(string Kind, int Length, Func<ReadOnlyMemory<byte>, XferCard> Complete)
    {
        /// <summary>cfile: a newline follows unless the payload ends with one. config: one byte follows, whatever it is.</summary>
        public Trailer Trailer => Kind switch { "cfile" => Trailer.NewlineUnlessPresent, "config" or "xschema" or "xrow" or "xdelete" => Trailer.AnyOneByte, _ => Trailer.None };
    }

    internal enum Trailer { None, NewlineUnlessPresent, AnyOneByte }

    public static XferCard? Parse(ReadOnlySpan<byte> line, int lineNumber, XferLimits limits, out PayloadHeader? payload)
    {
        payload = null;
        if (!line.IsEmpty && line[0] == '#') return new CommentCard(Text(line[1..]));
        Span<Range> ranges = stackalloc Range[CardTokenizer.MaxTokens];
        int n = CardTokenizer.Split(line, ranges);
        if (n == 0) return Unknown(line);
        var t = new Tokens(line, ranges[..n]);
        switch (t.Name)
        {
            case "file": payload = ParseFile(t, line, lineNumber, limits); return null;
            case "cfile": payload = ParseCFile(t, line, lineNumber, limits); return null;
            case "config": payload = ParseConfig(t, line, lineNumber, limits); return null;
            case "uvfile":
                payload = ParseUvFile(t, line, lineNumber, limits, out var bare);
                return bare;
            case "xschema" or "xrow" or "xdelete": payload = ParseTablePayload(t, line, lineNumber, limits); return null;
        }
        return t.Name switch
        {
            "login" when n == 4 => new LoginCard(FossilEscaping.Decode(t.Text(1)), t.Text(2), t.Text(3)),
            "push" when n == 3 && t.IsHash(2) => new PushCard(t.Text(1), t.Text(2)),
            "pull" when n == 3 && t.IsHash(2) => new PullCard(t.Text(1), t.Text(2)),
            "clone" when n == 1 => new CloneCard(),
            "clone" when n == 2 && t.Number(1) is long v && v <= int.MaxValue => new CloneCard((int)v),
            "clone" when n == 3 && t.Number(1) is long v && v <= int.MaxValue && t.Number(2) is long seq => new CloneCard((int)v, seq),
            "clone_seqno" when n == 2 && t.Number(1) is long seq => new CloneSeqnoCard(seq),
            "igot" when n >= 2 && t.IsHash(1) => new IGotCard(t.Text(1), n >= 3 && t.Text(2) == "1"),
            "gimme" when n == 2 && t.IsHash(1) => new GimmeCard(t.Text(1)),
            "cookie" when n == 2 => new CookieCard(t.Text(1)),
            "private" when n == 1 => new PrivateCard(),
            "reqconfig" when n == 2 => new ReqConfigCard(t.Text(1)),
            "uvigot" when n == 5 && t.Number(2) is long mtime && (t.Text(3) == "-" || t.IsHash(3)) && t.Number(4) is long size =>
                new UvIGotCard(t.Text(1), mtime, t.Text(3) == "-" ? null : t.Text(3), size),
            "uvgimme" when n == 2 => new UvGimmeCard(t.Text(1)),
            "xigot" when n == 5 && t.IsTableName(1) && t.IsSha1(2) && t.Number(3) is long mtime && t.IsSha1(4) => new XIGotCard(t.Text(1), t.Text(2), mtime, t.Text(4)),
            "xgimme" when n == 3 && t.IsTableName(1) && t.IsSha1(2) => new XGimmeCard(t.Text(1), t.Text(2)),
            "xrefused" when n == 5 && t.IsTableName(1) && (t.Text(2) == "-" || t.IsSha1(2)) && t.IsTableName(3) =>
                new XRefusedCard(t.Text(1), t.Text(2) == "-" ? null : t.Text(2), t.Text(3), FossilEscaping.Decode(t.Text(4))),
            "pragma" when n >= 2 => new PragmaCard(t.Text(1), t.TextsFrom(2)),
            "error" when n == 2 => new ErrorCard(FossilEscaping.Decode(t.Text(1))),
            "message" when n == 2 => new MessageCard(FossilEscaping.Decode(t.Text(1))),
            _ => Unknown(line),
        };
    }

    private static PayloadHeader ParseFile(Tokens t, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits)
    {
        if (t.Count is not (3 or 4) || !t.IsHash(1) || (t.Count == 4 && !t.IsHash(2)))
        {
            throw Malformed(line, lineNumber, "a file card is 'file HASH [SRC] SIZE' with lowercase artifact hashes");
        }
        string hash = t.Text(1);
        string? source = t.Count == 4 ? t.Text(2) : null;
        int size = Size(t, t.Count - 1, line, lineNumber, limits);
        return new PayloadHeader("file", size, bytes => new FileCard(hash, source, bytes));
    }

    private static PayloadHeader ParseCFile(Tokens t, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits)
    {
        if (t.Count is not (4 or 5) || !t.IsHash(1) || (t.Count == 5 && !t.IsHash(2)))
        {
            throw Malformed(line, lineNumber, "a cfile card is 'cfile HASH [SRC] USIZE CSIZE' with lowercase artifact hashes");
        }
        string hash = t.Text(1);
        string? source = t.Count == 5 ? t.Text(2) : null;
        int fullSize = Size(t, t.Count - 2, line, lineNumber, limits);
        int size = Size(t, t.Count - 1, line, lineNumber, limits);
        return new PayloadHeader("cfile", size, bytes => new CFileCard(hash, source, fullSize, bytes));
    }

    private static PayloadHeader ParseConfig(Tokens t, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits)
    {
        if (t.Count != 3) throw Malformed(line, lineNumber, "a config card is 'config NAME SIZE'");
        string name = t.Text(1);
        int size = Size(t, 2, line, lineNumber, limits);
        return new PayloadHeader("config", size, bytes => new ConfigCard(name, bytes));
    }

    private static PayloadHeader? ParseUvFile(Tokens t, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits, out XferCard? bare)
    {
        bare = null;
        if (t.Count != 6 || t.Number(2) is not long mtime || !(t.Text(3) == "-" || t.IsHash(3)) || t.Number(5) is not long flags || flags > int.MaxValue)
        {
            throw Malformed(line, lineNumber, "a uvfile card is 'uvfile NAME MTIME HASH SIZE FLAGS'");
        }
        string name = t.Text(1);
        string? hash = t.Text(3) == "-" ? null : t.Text(3);
        int size = Size(t, 4, line, lineNumber, limits);
        if (!UvFileCard.CarriesContent(size, (int)flags))
        {
            bare = new UvFileCard(name, mtime, hash, size, (int)flags, null);
            return null;
        }
        return new PayloadHeader("uvfile", size, bytes => new UvFileCard(name, mtime, hash, size, (int)flags, bytes));
    }

    // xschema NAME CATHASH SIZE, xrow NAME PKHASH MTIME SIZE, xdelete NAME PKHASH MTIME SIZE.
    private static PayloadHeader ParseTablePayload(Tokens t, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits)
    {
        string kind = t.Name;
        bool schema = kind == "xschema";
        if (t.Count != (schema ? 4 : 5) || !t.IsTableName(1) || !t.IsSha1(2) || (!schema && t.Number(3) is null))
        {
            throw Malformed(line, lineNumber, schema
                ? "an xschema card is 'xschema NAME CATHASH SIZE' with a table name and a lowercase SHA1"
                : $"an {kind} card is '{kind} NAME PKHASH MTIME SIZE' with a table name and a lowercase SHA1");
        }
        string table = t.Text(1), hash = t.Text(2);
        int size = Size(t, t.Count - 1, line, lineNumber, limits);
        if (size > limits.MaxTableRowSize) throw Malformed(line, lineNumber, $"a table payload of {size} bytes exceeds the limit of {limits.MaxTableRowSize}");
        if (schema) return new PayloadHeader(kind, size, bytes => new XSchemaCard(table, hash, bytes));
        long mtime = t.Number(3)!.Value;
        return kind == "xrow"
            ? new PayloadHeader(kind, size, bytes => new XRowCard(table, hash, mtime, bytes))
            : new PayloadHeader(kind, size, bytes => new XDeleteCard(table, hash, mtime, bytes));
    }

    private static int Size(Tokens t, int index, ReadOnlySpan<byte> line, int lineNumber, XferLimits limits)
    {
        if (t.Number(index) is not long size) throw Malformed(line, lineNumber, $"'{t.Text(index)}' is not a size");
        if (size > limits.MaxPayloadSize) throw Malformed(line, lineNumber, $"a payload of {size} bytes exceeds the limit of {limits.MaxPayloadSize}");
        return (int)size;
    }

    private static UnknownCard Unknown(ReadOnlySpan<byte> line) => new(Text(line));

    private static XferFormatException Malformed(ReadOnlySpan<byte> line, int lineNumber, string problem) => new(lineNumber, Text(line), problem);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private readonly ref struct Tokens(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges)
    {
        private readonly ReadOnlySpan<byte> _line = line;
        private readonly ReadOnlySpan<Range> _ranges = ranges;

        public int Count => _ranges.Length;

        public string Name => Text(0);

        public string Text(int i) => Encoding.UTF8.GetString(_line[_ranges[i]]);

        public string[] TextsFrom(int first)
        {
            var texts = new string[Math.Max(0, Count - first)];
            for (int i = 0; i < texts.Length; i++) texts[i] = Text(first + i);
            return texts;
        }

        public bool IsHash(int i) => ArtifactHash.IsValid(_line[_ranges[i]]);

        public bool IsSha1(int i)
        {
            var token = _line[_ranges[i]];
            return token.Length == 40 && !token.ContainsAnyExcept("0123456789abcdef"u8);
        }

        // The shape of a synced table's name (which names are allowed is the repository's rule).
        public bool IsTableName(int i)
        {
            var token = _line[_ranges[i]];
            return token.Length is > 0 and <= MaxTableNameLength && token[0] is >= (byte)'a' and <= (byte)'z' && !token.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_"u8);
        }

        // Unsigned decimal that fits comfortably in a long; anything else is not a number.
        public long? Number(int i)
        {
            var digits = _line[_ranges[i]];
            if (digits.Length is 0 or > 18) return null;
            long value = 0;
            foreach (byte b in digits)
            {
                if (b is < (byte)'0' or > (byte)'9') return null;
                value = value * 10 + (b - '0');
            }
            return value;
        }
    }
}
