using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// A parsed artifact together with its rid and, for a delta manifest, its parsed baseline: what
/// the file-level comparisons of a check-in need. File lookups follow fossil's rules: an entry of
/// the delta manifest itself wins, a deletion there hides the baseline's file.
/// </summary>
internal sealed class LinkedArtifact(long rid, Artifact artifact)
{
    private Dictionary<string, ArtifactFile>? _byName;

    public long Rid => rid;

    public Artifact Artifact => artifact;

    /// <summary>The baseline of a delta manifest, once fetched.</summary>
    public LinkedArtifact? Baseline { get; set; }

    public bool IsDelta => artifact.Baseline is not null;

    /// <summary>An entry of this artifact's own F cards (a deletion included), ignoring the baseline.</summary>
    public ArtifactFile? OwnFile(string name)
    {
        _byName ??= artifact.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        return _byName.GetValueOrDefault(name);
    }

    /// <summary>The file <paramref name="name"/> as this check-in has it, or null when absent or deleted.</summary>
    public ArtifactFile? File(string name)
    {
        var own = OwnFile(name);
        if (own is not null) return own.Hash is null ? null : own;
        return Baseline?.OwnFile(name);
    }

    /// <summary>
    /// Every file of the check-in in name order: the baseline amended by this delta manifest
    /// (deletions drop out), or simply the F cards of a baseline manifest.
    /// </summary>
    public IEnumerable<ArtifactFile> AllFiles()
    {
        if (Baseline is null)
        {
            foreach (var f in artifact.Files) yield return f;
            yield break;
        }
        var baseFiles = Baseline.Artifact.Files;
        var own = artifact.Files;
        int b = 0, d = 0;
        while (b < baseFiles.Count || d < own.Count)
        {
            if (b >= baseFiles.Count) { yield return own[d++]; continue; }
            if (d >= own.Count) { yield return baseFiles[b++]; continue; }
            int cmp = Utf8Order.Compare(baseFiles[b].Name, own[d].Name);
            if (cmp < 0) yield return baseFiles[b++];
            else if (cmp > 0) yield return own[d++];
            else
            {
                b++;
                var replacement = own[d++];
                if (replacement.Hash is not null) yield return replacement;
            }
        }
    }

    /// <summary>mlink.mperm of a file: 1 executable, 2 symlink, 0 otherwise.</summary>
    public static int Permission(ArtifactFile? file) =>
        file?.Permissions is not { } perm ? 0 : perm.Contains('x') ? 1 : perm.Contains('l') ? 2 : 0;
}
