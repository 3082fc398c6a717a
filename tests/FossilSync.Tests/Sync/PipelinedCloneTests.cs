using FossilSync.Primitives;
using FossilSync.Sync;
using FossilSync.Testing;
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

    [Fact]
    public async Task A_damaged_envelope_anywhere_in_a_reply_fails_the_clone_with_what_was_wrong()
    {
        // The envelopes are checked on another core while the round is stored: the round must
        // still fail on them, before it commits, with the reason.
        using var dir = new TempDirectory();
        byte[] text = "a file\n"u8.ToArray(), other = "another file\n"u8.ToArray();
        var cards = new List<XferCard>();
        for (int i = 0; i < 200; i++)
        {
            byte[] content = System.Text.Encoding.UTF8.GetBytes($"file {i}\n");
            cards.Add(new CFileCard(ArtifactHash.Compute(content, HashKind.Sha3_256), null, content.Length, BlobCompression.Compress(content)));
        }
        // A delta announced as producing one byte more than it does.
        byte[] delta = FossilDelta.Create(text, other);
        cards.Insert(150, new CFileCard(ArtifactHash.Compute(other, HashKind.Sha3_256), ArtifactHash.Compute(text, HashKind.Sha3_256), other.Length + 1, BlobCompression.Compress(delta)));
        cards.Add(new CloneSeqnoCard(0));
        cards.Add(new PushCard(new string('1', 40), new string('2', 40)));
        var transport = new MockTransport((_, _) => Task.FromResult(new XferMessage(cards)));
        string path = dir.File("damaged.fossil");

        var clone = () => FossilClient.CloneAsync(transport, path);

        (await clone.Should().ThrowAsync<FossilSyncException>()).WithMessage($"*{ArtifactHash.Compute(other, HashKind.Sha3_256)}*produces {other.Length} bytes, not the {other.Length + 1} announced*");
        File.Exists(path).Should().BeFalse();
    }
}
