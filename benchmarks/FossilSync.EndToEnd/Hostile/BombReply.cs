using System.Text;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.EndToEnd.Hostile;

/// <summary>
/// What a server answered a bomb: the HTTP status (null when no reply came), a short text (the
/// first <c>error</c> card, or the start of a non-sync body, or what went wrong), and how long
/// from connecting to the end of the reply.
/// </summary>
internal sealed record BombReply(int? Status, string Answer, double WallSeconds, bool TimedOut)
{
    private const int MaxAnswerLength = 90;

    /// <summary>
    /// Refused unless it is an HTTP 200 sync reply without an <c>error</c> card; no reply at all
    /// (a timeout, a closed connection) counts as refused too.
    /// </summary>
    public bool Refused => Status != 200 || !Answer.StartsWith("sync reply", StringComparison.Ordinal);

    /// <summary>Reads the raw HTTP response (status line, headers, body up to the close).</summary>
    public static BombReply Parse(byte[] response, double wallSeconds)
    {
        int headerEnd = response.AsSpan().IndexOf("\r\n\r\n"u8);
        string head = Encoding.ASCII.GetString(response, 0, headerEnd < 0 ? response.Length : headerEnd);
        string[] lines = head.Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(statusLine[1], out int status))
        {
            return new BombReply(null, Short($"not an HTTP reply: {lines[0]}"), wallSeconds, false);
        }
        string? contentType = lines.Skip(1)
            .Where(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Content-Type:".Length..].Split(';')[0].Trim())
            .FirstOrDefault();
        var body = headerEnd < 0 ? ReadOnlyMemory<byte>.Empty : response.AsMemory(headerEnd + 4);
        return new BombReply(status, Short(Describe(contentType, body)), wallSeconds, false);
    }

    private static string Describe(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (contentType is "application/x-fossil" or "application/x-fossil-uncompressed")
        {
            try
            {
                var reply = contentType == "application/x-fossil" ? XferMessage.DecodeCompressed(body) : XferMessage.Decode(body);
                return reply.Cards.OfType<ErrorCard>().FirstOrDefault() is { } error
                    ? $"error: {error.Message}"
                    : $"sync reply, {reply.Cards.Count} cards, no error";
            }
            catch (Exception ex) when (ex is XferFormatException or CorruptContentException)
            {
                return $"undecodable {contentType} body: {ex.Message}";
            }
        }
        string text = Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 4096)]);
        string firstLine = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty body)";
        return $"{contentType ?? "no content type"}: {firstLine}";
    }

    /// <summary>One table-friendly line: control characters and undecodable bytes (a server may echo binary) become '?'.</summary>
    private static string Short(string text)
    {
        text = string.Concat(text.ReplaceLineEndings(" ").Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c));
        return text.Length <= MaxAnswerLength ? text : text[..MaxAnswerLength] + "…";
    }

    public static BombReply NoReply(string what, double wallSeconds, bool timedOut = false) => new(null, Short(what), wallSeconds, timedOut);
}
