using System.Text;

namespace FossilSync.Repo.Crosslink;

/// <summary>The bits of fossil's printf that generated event comments use.</summary>
internal static class FossilText
{
    /// <summary>fossil's <c>%h</c>: escapes <c>&lt; &gt; &amp; " '</c> for HTML.</summary>
    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>fossil's <c>%S</c>: a hash cut to the human display length (config <c>hash-digits</c>, default 10).</summary>
    public static string Short(string? hash, int digits) => hash is null ? "" : hash.Length <= digits ? hash : hash[..digits];
}
