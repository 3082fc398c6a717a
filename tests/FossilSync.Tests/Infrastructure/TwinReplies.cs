namespace FossilSync.Tests.Infrastructure;

/// <summary>One request's replies from stock's server and from ours.</summary>
public sealed record TwinReplies(SyncReply Stock, SyncReply Ours)
{
    /// <summary>Both replies, stock's first.</summary>
    public IEnumerable<SyncReply> Each => [Stock, Ours];

    /// <summary>
    /// Asserts that both servers gave the same verdict: the same HTTP status and the same
    /// <c>error</c> and <c>message</c> texts.
    /// </summary>
    public TwinReplies ShouldAgree()
    {
        string because = $"both servers must judge the request alike\n{Stock}\n{Ours}";
        Ours.Status.Should().Be(Stock.Status, because);
        Ours.Errors.Should().Equal(Stock.Errors, because);
        Ours.Messages.Should().Equal(Stock.Messages, because);
        return this;
    }

    /// <summary>Asserts that both replies carry exactly the error <paramref name="error"/>, or none when it is null.</summary>
    public TwinReplies ShouldBothFailWith(string? error)
    {
        foreach (var reply in Each)
        {
            if (error is null) reply.Errors.Should().BeEmpty(reply.ToString());
            else reply.Errors.Should().Equal([error], reply.ToString());
        }
        return this;
    }
}
