using System.Text;
using FossilSync.Primitives;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

/// <summary>
/// The clone's in-memory name index must answer every lookup as the database would, through
/// everything a clone's storing does (phantoms for delta sources, their filling, private
/// artifacts, a shun list that arrives midway), and must not outlive a rolled-back transaction.
/// </summary>
public sealed class NameIndexTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Repository _repository;
    private readonly List<string> _names = [];

    public NameIndexTests() => _repository = Repository.Create(_dir.File("r.fossil"), new RepositoryOptions { Random = new Random(5), InitialCheckIn = false });

    public void Dispose()
    {
        _repository.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Lookups_answer_as_the_database_through_deltas_phantoms_private_and_shunning()
    {
        byte[] older = Text("older"), newer = Text("newer"), secret = Text("secret"), shunned = Text("shunned"), before = Text("before");
        using (var tx = _repository.BeginTransaction())
        {
            _repository.PutArtifact(before);
            tx.Commit();
        }
        Remember(before);
        using var transaction = _repository.BeginTransaction();
        using (_repository.Content.UseNameIndex())
        {
            var received = new StoreOptions { VerifyLater = true };
            // A delta arrives before its source: the source becomes a phantom.
            byte[] delta = FossilDelta.Create(newer, older);
            _repository.Content.PutCompressed(Name(older), Name(newer), BlobCompression.Compress(delta), older.Length, received);
            Remember(older, newer);
            Check();
            // The source arrives and fills the phantom.
            _repository.Content.PutCompressed(Name(newer), null, BlobCompression.Compress(newer), newer.Length, received);
            Check();
            _repository.Content.PutCompressed(Name(secret), null, BlobCompression.Compress(secret), secret.Length, received with { Private = true });
            Remember(secret);
            Check();
            // The shun list arrives: the next artifact under a shunned name is not stored.
            _repository.Execute("INSERT INTO shun(uuid, mtime, scom) VALUES($u, 0, 'test')", ("$u", Name(shunned)));
            _repository.Content.RefreshShunning();
            Remember(shunned);
            Check();
            _repository.Content.PutCompressed(Name(shunned), null, BlobCompression.Compress(shunned), shunned.Length, received).Should().Be(0);
            Check();
            _repository.Content.FindRid(Name(shunned)).Should().BeNull();
        }
        transaction.Commit();
    }

    [Fact]
    public void A_rollback_ends_the_index()
    {
        byte[] content = Text("rolled back");
        using var names = _repository.Content.UseNameIndex();
        using (var tx = _repository.BeginTransaction())
        {
            _repository.Content.PutCompressed(Name(content), null, BlobCompression.Compress(content), content.Length, new StoreOptions { VerifyLater = true });
            _repository.Content.FindRid(Name(content)).Should().NotBeNull();
        }
        _repository.Content.FindRid(Name(content)).Should().BeNull("the row went with the transaction");
    }

    private void Remember(params byte[][] contents) => _names.AddRange(contents.Select(Name));

    // Every lookup the store makes, from the index and straight from the database.
    private void Check()
    {
        foreach (string name in _names)
        {
            long? rid = _repository.Scalar<long?>("SELECT rid FROM blob WHERE uuid=$u", ("$u", name));
            _repository.Content.FindRid(name).Should().Be(rid, name);
            _repository.Content.IsShunned(name).Should().Be(_repository.Scalar<long>("SELECT count(*) FROM shun WHERE uuid=$u", ("$u", name)) > 0, name);
            if (rid is not long r) continue;
            _repository.Content.IsPhantom(r).Should().Be(_repository.Scalar<long>("SELECT count(*) FROM phantom WHERE rid=$r", ("$r", r)) > 0, name);
            _repository.Content.IsPrivate(r).Should().Be(_repository.Scalar<long>("SELECT count(*) FROM private WHERE rid=$r", ("$r", r)) > 0, name);
        }
    }

    private static string Name(byte[] content) => ArtifactHash.Compute(content, HashKind.Sha3_256);

    private static byte[] Text(string seed) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"{seed} line {i}\n")));
}
