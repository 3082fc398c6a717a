using System.Net;
using System.Net.Http.Headers;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Tests.Infrastructure;

/// <summary>
/// What one server answered to one request: the HTTP status and either the decoded cards
/// (framed by the reply's Content-Type, as stock's client reads it) or the text of anything else.
/// </summary>
public sealed record SyncReply(string Server, HttpStatusCode Status, XferMessage? Message, string Text)
{
    /// <summary>The texts of the reply's <c>error</c> cards.</summary>
    public IReadOnlyList<string> Errors => Cards<ErrorCard>().Select(e => e.Message).ToList();

    /// <summary>The texts of the reply's <c>message</c> cards.</summary>
    public IReadOnlyList<string> Messages => Cards<MessageCard>().Select(m => m.Message).ToList();

    /// <summary>The reply's cards of one kind.</summary>
    public IEnumerable<T> Cards<T>() where T : XferCard => Message?.Cards.OfType<T>() ?? [];

    /// <summary>POSTs the plain request <paramref name="body"/> compressed, as stock's client does.</summary>
    public static async Task<SyncReply> PostAsync(HttpClient http, string server, Uri url, byte[] body)
    {
        using var content = new ByteArrayContent(BlobCompression.Compress(body, System.IO.Compression.CompressionLevel.SmallestSize));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-fossil");
        using var response = await http.PostAsync(url, content);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        string type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (response.StatusCode != HttpStatusCode.OK || !type.StartsWith("application/x-fossil", StringComparison.Ordinal))
        {
            return new SyncReply(server, response.StatusCode, null, System.Text.Encoding.UTF8.GetString(bytes));
        }
        bool compressed = type == "application/x-fossil";
        var message = await XferMessage.ReadAsync(new MemoryStream(bytes), compressed);
        string text = System.Text.Encoding.UTF8.GetString(new XferMessage(message.Cards.Where(c => c is not (FileCard or CFileCard or UvFileCard or ConfigCard))).Encode());
        return new SyncReply(server, response.StatusCode, message, text);
    }

    /// <summary>For assertion messages: which server, and what it said (payload cards left out).</summary>
    public override string ToString() => $"{Server} answered {(int)Status}:\n{(Text.Length > 3000 ? Text[..3000] + "…" : Text)}";
}
