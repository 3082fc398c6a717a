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

    /// <summary>Appended to a clone's target path to name the file the clone is built in until it is whole.</summary>
    public const string PartialCloneSuffix = ".fossilsync-partial";

    /// <summary>
    /// Creates <paramref name="path"/> with a full copy of the remote repository, crosslinked so
    /// that stock fossil's timeline works on it.
    /// </summary>
    /// <remarks>
    /// The clone is built in <c>path</c> + <see cref="PartialCloneSuffix"/> and renamed to
    /// <paramref name="path"/> only when it is complete (transfer, final pass, file closed), so
    /// <paramref name="path"/> never holds half a clone. On failure or cancellation the partial
    /// file is deleted, unless <see cref="CloneOptions.Resume"/> allows resuming, the clone was
    /// interrupted (network, cancellation; not refused or broken by the server) and it got far
    /// enough to be worth continuing: then the next clone to the same path from the same URL
    /// and project goes on from the last stored round.
    /// </remarks>
    /// <returns>The opened clone (the caller disposes it) and what the clone did (this run only, when resumed).</returns>
    /// <exception cref="SyncProtocolException">The server refused or broke the protocol.</exception>
    /// <exception cref="TransportException">The server could not be reached.</exception>
    /// <exception cref="RepositoryException"><paramref name="path"/> already exists, or <see cref="CloneResume.Required"/> found nothing to resume.</exception>
    public static async Task<(Repository Repository, CloneResult Result)> CloneAsync(
        ITransport transport, string path, CloneOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(path);
        options ??= new CloneOptions();
        var repositoryOptions = options.Repository with { InitialCheckIn = false, AdminUser = options.User ?? options.Repository.AdminUser };
        string target = System.IO.Path.GetFullPath(path);
        if (File.Exists(target)) throw new RepositoryException($"{target} already exists.");
        string partial = PartialClone.PathFor(target);
        string source = transport.Endpoint?.AbsoluteUri ?? "";

        var (repository, resumeFrom) = OpenPartial(partial, source, repositoryOptions, options.Resume);
        try
        {
            CloneResult result;
            try
            {
                result = await new CloneSession(repository, transport, options, source, resumeFrom).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PartialCloneMismatchException)
            {
                // The URL now serves another project: what was fetched before is of no use.
                repository.Dispose();
                PartialClone.Delete(partial);
                repository = Repository.Create(partial, repositoryOptions);
                result = await new CloneSession(repository, transport, options, source).RunAsync(cancellationToken).ConfigureAwait(false);
            }
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
                result = result with
                {
                    Rounds = result.Rounds + uv.Rounds,
                    Messages = [.. result.Messages, .. uv.Messages],
                    UnversionedReceived = uv.UnversionedReceived,
                    GimmesSent = uv.GimmesSent,
                    Errors = [.. result.Errors, .. uv.Errors],
                };
            }
            cancellationToken.ThrowIfCancellationRequested();
            // Closed first: the file is whole (checkpointed, no journal) when it takes the target's name.
            repository.Dispose();
            MoveIntoPlace(partial, target);
            return (Repository.Open(target, repositoryOptions), result);
        }
        catch (Exception failure)
        {
            bool keep = options.Resume != CloneResume.Never && !IsServersFault(failure) && IsResumable(repository);
            repository.Dispose();
            if (!keep) PartialClone.Delete(partial);
            throw;
        }
    }

    // The partial file to go on with, or a new one.
    private static (Repository Repository, ResumePoint? ResumeFrom) OpenPartial(string partial, string source, RepositoryOptions repositoryOptions, CloneResume resume)
    {
        if (File.Exists(partial) && resume != CloneResume.Never)
        {
            Repository? found = null;
            try
            {
                found = Repository.Open(partial, repositoryOptions);
                if (PartialClone.Read(found) is { } point && point.Source == source) return (found, point);
            }
            catch (FossilSyncException)
            {
                // Not a repository any more (cut short while being created): start over.
            }
            found?.Dispose();
        }
        if (resume == CloneResume.Required) throw new RepositoryException($"there is no partial clone of {source} at {partial} to resume.");
        PartialClone.Delete(partial);
        return (Repository.Create(partial, repositoryOptions), null);
    }

    // A server that refused, broke the protocol or sent damage would do so again: nothing is kept
    // for it. An interrupted clone (network, cancellation, local trouble) is worth continuing.
    private static bool IsServersFault(Exception failure) =>
        failure is SyncProtocolException or FossilSync.Primitives.CorruptContentException or FossilSync.Xfer.XferFormatException;

    private static bool IsResumable(Repository repository)
    {
        try
        {
            return PartialClone.Read(repository) is not null;
        }
        catch (Exception ex) when (ex is FossilSyncException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void MoveIntoPlace(string partial, string target)
    {
        try
        {
            File.Move(partial, target, overwrite: false);
        }
        catch (IOException ex)
        {
            throw new RepositoryException($"the clone is complete in {partial} but cannot become {target}: {ex.Message}", ex);
        }
    }
}
