using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Tests.Infrastructure;

/// <summary>Content no repository holds yet (a new one per call), to push and then look for.</summary>
public sealed record FreshArtifact(byte[] Content, string Hash)
{
    public static FreshArtifact Create(string purpose)
    {
        byte[] content = System.Text.Encoding.UTF8.GetBytes($"{purpose} {Guid.NewGuid()}\n");
        return new FreshArtifact(content, ArtifactHash.Compute(content, HashKind.Sha3_256));
    }

    /// <summary>As a <c>file</c> card (full text).</summary>
    public FileCard File => new(Hash, null, Content);

    /// <summary>
    /// As the bytes of a <c>cfile</c> card (compressed, as a clone sends it) without the newline
    /// a sender adds after the payload: stock's server would read that newline as a blank,
    /// unknown card.
    /// </summary>
    public byte[] CFileBytes
    {
        get
        {
            byte[] payload = BlobCompression.Compress(Content);
            return [.. System.Text.Encoding.ASCII.GetBytes($"cfile {Hash} {Content.Length} {payload.Length}\n"), .. payload];
        }
    }

    /// <summary>SQL counting the artifact's rows (0 when absent; a phantom counts).</summary>
    public string CountSql => $"SELECT count(*) FROM blob WHERE uuid='{Hash}'";
}
