using System.Globalization;
using FossilSync.Sync;

namespace FossilSync.Cli;

/// <summary>
/// A one-line progress bar on a terminal: rounds, artifacts and bytes received, redrawn in
/// place. The total is not known in advance (the server pages as it likes), so the bar shows
/// activity, not a percentage. It is drawn only when both standard output and standard error
/// are a terminal: with either redirected (a log, a pipe, a script) the bar's carriage returns
/// would only litter it, so it gets the summary line alone.
/// </summary>
internal sealed class ProgressBar(TextWriter stderr, string verb) : IProgress<SyncProgress>
{
    private const int Width = 20;
    private readonly bool _isTerminal = ReferenceEquals(stderr, Console.Error) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private int _frame;

    public void Report(SyncProgress value)
    {
        if (!_isTerminal) return;
        lock (_lock)
        {
            // A block that sweeps back and forth, one step per report.
            int span = Width - 4, step = _frame++ % (2 * span), at = step < span ? step : 2 * span - step;
            string bar = new string(' ', at) + "####" + new string(' ', Width - 4 - at);
            stderr.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{verb} [{bar}] round {value.Round}, {value.ArtifactsReceived:N0} artifacts, {value.BytesReceived / 1048576.0:F1} MiB "));
        }
    }

    /// <summary>Ends the bar's line, if one was drawn.</summary>
    public void Finish()
    {
        if (_isTerminal && _frame > 0) stderr.WriteLine();
    }
}
