using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FossilSync.Primitives;

namespace FossilSync.Benchmarks;

/// <summary>
/// Naming an artifact (SHA1 and SHA3-256) and checking a name, on 64 KB of text; and what a
/// clone's checker does with many artifacts: 64 texts of 64 KB hashed one by one (OpenSSL) or
/// side by side in lanes (SHA3-256 eight at a time, MD5 sixteen at a time), each message tagged
/// with a number or, as the clone's checker tags them, with an object (a generic class over a
/// reference type runs shared code, which once made the SHA3 lanes far slower).
/// </summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private byte[] _text = [];
    private string _sha3 = "";
    private byte[][] _texts = [];
    private readonly object[] _objectTags = [.. Enumerable.Range(0, 64).Select(i => (object)i.ToString())];

    [GlobalSetup]
    public void Setup()
    {
        _text = SampleData.TextPair(64 * 1024, seed: 5).Source;
        _sha3 = ArtifactHash.Compute(_text, HashKind.Sha3_256);
        _texts = [.. Enumerable.Range(0, 64).Select(i => SampleData.TextPair(64 * 1024, seed: 100 + i).Source)];
    }

    [Benchmark]
    public string Sha1() => ArtifactHash.Compute(_text, HashKind.Sha1);

    [Benchmark]
    public string Sha3() => ArtifactHash.Compute(_text, HashKind.Sha3_256);

    [Benchmark]
    public bool Matches() => ArtifactHash.Matches(_sha3, _text);

    [Benchmark]
    public int Sha3_64_one_by_one() => OneByOne(SHA3_256.HashData);

    [Benchmark]
    public int Sha3_64_in_lanes() => InLanes(new Sha3Lanes<int>(), i => i);

    [Benchmark]
    public int Sha3_64_in_lanes_object_tags() => InLanes(new Sha3Lanes<object>(), i => _objectTags[i]);

    [Benchmark]
    public int Md5_64_one_by_one() => OneByOne(MD5.HashData);

    [Benchmark]
    public int Md5_64_in_lanes() => InLanes(new Md5Lanes<int>(), i => i);

    [Benchmark]
    public int Md5_64_in_lanes_object_tags() => InLanes(new Md5Lanes<object>(), i => _objectTags[i]);

    private int OneByOne(Func<byte[], byte[]> hash)
    {
        int sum = 0;
        foreach (byte[] text in _texts) sum += hash(text)[0];
        return sum;
    }

    private int InLanes<TTag>(LaneHasher<TTag> hasher, Func<int, TTag> tag)
    {
        var finished = new List<(TTag Tag, byte[] Digest)>();
        int next = 0, sum = 0;
        while (next < _texts.Length || !hasher.IsIdle)
        {
            while (hasher.HasFreeLane && next < _texts.Length)
            {
                hasher.Start(_texts[next], tag(next));
                next++;
            }
            hasher.Step(finished);
            foreach (var (_, digest) in finished) sum += digest[0];
            finished.Clear();
        }
        return sum;
    }
}
