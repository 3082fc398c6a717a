using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Benchmarks;

/// <summary>
/// Encoding and decoding big messages: 10,000 igot cards, 200 file cards of 10 KB, and a clone
/// page as a server sends it (cfile cards of stored content, about 3.5 MB).
/// </summary>
[MemoryDiagnoser]
public class XferCodecBenchmarks
{
    private XferMessage _igots = new(), _files = new(), _clonePage = new();
    private byte[] _igotsPlain = [], _filesPlain = [], _filesCompressed = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        _igots = new XferMessage(Enumerable.Range(0, 10_000).Select(_ => (XferCard)new IGotCard(random.GetHexString(64, lowercase: true))));
        _files = new XferMessage(Enumerable.Range(0, 200).Select(i =>
        {
            byte[] content = SampleData.TextPair(10 * 1024, seed: i).Source;
            return (XferCard)new FileCard(ArtifactHash.Compute(content, HashKind.Sha3_256), null, content);
        }));
        _clonePage = new XferMessage(Enumerable.Range(0, 400).Select(i =>
        {
            byte[] content = SampleData.TextPair(40 * 1024, seed: i).Source;
            byte[] stored = BlobCompression.Compress(content);
            return (XferCard)new CFileCard(ArtifactHash.Compute(content, HashKind.Sha3_256), null, content.Length, stored);
        }));
        _igotsPlain = _igots.Encode();
        _filesPlain = _files.Encode();
        _filesCompressed = _files.EncodeCompressed();
    }

    [Benchmark]
    public byte[] EncodeIgots() => _igots.Encode();

    [Benchmark]
    public XferMessage DecodeIgots() => XferMessage.Decode(_igotsPlain);

    [Benchmark]
    public byte[] EncodeFiles() => _files.Encode();

    [Benchmark]
    public byte[] EncodeClonePage() => _clonePage.Encode();

    [Benchmark]
    public XferMessage DecodeFiles() => XferMessage.Decode(_filesPlain);

    [Benchmark]
    public Task<XferMessage> StreamDecodeCompressedFiles() => XferMessage.ReadAsync(new MemoryStream(_filesCompressed), compressed: true);
}
