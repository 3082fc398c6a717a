using System.Diagnostics;
using System.Text;
using FossilSync.Http;
using FossilSync.Sync;
using FossilSync.Tests.Infrastructure;
using FossilSync.Xfer;

namespace FossilSync.Tests.Http;

/// <summary>Hostile and broken HTTP peers: every failure is a <see cref="TransportException"/>, and silence is bounded.</summary>
public sealed class HttpTransportFailureTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(1);
    // Far more than the read timeout, far less than HttpClient's 100 s or forever.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly byte[] Request = new XferMessage([new PragmaCard("client-version", "22100", "20230226", "192424")]).Encode();

    private static Func<Stream, CancellationToken, Task> Writes(string text, bool thenHang = false) => async (stream, stop) =>
    {
        await stream.WriteAsync(Encoding.Latin1.GetBytes(text), stop);
        await stream.FlushAsync(stop);
        if (thenHang) await Task.Delay(Timeout.Infinite, stop);
    };

    // Where the idle timeout is not what a test is about, a start-up pause of a loaded machine
    // (the first connection, a collection) must not fire it instead of the failure under test.
    private static readonly TimeSpan UnhurriedTimeout = TimeSpan.FromSeconds(10);

    private static async Task<TransportException> Fails(ScriptedHttpResponder peer, TimeSpan? readTimeout = null)
    {
        using var transport = new HttpTransport(peer.Url) { ReadTimeout = readTimeout ?? ShortTimeout };
        var act = () => transport.ExchangeAsync(Request, CancellationToken.None).WaitAsync(Patience);
        return (await act.Should().ThrowExactlyAsync<TransportException>()).Which;
    }

    [Fact]
    public async Task A_connection_closed_in_the_middle_of_the_body_is_a_transport_error()
    {
        byte[] reply = new XferMessage([new MessageCard(new string('x', 3000))]).EncodeCompressed();
        using var peer = new ScriptedHttpResponder(async (stream, stop) =>
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-fossil\r\nContent-Length: {reply.Length + 500}\r\n\r\n"), stop);
            await stream.WriteAsync(reply.AsMemory(0, reply.Length / 2), stop);
        });
        var error = await Fails(peer, UnhurriedTimeout);
        error.Message.Should().Contain("broke").And.Contain(peer.Url.ToString());
        error.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task A_peer_that_never_sends_headers_fails_after_the_read_timeout()
    {
        using var peer = new ScriptedHttpResponder((_, stop) => Task.Delay(Timeout.Infinite, stop));
        var clock = Stopwatch.StartNew();
        var error = await Fails(peer);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(ShortTimeout - TimeSpan.FromMilliseconds(50));
        error.Message.Should().Contain("no data").And.Contain("1 s");
    }

    [Fact]
    public async Task A_peer_that_falls_silent_after_the_headers_fails_after_the_read_timeout()
    {
        using var peer = new ScriptedHttpResponder(Writes("HTTP/1.1 200 OK\r\nContent-Type: application/x-fossil-uncompressed\r\nContent-Length: 100000\r\n\r\npragma server-version 1\n", thenHang: true));
        (await Fails(peer)).Message.Should().Contain("no data");
    }

    [Fact]
    public async Task A_slow_but_steady_peer_is_not_cut_off_by_the_idle_timeout()
    {
        const string body = "pragma server-version 22100 20230226 192424\nmessage still\\sthere\n";
        using var peer = new ScriptedHttpResponder(async (stream, stop) =>
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/x-fossil-uncompressed\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), stop);
            // Longer in all than the timeout, never silent for nearly as long (a loaded machine
            // may hold a writer back for a second). On a thread of its own: continuations on a
            // thread pool that a full test run keeps busy could wait past the timeout.
            await Task.Factory.StartNew(() =>
            {
                foreach (string piece in body.Chunk(4).Select(c => new string(c)))
                {
                    Thread.Sleep(300);
                    stop.ThrowIfCancellationRequested();
                    stream.Write(Encoding.Latin1.GetBytes(piece));
                    stream.Flush();
                }
            }, stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        });
        // Thirteen gaps' worth: a full test run on two cores once held the writer back past 2 s.
        var idle = TimeSpan.FromSeconds(4);
        using var transport = new HttpTransport(peer.Url) { ReadTimeout = idle };
        var clock = Stopwatch.StartNew();
        var reply = await transport.ExchangeAsync(Request, CancellationToken.None).WaitAsync(Patience);
        clock.Elapsed.Should().BeGreaterThan(idle);
        reply.Cards.OfType<MessageCard>().Should().ContainSingle().Which.Message.Should().Be("still there");
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(502, "Bad Gateway")]
    public async Task An_http_error_carries_its_status_code(int code, string reason)
    {
        using var peer = new ScriptedHttpResponder($"HTTP/1.1 {code} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var error = await Fails(peer, UnhurriedTimeout);
        error.StatusCode.Should().Be(code);
        error.Message.Should().Contain(code.ToString());
    }

    [Fact]
    public async Task Cancelling_the_caller_is_a_cancellation_not_a_transport_error()
    {
        using var peer = new ScriptedHttpResponder((_, stop) => Task.Delay(Timeout.Infinite, stop));
        using var transport = new HttpTransport(peer.Url) { ReadTimeout = TimeSpan.FromSeconds(30) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var act = () => transport.ExchangeAsync(Request, cancel.Token).WaitAsync(Patience);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
