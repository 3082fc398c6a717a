using System.Security.Cryptography;
using System.Text;

namespace FossilSync.Fuzz;

/// <summary>
/// Well-formed artifacts of every structural type, each closed by a correct Z card: the
/// captures hold check-ins and clusters only, and a mutation that starts from a valid wiki
/// page or ticket reaches far more of the parser than one that starts from noise.
/// </summary>
internal static class GeneratedArtifacts
{
    private const string Sha1 = "2f8aeb1c13b97a6e2d66c3d5e0d1e5b0a5d3f7c1";
    private const string Sha3 = "8b52607f3fb3c1ce3c82cfd0c9a0e8c1a6f0b2a3c4d5e6f708192a3b4c5d6e7f";

    public static IEnumerable<byte[]> All()
    {
        yield return Close($"C initial\\sempty\\scheck-in\nD 2026-11-25T10:00:00.000\nR d41d8cd98f00b204e9800998ecf8427e\nT *branch * trunk\nT *sym-trunk *\nU alice\n");
        yield return Close($"C edit\nD 2026-11-25T10:01:00.000\nF a.txt {Sha3}\nF dir/b\\sc.txt {Sha1} x\nF link {Sha1} l old\\sname\nN text/x-markdown\nP {Sha3} {Sha1}\nQ +{Sha1} {Sha3}\nR 0123456789abcdef0123456789abcdef\nU bob\n");
        yield return Close($"B {Sha3}\nC delta\\smanifest\nD 2026-11-25T10:02:00.000\nF a.txt\nF new.txt {Sha3}\nP {Sha3}\nU alice\n");
        yield return Close($"M {Sha1}\nM {Sha3}\n");
        yield return Close($"D 2026-11-25T10:03:00.000\nT +bgcolor {Sha3} #ffc0c0\nT -closed {Sha1}\nU alice\n");
        yield return Close($"D 2026-11-25T10:04:00.000\nL Home\\sPage\nN text/x-fossil-wiki\nP {Sha1}\nU alice\nW 12\nhello wiki!\n\n");
        yield return Close($"D 2026-11-25T10:05:00.000\nJ +comment appended\\stext\nJ status Open\nJ title A\\sbug\nK {Sha1}\nU carol\n");
        yield return Close($"A notes.txt Home\\sPage {Sha3}\nC attach\nD 2026-11-25T10:06:00.000\nU alice\n");
        yield return Close($"C note\nD 2026-11-25T10:07:00.000\nE 2026-11-24T09:00:00 {Sha1}\nN text/plain\nP {Sha3}\nT +bgcolor * red\nU alice\nW 5\nnote\n\n");
        yield return Close($"D 2026-11-25T10:08:00.000\nH First\\spost\nN text/x-markdown\nU dave\nW 6\nhello\n\n");
        yield return Close($"D 2026-11-25T10:09:00.000\nG {Sha3}\nI {Sha1}\nN text/x-markdown\nP {Sha1}\nU erin\nW 3\nre\n\n");
        // Clear-signed, as old repositories hold.
        byte[] signed = Close($"C signed\nD 2026-11-25T10:10:00.000\nU alice\n");
        yield return [.. "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\n"u8, .. signed, .. "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"u8];
    }

    private static byte[] Close(string body)
    {
        byte[] text = Encoding.UTF8.GetBytes(body);
        string md5 = Convert.ToHexStringLower(MD5.HashData(text));
        return [.. text, .. Encoding.ASCII.GetBytes($"Z {md5}\n")];
    }
}
