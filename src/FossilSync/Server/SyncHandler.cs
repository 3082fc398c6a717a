using System.Globalization;
using FossilSync.Exchange;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Xfer;
using Microsoft.Data.Sqlite;

namespace FossilSync.Server;

/// <summary>
/// The server side of one sync round, stateless as stock fossil's: everything comes from the
/// request and the repository. All of a round's writes are one transaction; a request that
/// carries a bad artifact, or whose login does not hold, gets an <c>error</c> card and changes
/// nothing.
/// </summary>
/// <remarks>
/// The request is decoded card by card as it is handled, so memory follows the largest single
/// payload, not the message; a payload the user may not write is refused before it is read.
/// </remarks>
public static class SyncHandler
{
    private const int SqliteBusy = 5, SqliteLocked = 6;

    /// <summary>Answers one request, whatever transport carried it.</summary>
    /// <param name="repository">The repository served.</param>
    /// <param name="request">The request body as received, with its Content-Type.</param>
    /// <param name="options">Budgets, limits and clock; null for stock's defaults.</param>
    /// <param name="cancellationToken">Abandons the round (nothing of it is kept).</param>
    /// <returns>The reply; protocol errors are <c>error</c> cards in it, never exceptions.</returns>
    public static async Task<SyncResponse> HandleSyncAsync(Repository repository, SyncRequest request, SyncServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(request);
        options ??= new SyncServerOptions();
        try
        {
            try
            {
                // Most rounds only read (a no-op sync, a pull, a clone page): run them alongside
                // each other, taking the write lock only when the round turns out to write.
                return await new Round(repository, request, options, deferred: true).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                // Another round wrote first, so this one could not take the lock it needed without
                // waiting on a reader (SQLite refuses that at once). The round kept nothing and holds
                // no state: run it again, now holding the write lock from the start.
                return await new Round(repository, request, options, deferred: false).RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            return SyncResponse.Error(request.ContentType, "the repository is busy with another writer: nothing was stored, try again");
        }
    }

    /// <summary>Answers one request given as cards (in-process peers and tests); the same path as <see cref="HandleSyncAsync(Repository, SyncRequest, SyncServerOptions?, CancellationToken)"/>.</summary>
    /// <param name="repository">The repository served.</param>
    /// <param name="request">The request; a login card in it signs the encoded cards after it.</param>
    /// <param name="options">Budgets, limits and clock; null for stock's defaults.</param>
    /// <param name="peerAddress">The client's address, recorded with what it sends.</param>
    /// <param name="cancellationToken">Abandons the round.</param>
    public static async Task<XferMessage> HandleSyncAsync(Repository repository, XferMessage request, SyncServerOptions? options = null, string? peerAddress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await HandleSyncAsync(repository, new SyncRequest(request.Encode(), XferContentType.Uncompressed) { RemoteAddress = peerAddress }, options, cancellationToken).ConfigureAwait(false);
        return XferContentType.IsCompressed(response.ContentType) ? XferMessage.DecodeCompressed(response.Body) : XferMessage.Decode(response.Body);
    }

    private sealed class Round(Repository repository, SyncRequest request, SyncServerOptions options, bool deferred)
    {
        private readonly List<XferCard> _reply = [];
        private readonly Capabilities _caps = new();
        private readonly HashSet<string> _onRemote = new(StringComparer.Ordinal);
        private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
        private ArtifactReceiver? _receiver;
        private bool _pull, _push, _clone, _stop, _catalogueSent, _syncPrivate;
        private long _userId, _sentBytes;
        private int? _cloneVersion;
        private readonly List<string> _nonces = [];
        private int _errors;
        private HashSet<string>? _unexpandable;

        // Dangling deltas (their source never came) are served around, never as if whole.
        private HashSet<string> Unexpandable => _unexpandable ??= repository.Content.UnexpandableNames();

        // The receipt names the user and nonce of the login that delivered the round.
        private ArtifactReceiver Receiver => _receiver ??= new ArtifactReceiver(repository, beginReceipt: BeginReceipt);

        public async Task<SyncResponse> RunAsync(CancellationToken cancellationToken)
        {
            using var transaction = repository.BeginTransaction(deferred);
            AddBaselineCapabilities();
            try
            {
                using var reader = await OpenAsync(cancellationToken).ConfigureAwait(false);
                reader.SkipComments = true;
                while (!_stop && await reader.ReadCardAsync(Admit, cancellationToken).ConfigureAwait(false) is { } card) Handle(card);
                if (_nonces.Count > 0) await CheckLoginsCoverRestAsync(reader, cancellationToken).ConfigureAwait(false);
                // Crosslinked before the gimme list is made, as stock crosslinks each file as it
                // arrives: a cluster's members (and a manifest's files) become phantoms now and
                // are asked for in this reply, or a clustered push would stop at its clusters.
                Receiver.LinkArrived();
                if (!_stop) Finish();
                Receiver.Complete();
                transaction.Commit();
            }
            catch (FossilSyncException ex) when (ex is CorruptContentException or RepositoryException or XferFormatException or LoginFailedException)
            {
                // Nothing of a round with a bad artifact, an unreadable message or a forged login is kept.
                transaction.Dispose();
                _reply.Clear();
                _reply.Add(new ErrorCard(ex.Message));
                _errors++;
            }
            _reply.Add(new CommentCard($" timestamp {options.TimeProvider.GetUtcNow():yyyy-MM-ddTHH:mm:ss} errors {_errors}"));
            // As stock: a clone (protocol 3) page is sent uncompressed, its cfiles being
            // compressed already. Only a clone the user may make gets a clone_seqno card.
            bool plain = !XferContentType.IsCompressed(request.ContentType) || (_cloneVersion >= 3 && _reply.Any(c => c is CloneSeqnoCard));
            return SyncResponse.FromCards(_reply, compressed: !plain);
        }

        private async Task<XferReader> OpenAsync(CancellationToken cancellationToken) =>
            XferContentType.IsCompressed(request.ContentType)
                ? await XferReader.CreateAsync(new ReadOnlyMemoryStream(request.Body), compressed: true, options.Limits, cancellationToken).ConfigureAwait(false)
                : XferReader.FromMemory(request.Body, options.Limits);

        // Decided before a payload is read: what the user may not write is never held in memory.
        // Unless a login waits to be checked against the rest of the message, a refusal also ends
        // the reading; otherwise the payload is read past, keeping nothing.
        private PayloadAdmission Admit(string kind)
        {
            bool allowed = kind switch
            {
                "file" or "cfile" => _push,
                "config" => _caps.Admin,
                "uvfile" => _caps.WriteUnversioned,
                _ => true,
            };
            if (allowed) return PayloadAdmission.Read;
            return kind == "uvfile" || _nonces.Count > 0 ? PayloadAdmission.Skip : PayloadAdmission.Refuse;
        }

        // Each login's nonce must be the hash of every byte after its line. That is known only at
        // the end of the message, so a round that stopped early reads the rest (keeping nothing)
        // before anything it did under a login is kept or sent.
        private async Task CheckLoginsCoverRestAsync(XferReader reader, CancellationToken cancellationToken)
        {
            if (_stop && !reader.Refused)
            {
                while (await reader.ReadCardAsync(_ => PayloadAdmission.Skip, cancellationToken).ConfigureAwait(false) is not null) { }
            }
            if (reader.Refused || !reader.LoginTailHashes().SequenceEqual(_nonces, StringComparer.Ordinal)) throw new LoginFailedException();
        }

        private void Handle(XferCard card)
        {
            switch (card)
            {
                case LoginCard login: Login(login); break;
                case PragmaCard { Name: "client-version", Arguments.Count: 3 }: _reply.Add(new PragmaCard("server-version", "22100", "20230226", "192424")); break;
                case PragmaCard { Name: "uv-hash", Arguments.Count: >= 1 } uvHash: Catalogue(uvHash.Arguments[0]); break;
                case PragmaCard { Name: "ci-lock", Arguments: [var checkIn, var clientId] }: CheckInLock(checkIn, clientId); break;
                case PragmaCard { Name: "ci-unlock", Arguments: [var unlockId] }:
                    repository.Execute("DELETE FROM config WHERE name GLOB 'ci-lock-*' AND (NOT json_valid(value) OR json_extract(value,'$.clientid')=$c)", ("$c", unlockId));
                    break;
                case PragmaCard { Name: "send-private" }:
                    if (_caps.Private) _syncPrivate = true;
                    else _reply.Add(new ErrorCard("not authorized to sync private content"));
                    break;
                case PragmaCard: break;
                case UvGimmeCard uvGimme when UnversionedFiles.IsValidName(uvGimme.Name): SendUnversioned(uvGimme.Name); break;
                case UvFileCard uvFile when !UnversionedFiles.IsValidName(uvFile.Name): Fail("malformed uvfile line"); break;
                case UvFileCard uvFile when _caps.WriteUnversioned: AcceptUnversioned(uvFile); break;
                case PullCard pull:
                    if (!ProjectMatches(pull.ProjectCode)) return;
                    if (!_caps.Read) { Fail("not authorized to read"); return; }
                    _pull = true;
                    break;
                case PushCard push:
                    if (!ProjectMatches(push.ProjectCode)) return;
                    if (!_caps.Write)
                    {
                        if (_pull) _reply.Add(new MessageCard("pull only - not authorized to push"));
                        else Fail("not authorized to write");
                        return;
                    }
                    _push = true;
                    break;
                case CloneCard clone: Clone(clone); break;
                case GimmeCard gimme:
                    _asked.Add(gimme.Hash);
                    _onRemote.Remove(gimme.Hash);
                    if (_pull) Send(gimme.Hash);
                    break;
                case IGotCard igot:
                    // Remembered only where it counts (not advertising back what the client has,
                    // taking what it offers): a flood of igots from someone who may do neither costs nothing.
                    if (_pull || _push) _onRemote.Add(igot.Hash);
                    if (_push && (!igot.IsPrivate || _caps.Private) && repository.Content.FindRid(igot.Hash) is null)
                    {
                        repository.Content.GetOrCreatePhantom(igot.Hash, igot.IsPrivate);
                    }
                    break;
                case FileCard file:
                    if (!_push) { Fail("not authorized to write"); return; }
                    Receiver.Receive(file);
                    _onRemote.Add(file.Hash);
                    break;
                case CFileCard cfile:
                    if (!_push) { Fail("not authorized to write"); return; }
                    Receiver.Receive(cfile);
                    _onRemote.Add(cfile.Hash);
                    break;
                case WithheldPayloadCard { Kind: "uvfile" }:
                    // As stock: an unversioned file the user may not write is ignored.
                    break;
                case WithheldPayloadCard { Kind: "config" }:
                    _reply.Clear();
                    Fail("not authorized to push configuration");
                    break;
                case WithheldPayloadCard:
                    Fail("not authorized to write");
                    break;
                case PrivateCard when !_caps.Private:
                    // Stock stores the next file as public anyway; we drop it.
                    _reply.Add(new ErrorCard("not authorized to sync private content"));
                    Receiver.DropNext();
                    break;
                case PrivateCard:
                    Receiver.MarkNextPrivate();
                    break;
                case ReqConfigCard reqConfig when _caps.Read && reqConfig.Name.StartsWith('/'):
                    var groups = ConfigurationTransfer.Permitted(ConfigurationTransfer.GroupsOf(reqConfig.Name), _caps.Admin, _caps.ReadAddresses);
                    foreach (var (name, record) in ConfigurationTransfer.Send(repository, groups)) _reply.Add(new ConfigCard(name, record));
                    break;
                case ConfigCard config:
                    if (!_caps.Admin)
                    {
                        _reply.Clear();
                        Fail("not authorized to push configuration");
                        return;
                    }
                    ConfigurationTransfer.Receive(repository, config.Name, config.Content.Span, ConfigGroups.All);
                    break;
                case CommentCard or CookieCard or ReqConfigCard or UvIGotCard or UvGimmeCard or UvFileCard:
                    break;
                case UnknownCard unknown:
                    // As stock: earlier output is discarded, the error is not counted, and processing goes on.
                    _reply.Clear();
                    _reply.Add(new ErrorCard("bad command: " + unknown.Line + "\n"));
                    break;
                default:
                    break;
            }
        }

        private void Login(LoginCard login)
        {
            bool ok = true;
            if (login.User is not ("nobody" or "anonymous"))
            {
                using var cmd = repository.Command("SELECT uid, pw, cap FROM user WHERE login=$l AND login NOT IN ('anonymous','nobody','developer','reader') AND length(pw)>0", ("$l", login.User));
                using var reader = cmd.ExecuteReader();
                ok = reader.Read() && XferLogin.Verify(login.Nonce, login.Signature, repository.ProjectCode, login.User, reader.GetString(1));
                if (ok)
                {
                    _userId = reader.GetInt64(0);
                    _caps.Add(reader.IsDBNull(2) ? "" : reader.GetString(2), CapsOf);
                }
            }
            if (!ok) throw new LoginFailedException();
            // The capabilities hold only if the nonce turns out to cover the rest of the message.
            _nonces.Add(login.Nonce);
        }

        private void Clone(CloneCard clone)
        {
            if (!_caps.Clone)
            {
                _reply.Clear();
                _reply.Add(new PushCard(repository.ServerCode ?? "", repository.ProjectCode));
                Fail("not authorized to clone");
                return;
            }
            _clone = true;
            _cloneVersion = clone.Version ?? 1;
            if (clone.Version is not (2 or 3) || clone.SequenceNumber is null)
            {
                _pull = true;   // protocol 1: a pull that advertises everything
                return;
            }
            long seq = Math.Max(1, clone.SequenceNumber.Value);
            long max = repository.Scalar<long>("SELECT coalesce(max(rid), 0) FROM blob");
            using var cmd = repository.Command("""
                SELECT b.rid, b.uuid, b.size, b.content, s.uuid, s.rid IN private
                  FROM blob b LEFT JOIN delta d ON d.rid=b.rid LEFT JOIN blob s ON s.rid=d.srcid
                 WHERE b.rid>=$r AND b.size>=0 AND b.rid NOT IN private
                   AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)
                 ORDER BY b.rid
                """, ("$r", seq));
            using var reader = cmd.ExecuteReader();
            long next = 0;
            while (reader.Read())
            {
                long rid = reader.GetInt64(0);
                if (_sentBytes >= options.MaxDownload) { next = rid; break; }
                string hash = reader.GetString(1);
                if (Unexpandable.Contains(hash)) continue;
                long size = reader.GetInt64(2);
                byte[] stored = (byte[])reader.GetValue(3);
                string? source = reader.IsDBNull(4) ? null : reader.GetString(4);
                // A public artifact never travels as a delta of a private one.
                if (source is not null && !reader.IsDBNull(5) && reader.GetBoolean(5))
                {
                    if (ExpandOrNull(rid) is not { } whole) continue;
                    stored = BlobCompression.Compress(whole);
                    source = null;
                }
                _reply.Add(clone.Version == 3
                    ? new CFileCard(hash, source, size, stored)
                    : new FileCard(hash, source, BlobCompression.Decompress(stored)));
                _sentBytes += stored.Length;
            }
            _reply.Add(new CloneSeqnoCard(next > 0 && next <= max ? next : 0));
        }

        private void Finish()
        {
            if (_push)
            {
                using var cmd = repository.Command(NameLists.Phantoms(500, includePrivate: false));
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    string hash = reader.GetString(0);
                    if (!_asked.Contains(hash)) _reply.Add(new GimmeCard(hash));
                }
            }
            if (_clone && _cloneVersion is 2 or 3)
            {
                _reply.Add(new PushCard(repository.ServerCode ?? "", repository.ProjectCode));
                return;
            }
            if (_pull && !_clone) CreateClusters();
            if (_pull)
            {
                using var cmd = repository.Command(_clone
                    ? "SELECT b.uuid FROM blob b WHERE b.size>=0 AND b.rid NOT IN private AND NOT EXISTS(SELECT 1 FROM shun WHERE uuid=b.uuid)"
                    : NameLists.AnnouncedUnclustered);
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    string hash = reader.GetString(0);
                    if (!_onRemote.Contains(hash) && !Unexpandable.Contains(hash)) _reply.Add(new IGotCard(hash));
                }
                if (_syncPrivate)
                {
                    using var priv = repository.Command(NameLists.Private);
                    using var privateRows = priv.ExecuteReader();
                    while (privateRows.Read())
                    {
                        string hash = privateRows.GetString(0);
                        if (!_onRemote.Contains(hash) && !Unexpandable.Contains(hash)) _reply.Add(new IGotCard(hash, IsPrivate: true));
                    }
                }
                if (_clone) _reply.Add(new PushCard(repository.ServerCode ?? "", repository.ProjectCode));
            }
        }

