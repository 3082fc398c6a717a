using System.Net.Http.Headers;
using FossilSync.AspNetCore;
using FossilSync.Http;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Server;

/// <summary>Our endpoint frames replies as stock's server does: compressed, except a clone page.</summary>
public sealed class EndpointContentTypeTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _served;

    public EndpointContentTypeTests()
    {
        _served = _dir.File("served.fossil");
        StockFossil.Ok(_dir.Path, "new", _served);
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("clone 3 1\n", "application/x-fossil-uncompressed")]
    [InlineData("clone\n", "application/x-fossil")]
    [InlineData("pull 0000000000000000000000000000000000000000 0000000000000000000000000000000000000000\n", "application/x-fossil")]
    public async Task Our_server_answers_with_the_content_type_stock_uses(string card, string expected)
    {
        byte[] body = new XferMessage(XferMessage.Decode(System.Text.Encoding.ASCII.GetBytes("pragma client-version 22100 20230226 192424\n" + card)).Cards).EncodeCompressed();
        using var http = new HttpClient();
        async Task<string?> ContentTypeFrom(Uri url)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-fossil");
            using var response = await http.PostAsync(url, content);
            return response.Content.Headers.ContentType?.MediaType;
        }

        string? stock;
        using (var stockServer = new StockServer(_served)) stock = await ContentTypeFrom(stockServer.Url);
        await using var ours = await FossilSyncServer.StartAsync(_served, "http://127.0.0.1:0");

        stock.Should().Be(expected, "this is what stock fossil 2.21 sends");
        (await ContentTypeFrom(ours.Url)).Should().Be(expected);
    }
}
