using System.Security.Cryptography;
using System.Text;
using FossilSync.Primitives;

namespace FossilSync.Repo;

/// <summary>
/// The "initial empty check-in" that <c>fossil new</c> makes: without a check-in, a stock
/// <c>fossil open</c> cannot tie its check-out to the repository.
/// </summary>
/// <remarks>
/// Its derived rows are written here directly, as stock's crosslinker would for this one
/// fixed manifest (an event, the trunk branch and sym-trunk tags, a leaf). General
/// crosslinking lives in the crosslink layer.
/// </remarks>
internal static class InitialCheckIn
{
    private const string EmptyFileSetChecksum = "d41d8cd98f00b204e9800998ecf8427e";
    private const string Comment = "initial empty check-in";

    public static void Write(Repository repository, string user)
    {
        string date = JulianDay.Format(repository.JulianNow());
        double mtime = JulianDay.Parse(date)!.Value;
        var text = new StringBuilder()
            .Append("C ").Append(FossilEscaping.Encode(Comment)).Append('\n')
            .Append("D ").Append(date).Append('\n')
            .Append("R ").Append(EmptyFileSetChecksum).Append('\n')
            .Append("T *branch * trunk\n")
            .Append("T *sym-trunk *\n")
            .Append("U ").Append(FossilEscaping.Encode(user)).Append('\n');
        string body = text.ToString();
        byte[] manifest = Encoding.UTF8.GetBytes(body + "Z " + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body))) + "\n");

        long uid = repository.Scalar<long>("SELECT uid FROM user WHERE login=$l", ("$l", user));
        long receipt = repository.Content.BeginReceipt(uid, nonce: null, ipAddress: null);
        string hash = ArtifactHash.Compute(manifest, ArtifactHash.KindForNewArtifacts(repository.HashPolicy));
        long rid = repository.Content.PutFull(manifest, hash, new StoreOptions { ReceiptId = receipt });

        repository.Execute("INSERT INTO tag(tagname) VALUES('sym-trunk')");
        repository.Execute(
            "INSERT INTO event(type, mtime, objid, user, comment, omtime) VALUES('ci', $m, $r, $u, $c, $m)",
            ("$m", JulianDay.ThroughSqlText(mtime)), ("$r", rid), ("$u", user), ("$c", Comment));
        repository.Execute(
            """
            INSERT INTO tagxref(tagid, tagtype, srcid, origid, value, mtime, rid)
              SELECT 8, 2, $r, $r, 'trunk', $m, $r
              UNION ALL SELECT tagid, 2, $r, $r, NULL, $m, $r FROM tag WHERE tagname='sym-trunk'
            """,
            ("$r", rid), ("$m", mtime));
        repository.Execute("INSERT INTO leaf(rid) VALUES($r)", ("$r", rid));
    }
}
