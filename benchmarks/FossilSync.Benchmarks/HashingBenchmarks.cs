using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;

namespace FossilSync.Benchmarks;

/// <summary>Naming an artifact (SHA1 and SHA3-256) and checking a name, on 64 KB of text.</summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private byte[] _text = [];
    private string _sha3 = "";

    [GlobalSetup]
    public void Setup()
    {
        _text = SampleData.TextPair(64 * 1024, seed: 5).Source;
        _sha3 = ArtifactHash.Compute(_text, HashKind.Sha3_256);
    }

    [Benchmark]
    public string Sha1() => ArtifactHash.Compute(_text, HashKind.Sha1);

    [Benchmark]
    public string Sha3() => ArtifactHash.Compute(_text, HashKind.Sha3_256);

    [Benchmark]
    public bool Matches() => ArtifactHash.Matches(_sha3, _text);
}
