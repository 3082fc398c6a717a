using FossilSync.Http;
using FossilSync.Nats;
using FossilSync.Sync;
using NATS.Client.Core;

namespace FossilSync.Cli;

/// <summary>
/// A remote command's transport: HTTP for http(s) URLs, NATS for <c>nats://HOST:PORT/PROJECT-CODE</c>
/// (the user and password in a nats URL are the fossil login, as in an HTTP URL; the NATS
/// connection itself is anonymous). Owns the connection it opens.
/// </summary>
internal sealed class NatsRemote : IAsyncDisposable
{
    public const string Scheme = "nats";

    private readonly NatsConnection? _connection;

    private NatsRemote(ITransport transport, NatsConnection? connection)
    {
        Transport = transport;
        _connection = connection;
    }

    public ITransport Transport { get; }

    /// <summary>The NATS connection, for a nats URL.</summary>
    public NatsConnection? Connection => _connection;

    /// <summary>Splits a nats URL into server (no credentials), project code and login; null when it names no project.</summary>
    public static FossilUrl? Parse(Uri uri)
    {
        string code = uri.AbsolutePath.Trim('/');
        if (code.Length == 0 || code.Contains('/', StringComparison.Ordinal)) return null;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        var endpoint = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "", Port = uri.IsDefaultPort ? 4222 : uri.Port }.Uri;
        return new FossilUrl(endpoint, user, password);
    }

    /// <summary>The server part of a nats URL (<c>nats://HOST:PORT</c>).</summary>
    public static string ServerOf(Uri endpoint) => $"nats://{endpoint.Host}:{endpoint.Port}";

    /// <summary>Connects to the remote of <paramref name="url"/>; <paramref name="chooseHub"/> pins a NATS session to one hub before it starts (a clone must resume from the hub it began with).</summary>
    public static async Task<NatsRemote> OpenAsync(FossilUrl url, bool chooseHub, CancellationToken cancellationToken)
    {
        if (url.Endpoint.Scheme != Scheme) return new NatsRemote(new HttpTransport(url.Endpoint), null);
        var connection = await ConnectAsync(ServerOf(url.Endpoint));
        try
        {
            var transport = new NatsTransport(connection, url.Endpoint.AbsolutePath.Trim('/'));
            if (chooseHub) await transport.ChooseHubAsync(cancellationToken);
            return new NatsRemote(transport, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection to a NATS server; a server that cannot be reached is a one-line failure.</summary>
    public static async Task<NatsConnection> ConnectAsync(string server)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = server, Name = "fossilsync" });
        try
        {
            await connection.ConnectAsync();
            return connection;
        }
        catch (NatsException ex)
        {
            await connection.DisposeAsync();
            throw new CommandFailedException($"cannot reach the NATS server at {server}: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            await connection.DisposeAsync();
            throw new CommandFailedException($"'{server}' is not a NATS server URL: {ex.Message}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        (Transport as IDisposable)?.Dispose();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
