using FossilSync.Repo.Artifacts;

namespace FossilSync.Repo.Crosslink;

/// <summary>
/// File lookups on a check-in the way fossil's manifest_file_seek does them: a delta manifest
/// (B card) lists only changes against its baseline, and a file it lists without a hash is
/// deleted.
/// </summary>
internal sealed class CheckInFiles(Artifact manifest, Artifact? baseline)
{
    // Lookups mostly walk the list in order, so each search first tries the entry after the
    // previous hit (as fossil does), making a full pass linear instead of n log n.
    private int _ownCursor = -1, _baseCursor = -1;

    public Artifact Manifest { get; } = manifest;

    /// <summary>The file as the check-in sees it (own cards first, then the baseline); null if absent or deleted.</summary>
    public ArtifactFile? Seek(string name)
    {
        var own = SeekOwn(name);
        if (own is not null) return own.Hash is null ? null : own;
        return baseline is null ? null : Find(baseline.Files, name, ref _baseCursor);
    }

    /// <summary>The file among the check-in's own F cards only (a deleted entry included).</summary>
    public ArtifactFile? SeekOwn(string name) => Find(Manifest.Files, name, ref _ownCursor);

    /// <summary>Every file present in the check-in: the baseline's, overridden and deleted by the own cards.</summary>
    public IEnumerable<ArtifactFile> All()
    {
        if (baseline is null) return Manifest.Files.Where(f => f.Hash is not null);
        var merged = new SortedDictionary<string, ArtifactFile>(Comparer<string>.Create(Utf8Order.Compare));
        foreach (var f in baseline.Files) merged[f.Name] = f;
        foreach (var f in Manifest.Files) merged[f.Name] = f;
        return merged.Values.Where(f => f.Hash is not null);
    }

    /// <summary>fossil's mlink.mperm: 1 executable, 2 symlink, 0 regular.</summary>
    public static int Permission(ArtifactFile? file) => file is null ? 0 : file.IsExecutable ? 1 : file.IsSymlink ? 2 : 0;

    private static ArtifactFile? Find(List<ArtifactFile> files, string name, ref int cursor)
    {
        if (cursor + 1 < files.Count && string.Equals(files[cursor + 1].Name, name, StringComparison.Ordinal)) return files[++cursor];
        int lo = 0, hi = files.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            int c = Utf8Order.Compare(files[mid].Name, name);
            if (c == 0)
            {
                cursor = mid;
                return files[mid];
            }
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return null;
    }
}
