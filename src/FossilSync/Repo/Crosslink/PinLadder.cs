namespace FossilSync.Repo.Crosslink;

/// <summary>
/// The manifests a rebuild's tree walk pins along its path in the delta tree, so that reading
/// one off the path (the parent of a check-in on another branch, stored as a delta of the
/// branch point's other child) walks a short way back to a pin instead of the whole chain
/// back to its full text. Pins are close together near the walk's position, where such reads
/// mostly land, and far apart higher up, so a chain of many thousand manifests holds a few
/// dozen of them, not hundreds.
/// </summary>
/// <remarks>
/// Only manifests and other control artifacts are pinned: the crosslinker never reads plain
/// content (a file's versions) back, so pinning a large file's versions would only hold memory.
/// </remarks>
internal sealed class PinLadder(ContentStore store)
{
    // Pins within Far links above the newest one are kept every Near links; above that only
    // every Far links.
    internal const int Near = 32;
    internal const int Far = 2048;

    // In order of depth along the current path, shallowest first.
    private readonly List<(long Rid, int Depth)> _pins = [];

    /// <summary>How many expansions are pinned now.</summary>
    public int Count => _pins.Count;

    /// <summary>Whether a control artifact at <paramref name="depth"/> links below a full text should be pinned (when it has delta children).</summary>
    public static bool Wants(int depth) => depth > 0 && depth % Near == 0;

    /// <summary>Pins <paramref name="content"/> of <paramref name="rid"/>, deeper on the path than every pin so far, and lets go of close pins now far above it.</summary>
    public void Add(long rid, int depth, byte[] content)
    {
        store.Pin(rid, content);
        _pins.Add((rid, depth));
        int kept = 0;
        for (int i = 0; i < _pins.Count; i++)
        {
            var pin = _pins[i];
            if (depth - pin.Depth > Far && pin.Depth % Far != 0) store.Unpin(pin.Rid);
            else _pins[kept++] = pin;
        }
        _pins.RemoveRange(kept, _pins.Count - kept);
    }

    /// <summary>The walk went back up to <paramref name="depth"/>: pins at that depth or deeper are off its path now.</summary>
    public void LeaveFrom(int depth)
    {
        while (_pins.Count > 0 && _pins[^1].Depth >= depth)
        {
            store.Unpin(_pins[^1].Rid);
            _pins.RemoveAt(_pins.Count - 1);
        }
    }

    /// <summary>Releases every pin (the walk is over, or failed).</summary>
    public void Clear() => LeaveFrom(0);
}
