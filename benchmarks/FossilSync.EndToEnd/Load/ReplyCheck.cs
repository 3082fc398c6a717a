using System.Net;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.EndToEnd.Load;

/// <summary>
/// Whether a server's answer to a replayed sync request is a real, successful sync reply: HTTP
/// 200, a fossil content type, a body that decodes with the library's card codec, and no
/// <c>error</c> card in it. A fast wrong answer must count as a failure, never as throughput.
/// </summary>
internal static class ReplyCheck
{
    /// <summary>Null when the reply is good, else what is wrong with it.</summary>
    public static string? Problem(HttpStatusCode status, string? contentType, byte[] body)
    {
        if (status != HttpStatusCode.OK) return $"HTTP {(int)status}";
        bool compressed = contentType == "application/x-fossil";
        if (!compressed && contentType is not ("application/x-fossil-uncompressed" or "application/x-fossil-debug"))
        {
            return $"content type '{contentType}' is not a sync reply";
        }
        XferMessage reply;
        try
        {
            reply = compressed ? XferMessage.DecodeCompressed(body) : XferMessage.Decode(body);
        }
        catch (Exception ex) when (ex is XferFormatException or CorruptContentException)
        {
            return $"undecodable reply: {ex.Message}";
        }
        return reply.Cards.OfType<ErrorCard>().FirstOrDefault() is { } error ? $"error card: {error.Message}" : null;
    }
}
