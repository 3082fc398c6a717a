using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using FossilSync.Primitives;

namespace FossilSync.Xfer;

/// <summary>
/// Writes cards exactly as stock fossil does: single spaces, LF line ends, no blank lines,
/// nothing after a file or uvfile payload, a newline after a cfile payload only when it does
/// not already end with one, and exactly one newline after a config payload (and after the JSON
/// of a table-sync card).
/// </summary>
public static class XferWriter
{
    /// <summary>Appends one card to <paramref name="output"/>.</summary>
    public static void Write(Stream output, XferCard card)
    {
        if (WriteUpToArtifact(output, card) is { } artifact)
        {
            output.Write(artifact.Span);
            if (NeedsClosingNewline(card, artifact.Span)) output.WriteByte((byte)'\n');
            return;
        }
        switch (card)
        {
            case ConfigCard c:
                Line(output, $"config {c.Name} {c.Content.Length}");
                output.Write(c.Content.Span);
                output.WriteByte((byte)'\n');
                break;
            case UvFileCard u:
                Line(output, $"uvfile {u.Name} {Number(u.MTime)} {u.Hash ?? "-"} {Number(u.Size)} {u.Flags.ToString(CultureInfo.InvariantCulture)}");
                if (UvFileCard.CarriesContent(u.Size, u.Flags))
                {
                    var content = u.Content ?? throw new ArgumentException($"uvfile {u.Name} of {u.Size} bytes with flags {u.Flags} needs its content.", nameof(card));
                    if (content.Length != u.Size) throw new ArgumentException($"uvfile {u.Name} declares {u.Size} bytes but carries {content.Length}.", nameof(card));
                    output.Write(content.Span);
                }
                break;
            case XSchemaCard x:
                TablePayload(output, $"xschema {x.Table} {x.CatalogueHash} {x.Definition.Length}", x.Definition);
                break;
            case XRowCard x:
                TablePayload(output, $"xrow {x.Table} {x.PkHash} {Number(x.MTime)} {x.Json.Length}", x.Json);
                break;
            case XDeleteCard x:
                TablePayload(output, $"xdelete {x.Table} {x.PkHash} {Number(x.MTime)} {x.KeyJson.Length}", x.KeyJson);
                break;
            case IGotCard i:
                Line(output, i, IGotLine);
                break;
            case GimmeCard g:
                Line(output, g, GimmeLine);
                break;
            default:
                Line(output, LineOf(card));
                break;
        }
    }

    /// <summary>
    /// For a card that carries an artifact (file, cfile), writes its line and returns the
    /// artifact's bytes without writing them, so a caller streaming a reply can send a large
    /// one from where it lies; <see cref="NeedsClosingNewline"/> says what follows it. Null,
    /// with nothing written, for any other card.
    /// </summary>
    internal static ReadOnlyMemory<byte>? WriteUpToArtifact(Stream output, XferCard card)
    {
        switch (card)
        {
            case FileCard f:
                Line(output, f, static (Span<byte> into, FileCard f, out int length) => f.DeltaSource is null
                    ? Utf8.TryWrite(into, CultureInfo.InvariantCulture, $"file {f.Hash} {f.Content.Length}\n", out length)
                    : Utf8.TryWrite(into, CultureInfo.InvariantCulture, $"file {f.Hash} {f.DeltaSource} {f.Content.Length}\n", out length));
                return f.Content;
            case CFileCard c:
                CFileLine(output, c.Hash, c.DeltaSource, c.UncompressedSize, c.Payload.Length);
                return c.Payload;
            case StoredCFileCard c:
                CFileLine(output, c.Hash.Span, c.DeltaSource.Span, c.UncompressedSize, c.Payload.Length);
                return c.Payload;
            default:
                return null;
        }
    }

    /// <summary>Whether a newline follows the artifact <see cref="WriteUpToArtifact"/> returned: after a cfile payload, unless it ends with one; never after a file's.</summary>
    internal static bool NeedsClosingNewline(XferCard card, ReadOnlySpan<byte> artifact) =>
        card is CFileCard or StoredCFileCard && (artifact.IsEmpty || artifact[^1] != '\n');

