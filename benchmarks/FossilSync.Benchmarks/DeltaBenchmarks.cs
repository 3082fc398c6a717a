using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;

namespace FossilSync.Benchmarks;

/// <summary>
/// Delta create and apply on a 1 MB text with scattered edits and a 10 MB binary, and the
/// checksum a rebuild computes over every expansion (1 MB).
/// </summary>
[MemoryDiagnoser]
public class DeltaBenchmarks
{
    private byte[] _textSource = [], _textTarget = [], _textDelta = [], _textOut = [];
    private byte[] _binSource = [], _binTarget = [], _binDelta = [], _binOut = [];

    [GlobalSetup]
    public void Setup()
    {
        (_textSource, _textTarget) = SampleData.TextPair(1 << 20, seed: 1);
        (_binSource, _binTarget) = SampleData.BinaryPair(10 << 20, seed: 2);
        _textDelta = FossilDelta.Create(_textSource, _textTarget);
        _binDelta = FossilDelta.Create(_binSource, _binTarget);
        _textOut = new byte[_textTarget.Length];
        _binOut = new byte[_binTarget.Length];
    }

    [Benchmark]
    public byte[] CreateText1MB() => FossilDelta.Create(_textSource, _textTarget);

    [Benchmark]
    public void ApplyText1MB() => FossilDelta.Apply(_textSource, _textDelta, _textOut);

    [Benchmark]
    public byte[] CreateBinary10MB() => FossilDelta.Create(_binSource, _binTarget);

    [Benchmark]
    public void ApplyBinary10MB() => FossilDelta.Apply(_binSource, _binDelta, _binOut);

    [Benchmark]
    public uint Checksum1MB() => DeltaFormat.Checksum(_textTarget);
}
