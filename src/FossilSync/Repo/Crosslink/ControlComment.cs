using System.Text;
using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The timeline text of a control (tag) artifact, worded exactly as fossil 2.21 words it, e.g.
/// <c>Edit [0123456789abcdef|0123456789]: Add tag "v1.0".</c>
/// </summary>
internal static class ControlComment
{
    public static string Describe(Artifact p, Func<string, string> urlHash, Func<string, string> shortHash)
    {
        var sb = new StringBuilder();
        if (p.Comment is not null) sb.Append(' ').Append(p.Comment).Append('.');
        var tags = p.Tags.OrderBy(t => t.TargetHash, NullFirstUtf8.Instance).ThenBy(t => t.Name, NullFirstUtf8.Instance).ToList();
        bool branchMove = false;
        for (int i = 0; i < tags.Count; i++)
        {
            string? target = tags[i].TargetHash;
            if (target is null) continue;
            if (i == 0 || !string.Equals(target, tags[i - 1].TargetHash, StringComparison.Ordinal))
            {
                sb.Append(" Edit [").Append(urlHash(target)).Append('|').Append(shortHash(target)).Append("]:");
                branchMove = false;
            }
            string name = tags[i].Name;
            string? value = tags[i].Value;
            string h(string? s) => FossilText.Html(s);
            switch (name)
            {
                case "*branch":
                    sb.Append($" Move to branch [/timeline?r={h(value)}&nd&dp={urlHash(target)}&unhide | {h(value)}].");
                    branchMove = true;
                    continue;
                case "*bgcolor":
                    sb.Append($" Change branch background color to \"{h(value)}\".");
                    continue;
                case "+bgcolor":
                    sb.Append($" Change background color to \"{h(value)}\".");
                    continue;
                case "-bgcolor":
                    sb.Append(" Cancel background color");
                    break;
                case "+comment":
                    sb.Append(" Edit check-in comment.");
                    continue;
                case "+user":
                    sb.Append($" Change user to \"{h(value)}\".");
                    continue;
                case "+date":
                    sb.Append($" Timestamp {h(value)}.");
                    continue;
                case "+closed":
                    sb.Append(" Mark \"Closed\"");
                    break;
                case "-closed":
                    sb.Append(" Remove the \"Closed\" mark");
                    break;
                default:
                    if (name.StartsWith("-sym-", StringComparison.Ordinal))
                    {
                        if (branchMove) continue;
                        sb.Append($" Cancel tag \"{h(name[5..])}\"");
                    }
                    else if (name.StartsWith("*sym-", StringComparison.Ordinal))
                    {
                        if (branchMove) continue;
                        sb.Append($" Add propagating tag \"{h(name[5..])}\"");
                    }
                    else if (name.StartsWith("+sym-", StringComparison.Ordinal))
                    {
                        sb.Append($" Add tag \"{h(name[5..])}\"");
                    }
                    else
                    {
                        string verb = name[0] switch { '-' => "Cancel", '+' => "Add", _ => "Add propagating" };
                        sb.Append($" {verb} \"{h(name[1..])}\"");
                        sb.Append(string.IsNullOrEmpty(value) ? "." : $" with value \"{h(value)}\".");
                        continue;
                    }
                    break;
            }
            sb.Append(string.IsNullOrEmpty(value) ? "." : $" with note \"{h(value)}\".");
        }
        if (sb.Length == 0) sb.Append(' ');
        return sb.ToString(1, sb.Length - 1);
    }

    /// <summary>fossil_strcmp order: null sorts before any string, strings in byte order.</summary>
    private sealed class NullFirstUtf8 : IComparer<string?>
    {
        public static readonly NullFirstUtf8 Instance = new();

        public int Compare(string? x, string? y) =>
            x is null ? (y is null ? 0 : -1) : y is null ? 1 : Utf8Order.Compare(x, y);
    }
}
