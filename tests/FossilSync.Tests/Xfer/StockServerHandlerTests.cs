using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Xfer;

public sealed class StockServerHandlerTests
{
    [Fact]
    public void A_request_we_encode_is_answered_by_stock_fossils_server_handler_and_we_decode_the_reply()
    {
        using var dir = new TempDirectory();
        string repo = dir.File("r.fossil");
        StockFossil.Ok(dir.Path, "new", repo);
        string projectCode = StockFossil.Ok(dir.Path, "sql", "-R", repo, "SELECT value FROM config WHERE name='project-code'").Trim().Trim('\'');
        string initial = StockFossil.Ok(dir.Path, "sql", "-R", repo, "SELECT uuid FROM blob").Trim().Trim('\'');

        var request = new XferMessage(
        [
            new PragmaCard("client-version", "22100", "20230226", "192424"),
            new PullCard(new string('0', 40), projectCode),
            new GimmeCard(initial),
            new CommentCard(" 0123456789ABCDEF0123456789ABCDEF01234567"),
        ]);
        File.WriteAllBytes(dir.File("request"), request.Encode());
        var result = StockFossil.Run(dir.Path, "test-xfer", "-R", repo, dir.File("request"));
        result.ExitCode.Should().Be(0, result.Stderr);

        var reply = XferMessage.Decode(result.StdoutBytes).Cards;
        reply.Should().ContainEquivalentOf(new PragmaCard("server-version", "22100", "20230226", "192424"));
        var file = reply.OfType<FileCard>().Should().ContainSingle().Subject;
        file.Hash.Should().Be(initial);
        FossilSync.Primitives.ArtifactHash.Matches(initial, file.Content.Span).Should().BeTrue();
        reply.OfType<ErrorCard>().Should().BeEmpty();
        reply[^1].Should().BeOfType<CommentCard>().Which.Text.Should().StartWith(" timestamp");
    }

    [Fact]
    public void Stock_answers_a_wrong_project_code_with_an_error_card_we_decode()
    {
        using var dir = new TempDirectory();
        string repo = dir.File("r.fossil");
        StockFossil.Ok(dir.Path, "new", repo);
        var request = new XferMessage([new PragmaCard("client-version", "22100", "20230226", "192424"), new PullCard(new string('0', 40), new string('1', 40))]);
        File.WriteAllBytes(dir.File("request"), request.Encode());
        var reply = XferMessage.Decode(StockFossil.Run(dir.Path, "test-xfer", "-R", repo, dir.File("request")).StdoutBytes).Cards;
        reply.OfType<ErrorCard>().Should().ContainSingle().Which.Message.Should().Be("wrong project");
    }
}
