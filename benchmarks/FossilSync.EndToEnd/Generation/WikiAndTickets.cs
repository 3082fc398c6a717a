using System.Text;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.EndToEnd.Generation;

/// <summary>
/// Adds the wiki pages and tickets of a real-shaped history (<see cref="ProjectExtras"/>) to an
/// imported repository with stock fossil's own commands (<c>fossil wiki create|commit</c>,
/// <c>fossil ticket add|change</c>), one process per change, so they are what stock makes. The
/// texts are seeded; the commands stamp the current time, so the artifacts' hashes differ from
/// one generation to the next while their number and sizes do not.
/// </summary>
internal static class WikiAndTickets
{
    private static readonly string[] Words =
    [
        "clone", "sync", "merge", "branch", "ticket", "wiki", "delta", "manifest", "cluster", "tag",
        "server", "client", "timeline", "checkout", "artifact", "repository", "hash", "login", "skin", "forum",
    ];

    private static readonly string[] Statuses = ["Open", "Fixed", "Closed", "Deferred", "Verified"];
    private static readonly string[] Types = ["Code_Defect", "Feature_Request", "Documentation", "Incident"];

    public static void Add(string repository, ProjectExtras extras, int seed, TextWriter log)
    {
        var random = new Random(seed ^ 0x71c4e7);
        string folder = Path.GetDirectoryName(repository)!;
        var pages = new List<(string Name, List<string> Paragraphs)>();
        for (int edit = 0; edit < extras.WikiEdits; edit++)
        {
            if (pages.Count < extras.WikiPages && (edit < extras.WikiPages || random.Next(4) == 0))
            {
                var created = (Name: $"{Title(random)} {pages.Count}", Paragraphs: Enumerable.Range(0, random.Next(3, 40)).Select(_ => Paragraph(random)).ToList());
                pages.Add(created);
                Wiki(folder, repository, "create", created.Name, created.Paragraphs);
                continue;
            }
            var (name, paragraphs) = pages[random.Next(pages.Count)];
            for (int hunk = random.Next(1, 4); hunk > 0; hunk--)
            {
                int at = random.Next(paragraphs.Count + 1);
                if (at < paragraphs.Count && random.Next(2) == 0) paragraphs[at] = Paragraph(random);
                else paragraphs.Insert(at, Paragraph(random));
            }
            Wiki(folder, repository, "commit", name, paragraphs);
        }

        var tickets = new List<string>();
        for (int t = 0; t < extras.Tickets; t++)
        {
            string output = StockFossil.Ok(folder, "ticket", "add", "-R", repository, "-U", BenchmarkRepositories.User, "--quote",
                "title", Quote(Sentence(random, 4, 10)),
                "type", Types[random.Next(Types.Length)],
                "status", "Open",
                "severity", $"{random.Next(1, 5)}",
                "comment", Quote(string.Join("\n\n", Enumerable.Range(0, random.Next(1, 5)).Select(_ => Paragraph(random)))));
            tickets.Add(TicketId(output));
        }
        for (int c = 0; c < extras.TicketChanges && tickets.Count > 0; c++)
        {
            StockFossil.Ok(folder, "ticket", "change", tickets[random.Next(tickets.Count)], "-R", repository, "-U", BenchmarkRepositories.User, "--quote",
                "status", Statuses[random.Next(Statuses.Length)],
                "+comment", Quote("\n\n" + Paragraph(random)));
        }
        log.WriteLine($"  {pages.Count} wiki pages ({extras.WikiEdits} versions), {tickets.Count} tickets ({extras.TicketChanges} changes) added");
    }

    private static void Wiki(string folder, string repository, string verb, string name, List<string> paragraphs)
    {
        byte[] text = Encoding.UTF8.GetBytes(string.Join("\n\n", paragraphs) + "\n");
        var result = StockFossil.RunWithInput(folder, text, "wiki", verb, name, "-R", repository, "-U", BenchmarkRepositories.User, "--mimetype", "text/x-markdown");
        if (result.ExitCode != 0) throw new InvalidOperationException($"fossil wiki {verb} '{name}' exited {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>The ticket's hash from "ticket add succeeded for HASH".</summary>
    private static string TicketId(string output)
    {
        string last = output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (last.Length < 20 || !last.All(Uri.IsHexDigit)) throw new InvalidOperationException($"fossil ticket add said: {output}");
        return last;
    }

    /// <summary>fossil's <c>--quote</c> encoding: backslash, space and newline escaped.</summary>
    private static string Quote(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(" ", "\\s", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Title(Random random) =>
        string.Concat(Sentence(random, 1, 3).Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..] + " ")).Trim();

    private static string Paragraph(Random random) =>
        string.Join(' ', Enumerable.Range(0, random.Next(1, 6)).Select(_ => Sentence(random, 6, 20) + "."));

    private static string Sentence(Random random, int min, int max) =>
        string.Join(' ', Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Words[random.Next(Words.Length)]));
}