    /// <summary>The text of a card that has no payload, without its newline.</summary>
    public static string LineOf(XferCard card) => card switch
    {
        LoginCard l => $"login {FossilEscaping.Encode(l.User)} {l.Nonce} {l.Signature}",
        PushCard p => $"push {p.ServerCode} {p.ProjectCode}",
        PullCard p => $"pull {p.ServerCode} {p.ProjectCode}",
        CloneCard { Version: null } => "clone",
        CloneCard { SequenceNumber: null } c => $"clone {c.Version}",
        CloneCard c => $"clone {c.Version} {Number(c.SequenceNumber!.Value)}",
        CloneSeqnoCard s => $"clone_seqno {Number(s.SequenceNumber)}",
        IGotCard i => Text(i, IGotLine),
        GimmeCard g => Text(g, GimmeLine),
        CookieCard c => $"cookie {c.Value}",
        PrivateCard => "private",
        ReqConfigCard r => $"reqconfig {r.Name}",
        UvIGotCard u => $"uvigot {u.Name} {Number(u.MTime)} {u.Hash ?? "-"} {Number(u.Size)}",
        UvGimmeCard u => $"uvgimme {u.Name}",
        XIGotCard x => $"xigot {x.Table} {x.PkHash} {Number(x.MTime)} {x.VersionHash}",
        XGimmeCard x => $"xgimme {x.Table} {x.PkHash}",
        XRefusedCard x => $"xrefused {x.Table} {x.PkHash ?? "-"} {x.Code} {FossilEscaping.Encode(x.Message)}",
        PragmaCard p => p.Arguments.Count == 0 ? $"pragma {p.Name}" : $"pragma {p.Name} {string.Join(' ', p.Arguments)}",
        ErrorCard e => $"error {FossilEscaping.Encode(e.Message)}",
        MessageCard m => $"message {FossilEscaping.Encode(m.Message)}",
        CommentCard c => "#" + c.Text,
        UnknownCard u => u.Line,
        _ => throw new ArgumentException($"{card.GetType().Name} carries a payload; use Write.", nameof(card)),
    };

    // The JSON, then one newline, which the reader skips whatever it is (as after a config payload).
    private static void TablePayload(Stream output, string line, ReadOnlyMemory<byte> json)
    {
        Line(output, line);
        output.Write(json.Span);
        output.WriteByte((byte)'\n');
    }

    private static void CFileLine(Stream output, string hash, string? source, long uncompressedSize, int payloadLength)
    {
        int hashBytes = Encoding.UTF8.GetByteCount(hash);
        int sourceBytes = source is null ? 0 : Encoding.UTF8.GetByteCount(source);
        byte[]? rented = null;
        Span<byte> names = hashBytes + sourceBytes <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(hashBytes + sourceBytes));
        Encoding.UTF8.GetBytes(hash, names);
        if (source is not null) Encoding.UTF8.GetBytes(source, names[hashBytes..]);
        CFileLine(output, names[..hashBytes], names.Slice(hashBytes, sourceBytes), uncompressedSize, payloadLength);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    // cfile HASH [SRC] USIZE CSIZE: the line before the payload.
    private static void CFileLine(Stream output, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> source, long uncompressedSize, int payloadLength)
    {
        // "cfile " + the names + two numbers of at most 20 digits + three separators.
        int most = 6 + hash.Length + 1 + source.Length + 20 + 1 + 20 + 1;
        byte[]? rented = null;
        Span<byte> line = most <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(most));
        "cfile "u8.CopyTo(line);
        int n = 6;
        hash.CopyTo(line[n..]);
        n += hash.Length;
        if (!source.IsEmpty)
        {
            line[n++] = (byte)' ';
            source.CopyTo(line[n..]);
            n += source.Length;
        }
        line[n++] = (byte)' ';
        uncompressedSize.TryFormat(line[n..], out int digits, default, CultureInfo.InvariantCulture);
        n += digits;
        line[n++] = (byte)' ';
        payloadLength.TryFormat(line[n..], out digits, default, CultureInfo.InvariantCulture);
        n += digits;
        line[n++] = (byte)'\n';
        output.Write(line[..n]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    // The cards a pull's reply lists by the thousand, formatted once here for both Write and LineOf.
    private static bool IGotLine(Span<byte> into, IGotCard i, out int length) =>
        Utf8.TryWrite(into, $"igot {i.Hash}{(i.IsPrivate ? " 1" : "")}\n", out length);

    private static bool GimmeLine(Span<byte> into, GimmeCard g, out int length) =>
        Utf8.TryWrite(into, $"gimme {g.Hash}\n", out length);

    // A line written by a LineFormat, as text without its newline.
    private static string Text<T>(T card, LineFormat<T> format)
    {
        var bytes = new MemoryStream();
        Line(bytes, card, format);
        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length - 1);
    }

    // A card line formatted straight into bytes, into a stack buffer unless it is long: the
    // cards a clone page or a pull's reply holds by the thousand are never made into strings.
    private delegate bool LineFormat<T>(Span<byte> into, T card, out int length);

    private static void Line<T>(Stream output, T card, LineFormat<T> format)
    {
        Span<byte> small = stackalloc byte[256];
        if (format(small, card, out int length))
        {
            output.Write(small[..length]);
            return;
        }
        for (int size = 1024; ; size = checked(size * 4))
        {
            byte[] larger = new byte[size];
            if (format(larger, card, out length))
            {
                output.Write(larger, 0, length);
                return;
            }
        }
    }

    private static void Line(Stream output, string text) =>
        Line(output, text, static (Span<byte> into, string text, out int length) => Utf8.TryWrite(into, $"{text}\n", out length));

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
