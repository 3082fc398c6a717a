namespace FossilSync.Sync;

/// <summary>
/// Rows waiting to be asked for or sent, first come first served, each at most once: a catalogue
/// part the server answered only in part is sent again, and the asks it brings again must not
/// send a row twice.
/// </summary>
internal sealed class RowQueue
{
    private readonly Queue<(string Table, string PkHash)> _order = new();
    private readonly HashSet<(string Table, string PkHash)> _waiting = [];

    public int Count => _order.Count;

    /// <summary>Adds the row unless it waits already.</summary>
    public void Enqueue((string Table, string PkHash) row)
    {
        if (_waiting.Add(row)) _order.Enqueue(row);
    }

    public bool TryDequeue(out (string Table, string PkHash) row)
    {
        if (!_order.TryDequeue(out row)) return false;
        _waiting.Remove(row);
        return true;
    }
}
