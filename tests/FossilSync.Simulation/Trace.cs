using System.Security.Cryptography;
using System.Text;

namespace FossilSync.Simulation;

/// <summary>SHA-256 over every message on the simulated wire and the final state of every peer: two runs of a seed must give the same.</summary>
public sealed class Trace : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public int Messages { get; private set; }

    public void Add(string label, ReadOnlySpan<byte> bytes)
    {
        Messages++;
        Add($"{label} {bytes.Length}\n");
        _hash.AppendData(bytes);
    }

    public void Add(string text) => _hash.AppendData(Encoding.UTF8.GetBytes(text));

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