        // A gimme answered with the artifact (as a delta of its parent when that saves), or with
        // igot once the reply is over budget.
        private void Send(string hash)
        {
            if (repository.Content.FindRid(hash) is not long rid || repository.Content.IsPhantom(rid) || Unexpandable.Contains(hash)) return;
            bool isPrivate = repository.Content.IsPrivate(rid);
            if (isPrivate && !_syncPrivate) return;
            if (_sentBytes >= options.MaxDownload)
            {
                _reply.Add(new IGotCard(hash, isPrivate));
                return;
            }
            if (ExpandOrNull(rid) is not { } content) return;
            if (isPrivate) _reply.Add(new PrivateCard());
            var file = ParentDelta.Card(repository, rid, hash, content, _syncPrivate);
            _reply.Add(file);
            _sentBytes += file.Content.Length;
            _onRemote.Add(hash);
        }

        // Content that cannot be expanded (a damaged blob) is left out of a reply rather than
        // failing the round for everything else in it.
        private byte[]? ExpandOrNull(long rid)
        {
            try
            {
                return repository.Content.Get(rid);
            }
            catch (CorruptContentException)
            {
                return null;
            }
        }

        // A client whose catalogue differs gets ours, once, and learns whether it may upload.
        private void Catalogue(string clientHash)
        {
            if (!_caps.Read || _catalogueSent || clientHash == repository.Unversioned.CatalogueHash()) return;
            _catalogueSent = true;
            _reply.Add(new PragmaCard(_caps.WriteUnversioned ? "uv-push-ok" : "uv-pull-only"));
            foreach (var entry in repository.Unversioned.List()) _reply.Add(new UvIGotCard(entry.Name, entry.MTime, entry.Hash, entry.Size));
        }

