using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;

namespace FossilSync.Benchmarks;

/// <summary>The blob envelope (4-byte size + zlib) on 1 MB of text.</summary>
[MemoryDiagnoser]
public class CompressionBenchmarks
{
    private byte[] _text = [], _envelope = [];

    [GlobalSetup]
    public void Setup()
    {
        _text = SampleData.TextPair(1 << 20, seed: 3).Source;
        _envelope = BlobCompression.Compress(_text);
    }

    [Benchmark]
    public byte[] Compress1MB() => BlobCompression.Compress(_text);

    [Benchmark]
    public byte[] Decompress1MB() => BlobCompression.Decompress(_envelope);
}
