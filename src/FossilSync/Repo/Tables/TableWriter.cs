namespace FossilSync.Repo.Tables;

/// <summary>
/// Who writes a row that a peer sent, as the receiving server knows them: the login user and
/// what the user may do. A client takes its server's rows as they come (no writer).
/// </summary>
/// <param name="User">The login user; null for nobody.</param>
/// <param name="MayWrite">The user has write capability (<c>i</c>).</param>
/// <param name="IsAdmin">The user has admin capability (<c>a</c> or <c>s</c>): may define tables and relay anyone's rows.</param>
internal sealed record TableWriter(string? User, bool MayWrite, bool IsAdmin);