        private void SendUnversioned(string name)
        {
            var entry = repository.Unversioned.List().FirstOrDefault(e => e.Name == name);
            if (entry is null) return;
            if (entry.Hash is null)
            {
                _reply.Add(new UvFileCard(name, entry.MTime, null, 0, UvFileCard.Deleted, null));
                return;
            }
            if (_sentBytes >= options.MaxDownload)
            {
                _reply.Add(new UvIGotCard(name, entry.MTime, entry.Hash, entry.Size));
                return;
            }
            byte[] content = repository.Unversioned.Get(name)!;
            _reply.Add(new UvFileCard(name, entry.MTime, entry.Hash, content.Length, 0, content));
            _sentBytes += content.Length;
        }

        private void AcceptUnversioned(UvFileCard file)
        {
            var files = repository.Unversioned;
            int status = files.Status(file.Name, file.MTime, file.Hash);
            if (status >= 3) return;
            if ((file.Flags & UvFileCard.Deleted) != 0) files.Tombstone(file.Name, file.MTime);
            else if (status == 2 || file.Content is null) files.SetMTime(file.Name, file.MTime);
            else files.Write(file.Name, file.MTime, file.Hash!, file.Content.Value.Span, Receiver.Receipt());
        }

        // As stock: once 100 or more artifacts are unclustered, list them in clusters (M cards,
        // cut every 800 while more than 100 would remain), so pulls advertise a few clusters
        // instead of every artifact. The last cluster stays unclustered and is advertised.
        private void CreateClusters()
        {
            long unclustered = repository.Scalar<long>("SELECT count(*) FROM unclustered WHERE NOT EXISTS(SELECT 1 FROM phantom WHERE rid=unclustered.rid)");
            if (unclustered < 100) return;
            var members = repository.Names(NameLists.ClusterMembers);
            var kept = new List<long>();
            var text = new System.Text.StringBuilder();
            int rows = 0;
            foreach (string member in members)
            {
                // A dangling delta stays unclustered until its source comes: a cluster naming it
                // would have every puller ask for it.
                if (Unexpandable.Contains(member)) continue;
                text.Append("M ").Append(member).Append('\n');
                if (++rows >= 800 && unclustered > rows + 100)
                {
                    kept.Add(StoreCluster(text));
                    unclustered -= rows;
                    rows = 0;
                }
            }
            kept.AddRange(Unexpandable.Select(hash => repository.Content.FindRid(hash) ?? 0));
            repository.Execute($"DELETE FROM unclustered WHERE rid NOT IN (0{string.Concat(kept.Select(k => "," + k))}) AND NOT EXISTS(SELECT 1 FROM phantom WHERE rid=unclustered.rid)");
            if (rows > 0) StoreCluster(text);
        }

