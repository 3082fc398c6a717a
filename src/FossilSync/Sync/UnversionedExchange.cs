using FossilSync.Exchange;
using FossilSync.Repo;
using FossilSync.Xfer;

namespace FossilSync.Sync;

/// <summary>
/// The unversioned-file part of a sync, as stock's client does it: send our catalogue hash
/// once; if the server's differs it lists its catalogue (<c>uvigot</c>), and per entry we ask
/// for newer files (<c>uvgimme</c>), take deletions and newer times, and (only when the server
/// said <c>uv-push-ok</c>) upload what we have that is newer or that it lacks.
/// </summary>
/// <remarks>
/// Unlike stock, a file we ask for is not deleted locally first, so a failed transfer loses
/// nothing. A received file is stored only if its content hashes to its name.
/// </remarks>
internal sealed class UnversionedExchange(Repository repository)
{
    private enum Upload { Content, MTimeOnly, Deletion }

    private readonly Queue<string> _wanted = new();
    private readonly Queue<(string Name, Upload Kind)> _uploads = new();
    private readonly HashSet<string> _mentioned = new(StringComparer.Ordinal);
    private bool _hashSent, _pushOk, _catalogueArrived;
    private int _gimmesSent, _filesArrived;

    private UnversionedFiles Files => repository.Unversioned;

    public void AddRequestCards(List<XferCard> cards, ref long budget)
    {
        _gimmesSent = 0;
        _filesArrived = 0;
        if (!_hashSent)
        {
            cards.Add(new PragmaCard("uv-hash", Files.CatalogueHash()));
            _hashSent = true;
        }
        while (_wanted.TryDequeue(out string? name))
        {
            cards.Add(new UvGimmeCard(name));
            _gimmesSent++;
        }
        while (budget > 0 && _uploads.TryDequeue(out var upload))
        {
            var entry = Files.List().FirstOrDefault(e => e.Name == upload.Name);
            if (entry is null) continue;
            if (upload.Kind == Upload.Deletion || entry.Hash is null)
            {
                cards.Add(new UvFileCard(entry.Name, entry.MTime, null, 0, UvFileCard.Deleted, null));
            }
            else if (upload.Kind == Upload.MTimeOnly)
            {
                cards.Add(new UvFileCard(entry.Name, entry.MTime, entry.Hash, entry.Size, UvFileCard.ContentOmitted, null));
            }
            else if (Files.Get(entry.Name) is { } content)
            {
                cards.Add(new UvFileCard(entry.Name, entry.MTime, entry.Hash, content.Length, 0, content));
                budget -= content.Length;
            }
        }
    }

    public void Accept(XferCard card, long receipt)
    {
        // As stock's client: a name that could escape the repository's folder on someone's disk
        // fails the sync (and its round) instead of being stored.
        string? name = card switch { UvIGotCard igot => igot.Name, UvFileCard file => file.Name, _ => null };
        if (name is not null && !UnversionedFiles.IsValidName(name))
        {
            throw new SyncProtocolException(SyncFailureReason.ProtocolViolation, $"the server sent an unversioned file with an invalid name: '{name.Replace('\0', ' ').ReplaceLineEndings(" ")}'");
        }
        switch (card)
        {
            // The server sends one of these exactly when it lists its catalogue, which may be
            // empty: then every file of ours is one it lacks.
            case PragmaCard { Name: "uv-push-ok" }:
                _pushOk = _catalogueArrived = true;
                break;
            case PragmaCard { Name: "uv-pull-only" }:
                _pushOk = false;
                _catalogueArrived = true;
                break;
            case UvIGotCard igot:
                _catalogueArrived = true;
                _mentioned.Add(igot.Name);
                switch (Files.Status(igot.Name, igot.MTime, igot.Hash))
                {
                    case 0 or 1 when igot.Hash is not null: _wanted.Enqueue(igot.Name); break;
                    case 1: Files.Tombstone(igot.Name, igot.MTime); break;
                    case 2: Files.SetMTime(igot.Name, igot.MTime); break;
                    case 4 when _pushOk: _uploads.Enqueue((igot.Name, Upload.MTimeOnly)); break;
                    case 5 when _pushOk: _uploads.Enqueue((igot.Name, Upload.Content)); break;
                }
                break;
            case UvFileCard file:
                _filesArrived++;
                UnversionedFileReceiver.Accept(Files, file, () => receipt);
                break;
        }
    }

    /// <summary>After a reply: files the server's catalogue never mentioned are ours to upload.</summary>
    public void EndOfReply()
    {
        if (!_catalogueArrived || !_pushOk) return;
        foreach (var entry in Files.List())
        {
            if (entry.Hash is not null && _mentioned.Add(entry.Name)) _uploads.Enqueue((entry.Name, Upload.Content));
        }
        _catalogueArrived = false;
    }

    /// <summary>Stock's rule: go on while files we asked for keep coming (or in the first rounds), or uploads remain.</summary>
    public bool WantsAnotherRound(int round) =>
        _wanted.Count > 0 || _uploads.Count > 0 || (_gimmesSent > 0 && (_filesArrived > 0 || round < 3));
}
