using FossilSync.Repo;

namespace FossilSync.Sync;

/// <summary>Clones and syncs Fossil repositories with any peer an <see cref="ITransport"/> reaches.</summary>
public static class FossilClient
{
    /// <summary>
    /// Brings <paramref name="repository"/> and the server to the same set of artifacts (pull,
    /// push, or both), round after round until nothing is left to exchange.
    /// </summary>
    /// <exception cref="SyncProtocolException">The server refused (wrong password, no permission…) or broke the protocol.</exception>
    /// <exception cref="TransportException">The server could not be reached.</exception>
    public static Task<SyncResult> SyncAsync(Repository repository, ITransport transport, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(transport);
        return new SyncSession(repository, transport, options ?? new SyncOptions()).RunAsync(cancellationToken);
    }

    /// <summary>
    /// Creates <paramref name="path"/> and fills it with a full copy of the remote repository,
    /// crosslinked so that stock fossil's timeline works on it. On failure or cancellation the
    /// partial file is deleted.
    /// </summary>
    /// <returns>The opened clone (the caller disposes it) and what the clone did.</returns>
    /// <exception cref="SyncProtocolException">The server refused or broke the protocol.</exception>
    /// <exception cref="TransportException">The server could not be reached.</exception>
    /// <exception cref="RepositoryException"><paramref name="path"/> already exists.</exception>
    public static async Task<(Repository Repository, CloneResult Result)> CloneAsync(
        ITransport transport, string path, CloneOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new CloneOptions();
        var repositoryOptions = options.Repository with { InitialCheckIn = false, AdminUser = options.User ?? options.Repository.AdminUser };
        var repository = Repository.Create(path, repositoryOptions);
        try
        {
            var result = await new CloneSession(repository, transport, options).RunAsync(cancellationToken).ConfigureAwait(false);
            if (options.Unversioned)
            {
                // Stock asks for the catalogue in the clone's later rounds; a pull of the
                // unversioned files right after the clone ends in the same place.
                var uv = await SyncAsync(repository, transport, new SyncOptions
                {
                    Push = false,
                    Unversioned = true,
                    User = options.User,
                    Password = options.Password,
                    Observer = options.Observer,
                    Random = options.Repository.Random,
                }, cancellationToken).ConfigureAwait(false);
                result = result with { Rounds = result.Rounds + uv.Rounds, Messages = [.. result.Messages, .. uv.Messages] };
            }
            return (repository, result);
        }
        catch
        {
            string file = repository.Path;
            repository.Dispose();
            foreach (string leftover in (ReadOnlySpan<string>)[file, file + "-journal", file + "-wal", file + "-shm"])
            {
                try { File.Delete(leftover); }
                catch (IOException) { }
            }
            throw;
        }
    }
}
