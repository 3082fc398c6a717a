namespace FossilSync.Http;

/// <summary>
/// A remote repository URL. Credentials written into it (<c>http://user:pass@host/</c>) never
/// travel as HTTP headers; like stock fossil, they become the login card.
/// </summary>
public sealed record FossilUrl(Uri Endpoint, string? User, string? Password)
{
    /// <summary>Splits <paramref name="url"/> into the endpoint (no user info, no query) and its credentials.</summary>
    /// <exception cref="ArgumentException">Not an absolute http or https URL.</exception>
    public static FossilUrl Parse(string url) =>
        TryParse(url, out var parsed) ? parsed : throw new ArgumentException($"'{url}' is not an http:// or https:// URL.", nameof(url));

    /// <summary>Like <see cref="Parse"/>, but returns false instead of throwing for anything that is not an absolute http or https URL (null included).</summary>
    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FossilUrl? result)
    {
        result = null;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        // Stock drops the query string and sends the path as is ("/" when empty).
        var endpoint = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri;
        result = new FossilUrl(endpoint, user, password);
        return true;
    }
}
