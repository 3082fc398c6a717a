using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Sync;

/// <summary>A clone sends its next request while storing the last reply; a failure there stops both.</summary>
public sealed class PipelinedCloneTests
{
    [Fact]
    public async Task The_next_request_is_in_flight_while_a_reply_is_stored_and_is_cancelled_when_storing_fails()
    {
        using var dir = new TempDirectory();
        byte[] text = "a file\n"u8.ToArray();
        var firstReply = new XferMessage(
        [
            new CFileCard(ArtifactHash.Compute(text, HashKind.Sha3_256), null, text.Length, BlobCompression.Compress(text)),
            // Not a zlib envelope: storing this reply fails.
            new CFileCard(ArtifactHash.Compute("other"u8, HashKind.Sha3_256), null, 5, new byte[] { 0, 0, 0, 5, 1, 2, 3 }),
            new CloneSeqnoCard(3),
            new PushCard(new string('1', 40), new string('2', 40)),
        ]);
        var secondRequestCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        var transport = new MockTransport(async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref calls) == 1) return firstReply;
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                secondRequestCancelled.SetResult(true);
                throw;
            }
            return new XferMessage([]);
        });
        string path = dir.File("pipelined.fossil");

        var clone = () => FossilClient.CloneAsync(transport, path);

        await clone.Should().ThrowAsync<FossilSyncException>();
        calls.Should().Be(2, "round 2 was asked for before round 1 was stored");
        (await secondRequestCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        transport.Requests[1].Cards.Should().ContainEquivalentOf(new CloneCard(3, 3));
        File.Exists(path).Should().BeFalse();
    }
}
