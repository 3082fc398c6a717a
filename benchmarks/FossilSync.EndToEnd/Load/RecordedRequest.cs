using System.Globalization;
using System.Text;

namespace FossilSync.EndToEnd.Load;

/// <summary>
/// One HTTP request as a real client sent it: what a fossil server looks at (method, path,
/// content type, user agent) and the body byte for byte, parsed from the bytes a recording
/// <see cref="Measurement.CountingProxy"/> captured, so it can be replayed.
/// </summary>
internal sealed record RecordedRequest(string Method, string Path, string ContentType, string? UserAgent, byte[] Body)
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    /// <summary>Every request in what the client sent on one connection (one, unless it kept the connection alive).</summary>
    /// <exception cref="InvalidOperationException">The bytes are not complete HTTP/1 requests with a Content-Length.</exception>
    public static IReadOnlyList<RecordedRequest> ParseAll(byte[] stream)
    {
        var requests = new List<RecordedRequest>();
        int position = 0;
        while (position < stream.Length)
        {
            int end = stream.AsSpan(position).IndexOf(HeaderEnd);
            if (end < 0) throw new InvalidOperationException($"a recorded request has no end of headers after byte {position}");
            string[] lines = Encoding.ASCII.GetString(stream, position, end).Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3) throw new InvalidOperationException($"not an HTTP request line: '{lines[0]}'");
            var headers = lines.Skip(1)
                .Select(line => line.Split(':', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (!headers.TryGetValue("Content-Length", out string? lengthText)
                || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            {
                throw new InvalidOperationException($"the recorded request '{lines[0]}' has no Content-Length");
            }
            int bodyStart = position + end + HeaderEnd.Length;
            if (bodyStart + length > stream.Length) throw new InvalidOperationException($"the recorded request '{lines[0]}' is truncated");
            requests.Add(new RecordedRequest(requestLine[0], requestLine[1], headers.GetValueOrDefault("Content-Type") ?? "",
                headers.GetValueOrDefault("User-Agent"), stream[bodyStart..(bodyStart + length)]));
            position = bodyStart + length;
        }
        return requests;
    }
}
