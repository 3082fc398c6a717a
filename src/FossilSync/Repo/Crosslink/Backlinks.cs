using FossilSync.Primitives;
using System.Text.RegularExpressions;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The <c>backlink</c> table: hyperlinks to artifact hashes found in check-in comments, wiki
/// pages, technotes and forum posts. A link target counts when it is 4 to 64 hex digits
/// (optionally after <c>/info/</c>); it is stored lower-cased.
/// </summary>
/// <remarks>
/// Fossil finds links with its full wiki and markdown renderers. This scanner recognises the
/// link forms those renderers produce for ordinary text — wiki <c>[target]</c> /
/// <c>[target|label]</c> and markdown <c>[label](target)</c> — but does not model every
/// rendering rule (verbatim blocks, HTML-only wiki mode). Text using those may differ from stock.
/// </remarks>
internal sealed partial class Backlinks(DerivedDb db, RecentJulianDays dates)
{
    private const int Comment = 0;
    private const int Wiki = 2;
    private const int Forum = 4;

    public void FromComment(string? text, long rid, double mtime) => Extract(text, null, rid, Comment, mtime);

    public void FromWiki(string? text, string? mimeType, long tagId, double mtime) => Extract(text, mimeType, tagId, Wiki, mtime);

    public void FromForum(string? text, string? mimeType, long rid, double mtime) => Extract(text, mimeType, rid, Forum, mtime);

    private void Extract(string? text, string? mimeType, long sourceId, int sourceType, double mtime)
    {
        db.Execute("DELETE FROM backlink WHERE srctype=$1 AND srcid=$2", sourceType, sourceId);
        if (string.IsNullOrEmpty(text)) return;
        bool markdown = mimeType is not null && !mimeType.Contains("wiki", StringComparison.Ordinal) && mimeType.Contains("markdown", StringComparison.Ordinal);
        bool unknown = mimeType is not null && !mimeType.Contains("wiki", StringComparison.Ordinal) && !markdown;
        if (unknown) return;
        var targets = markdown ? MarkdownTargets(text) : WikiTargets(text);
        foreach (string target in targets) Create(target, sourceId, sourceType, mtime);
    }

    private static IEnumerable<string> WikiTargets(string text)
    {
        for (int i = text.IndexOf('['); i >= 0 && i < text.Length; i = text.IndexOf('[', i + 1))
        {
            int close = text.IndexOf(']', i);
            if (close < 0) yield break;
            int end = i + 1;
            while (end < close && text[end] != '|') end++;
            int length = end - (i + 1);
            while (length > 1 && text[i + length] == ' ') length--;
            yield return text.Substring(i + 1, length);
            i = close;
        }
    }

    private static IEnumerable<string> MarkdownTargets(string text)
    {
        foreach (Match m in MarkdownLink().Matches(text)) yield return m.Groups[1].Value;
    }

    private void Create(string target, long sourceId, int sourceType, double mtime)
    {
        if (target.Length < 4) return;
        if (target.Length >= 10 && target.StartsWith("/info/", StringComparison.Ordinal)) target = target[6..];
        if (target.Length > 64) return;
        foreach (char c in target)
        {
            if (!char.IsAsciiHexDigit(c)) return;
        }
        db.Execute("REPLACE INTO backlink(target,srctype,srcid,mtime) VALUES($1,$2,$3,$4)",
            target.ToLowerInvariant(), sourceType, sourceId, dates.ThroughSqlText(mtime));
    }

    [GeneratedRegex(@"\]\(\s*<?([^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex MarkdownLink();
}
