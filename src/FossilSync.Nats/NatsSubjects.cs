namespace FossilSync.Nats;

/// <summary>
/// The subjects of one project under a prefix: <c>P.CODE.sync</c> (the queue group of hubs),
/// <c>P.CODE.hub.HUB.sync</c> (one hub), <c>P.CODE.hub.HUB.fetch</c> (the rest of a reply too
/// large for one message) and <c>P.CODE.changed</c> (change notices).
/// </summary>
internal static class NatsSubjects
{
    public static string Sync(string prefix, string projectCode) => $"{prefix}.{projectCode}.sync";

    public static string HubSync(string prefix, string projectCode, string hubId) => $"{prefix}.{projectCode}.hub.{hubId}.sync";

    public static string HubFetch(string prefix, string projectCode, string hubId) => $"{prefix}.{projectCode}.hub.{hubId}.fetch";

    public static string Changed(string prefix, string projectCode) => $"{prefix}.{projectCode}.changed";

    /// <summary>A subject token must not hold separators or wildcards, or be empty.</summary>
    public static void CheckToken(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny(" \t\r\n.*>") >= 0)
        {
            throw new ArgumentException($"{what} '{value}' cannot be part of a NATS subject (no spaces, dots, '*' or '>').", what);
        }
    }

    /// <summary>A prefix may have several tokens (<c>acme.fossil</c>), each a valid token.</summary>
    public static void CheckPrefix(string prefix)
    {
        foreach (string token in prefix.Split('.')) CheckToken(token, "prefix");
    }
}
