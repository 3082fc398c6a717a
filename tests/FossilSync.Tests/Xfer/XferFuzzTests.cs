using FossilSync.Primitives;
using FossilSync.Xfer;

namespace FossilSync.Tests.Xfer;

public sealed class XferFuzzTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Mutated_and_random_input_only_ever_raises_the_typed_exceptions(int seed)
    {
        var random = new Random(seed);
        var bodies = CaptureFiles.DecompressedBodies().Select(f => CaptureFiles.Split(f).Body).Where(b => b.Length > 0).ToList();
        var limits = new XferLimits { MaxPayloadSize = 1 << 20, MaxMessageSize = 1 << 24, MaxLineLength = 4096 };
        for (int i = 0; i < 700; i++)
        {
            byte[] input;
            if (i % 7 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])bodies[random.Next(bodies.Count)].Clone();
                for (int m = random.Next(1, 6); m > 0 && input.Length > 0; m--)
                {
                    int at = random.Next(input.Length);
                    switch (random.Next(4))
                    {
                        case 0: input[at] = (byte)random.Next(256); break;
                        case 1: input = input[..at]; break;
                        case 2: input[at] = (byte)"\n 0123456789abcdef-"[random.Next(19)]; break;
                        default: input = [.. input[..at], .. input[at..], .. input[..Math.Min(at, 40)]]; break;
                    }
                }
            }
            await AssertOnlyTypedFailures(() => Task.FromResult(XferMessage.Decode(input, limits)));
            byte[] compressed = BlobCompression.Compress(input);
            if (i % 3 == 0 && compressed.Length > 6) compressed[random.Next(4, compressed.Length)] ^= 0x20;
            await AssertOnlyTypedFailures(() => XferMessage.ReadAsync(new MemoryStream(compressed), compressed: true, limits));
        }
    }

    private static async Task AssertOnlyTypedFailures(Func<Task<XferMessage>> decode)
    {
        try
        {
            var message = await decode();
            message.Encode();
        }
        catch (XferFormatException)
        {
        }
        catch (CorruptContentException)
        {
        }
    }
}