        private long StoreCluster(System.Text.StringBuilder text)
        {
            byte[] body = System.Text.Encoding.ASCII.GetBytes(text.ToString());
            text.Clear();
            string md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body));
            byte[] cluster = [.. body, .. System.Text.Encoding.ASCII.GetBytes($"Z {md5}\n")];
            string hash = ArtifactHash.Compute(cluster, ArtifactHash.KindForNewArtifacts(repository.HashPolicy));
            long rid = repository.Content.PutFull(cluster, hash, new StoreOptions());
            Receiver.AddMadeHere(rid);
            return rid;
        }

        // Stock's advisory lock: one client at a time may commit on top of a check-in.
        private void CheckInLock(string checkIn, string clientId)
        {
            if (!ArtifactHash.IsValid(checkIn)) return;
            long now = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
            long timeout = long.TryParse(repository.GetConfig("lock-timeout"), out long t) ? t : 60;
            repository.Execute("""
                DELETE FROM config WHERE name GLOB 'ci-lock-*'
                   AND (NOT json_valid(value) OR mtime<$old
                        OR NOT EXISTS(SELECT 1 FROM blob b JOIN leaf l ON l.rid=b.rid WHERE b.uuid=substr(config.name, 9)))
                """, ("$old", now - timeout));
            string name = "ci-lock-" + checkIn;
            using (var cmd = repository.Command("SELECT json_extract(value,'$.login'), mtime FROM config WHERE name=$n AND json_extract(value,'$.clientid')<>$c", ("$n", name), ("$c", clientId)))
            using (var reader = cmd.ExecuteReader())
            {
                if (reader.Read())
                {
                    _reply.Add(new PragmaCard("ci-lock-fail", FossilEscaping.Encode(reader.IsDBNull(0) ? "" : reader.GetString(0)), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)));
                    return;
                }
            }
            if (repository.Scalar<long>("SELECT count(*) FROM config WHERE name=$n", ("$n", name)) > 0) return;
            string login = _userId == 0 ? "nobody" : repository.Scalar<string>("SELECT login FROM user WHERE uid=$u", ("$u", _userId)) ?? "nobody";
            repository.Execute("INSERT INTO config(name, value, mtime) VALUES($n, json_object('login', $l, 'clientid', $c), $m)",
                ("$n", name), ("$l", login), ("$c", clientId), ("$m", now));
        }

        private bool ProjectMatches(string projectCode)
        {
            if (string.Equals(projectCode, repository.ProjectCode, StringComparison.Ordinal)) return true;
            Fail("wrong project");
            return false;
        }

        // Everyone has nobody's capabilities. Anonymous's are not for sync (as in stock, where an
        // anonymous login is a web session, not a sync login).
        private void AddBaselineCapabilities() => _caps.Add(CapsOf("nobody"), CapsOf);

        private string? CapsOf(string login) => repository.Scalar<string>("SELECT cap FROM user WHERE login=$l", ("$l", login));

        private long BeginReceipt() =>
            repository.Content.BeginReceipt(_userId == 0 ? null : _userId, _nonces.Count == 0 ? null : _nonces[^1], request.RemoteAddress);

        private void Fail(string message)
        {
            _reply.Add(new ErrorCard(message));
            _errors++;
            _stop = true;
        }
    }
}
