using System.Text;
using NATS.Client.Core;

namespace FossilSync.Nats;

/// <summary>
/// What a hub announces on <c>PREFIX.CODE.changed</c> after a round stored new artifacts: the
/// hub (so a listener pulls from the hub that has them) and their names, one per line in the
/// message body.
/// </summary>
/// <param name="ProjectCode">The project that changed.</param>
/// <param name="HubId">The hub that stored the artifacts.</param>
/// <param name="Artifacts">Names of the new artifacts; possibly only the first of them (see <paramref name="More"/>).</param>
/// <param name="More">How many further names did not fit in one message.</param>
public sealed record FossilChangeNotice(string ProjectCode, string HubId, IReadOnlyList<string> Artifacts, int More = 0)
{
    internal (byte[] Body, NatsHeaders Headers) Encode(int maxBytes)
    {
        var body = new StringBuilder();
        int written = 0;
        foreach (string name in Artifacts)
        {
            if (body.Length + name.Length + 1 > maxBytes) break;
            body.Append(name).Append('\n');
            written++;
        }
        var headers = new NatsHeaders { [NatsHeaderNames.Hub] = HubId };
        int more = More + Artifacts.Count - written;
        if (more > 0) headers[NatsHeaderNames.More] = more.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (Encoding.ASCII.GetBytes(body.ToString()), headers);
    }

    /// <summary>Reads a notice; null when it does not name its hub.</summary>
    internal static FossilChangeNotice? Decode(string projectCode, NatsMsg<byte[]> message)
    {
        if (NatsChunks.Text(message.Headers, NatsHeaderNames.Hub) is not { Length: > 0 } hub) return null;
        string[] names = Encoding.ASCII.GetString(message.Data ?? []).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long more = NatsChunks.Number(message.Headers, NatsHeaderNames.More, 0) ?? 0;
        return new FossilChangeNotice(projectCode, hub, names, (int)Math.Clamp(more, 0, int.MaxValue));
    }
}
