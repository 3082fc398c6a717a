using System.Security.Cryptography;
using System.Text;
using FossilSync.Repo.Artifacts;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Artifacts;

public sealed class ArtifactParserTests(StockArtifactsFixture stock) : IClassFixture<StockArtifactsFixture>
{
    [Fact]
    public void Every_stock_artifact_gets_the_type_stock_fossil_crosslinked_it_as()
    {
        stock.EventTypes.Should().NotBeEmpty();
        foreach (var artifact in stock.Artifacts)
        {
            var parsed = ArtifactParser.Parse(artifact.Content);
            string because = $"rid {artifact.Rid} ({artifact.Hash}) is {(stock.EventTypes.TryGetValue(artifact.Rid, out var t) ? "event " + t : "plain content")}";
            if (stock.Attachments.Contains(artifact.Rid))
            {
                parsed!.Type.Should().Be(ArtifactType.Attachment, because);
                continue;
            }
            ArtifactType? expected = stock.EventTypes.GetValueOrDefault(artifact.Rid) switch
            {
                "ci" => ArtifactType.CheckIn,
                "g" => ArtifactType.Control,
                "w" => ArtifactType.Wiki,
                "t" => ArtifactType.Ticket,
                "e" => ArtifactType.TechNote,
                _ => null,
            };
            if (expected is null)
            {
                // Not in the event table: ordinary file content here (no clusters in this repo).
                parsed.Should().BeNull(because);
            }
            else
            {
                parsed.Should().NotBeNull(because);
                parsed!.Type.Should().Be(expected.Value, because);
            }
        }
    }

    [Fact]
    public void A_merge_check_in_exposes_its_cards_unescaped()
    {
        var merge = stock.Artifacts
            .Select(a => ArtifactParser.Parse(a.Content))
            .Single(a => a is { Type: ArtifactType.CheckIn, Comment: "merge feature" })!;
        merge.Parents.Should().HaveCount(2);
        merge.User.Should().Be("fossilsync-test");
        merge.Files.Select(f => f.Name).Should().Equal("a.txt", "renamed.txt");
        merge.RepositoryChecksum.Should().HaveLength(32);
        var renamed = stock.Artifacts.Select(a => ArtifactParser.Parse(a.Content)).Single(a => a is { Comment: "rename and delete\twith a tab" })!;
        renamed.Files.Single(f => f.Name == "renamed.txt").PriorName.Should().Be("b file.txt");
        var first = stock.Artifacts.Select(a => ArtifactParser.Parse(a.Content)).Single(a => a is { Comment: "first commit" })!;
        first.Files.Single(f => f.Name == "tool.sh").IsExecutable.Should().BeFalse();
        first.Files.Select(f => f.Name).Should().Equal("a.txt", "b file.txt", "tool.sh");
    }

    [Fact]
    public void Parser_agrees_with_stock_fossil_on_every_stock_artifact()
    {
        foreach (var artifact in stock.Artifacts)
        {
            AssertSameVerdict(artifact.Content, $"rid {artifact.Rid}");
        }
    }

    [Fact]
    public void Parser_agrees_with_stock_fossil_on_hand_made_clusters_and_forum_posts()
    {
        string h1 = new('a', 64), h2 = new('b', 64);
        AssertSameVerdict(WithZ($"M {h1}\nM {h2}\n"), "cluster");
        AssertSameVerdict(WithZ($"M {h2}\nM {h1}\n"), "cluster out of order");
        AssertSameVerdict(WithZ($"D 2024-01-01T00:00:00\nH Thread\\stitle\nN text/x-markdown\nU bob\nW 5\nhello\n"), "forum root");
        AssertSameVerdict(WithZ($"D 2024-01-01T00:00:00\nG {h1}\nI {h2}\nP {h2}\nU bob\nW 2\nhi\n"), "forum reply");
        AssertSameVerdict(WithZ($"D 2024-01-01T00:00:00\nH t\nI {h2}\nU bob\nW 2\nhi\n"), "forum with H and I");
        AssertSameVerdict(WithZ("D 2024-01-01T00:00:00\nT +closed\\sbranch * x\nU bob\n"), "control tagging itself");
        AssertSameVerdict(WithZ($"D 2024-01-01T00:00:00\nT +deadbeef {h1}\nU bob\n"), "hex-looking tag name");
        ArtifactParser.Parse(Encoding.ASCII.GetBytes(WithZ($"M {h1}\nM {h2}\n")))!.ClusterMembers.Should().Equal(h1, h2);
    }

    [Fact]
    public void A_Q_card_with_an_empty_target_is_rejected_as_stock_fossil_rejects_it()
    {
        // Found while writing the artifact fuzz target (tests/FossilSync.Fuzz): two spaces after "Q" make
        // an empty first token, which the parser indexed without a length check.
        string h1 = new('a', 64);
        string text = WithZ($"C x\nD 2024-01-01T00:00:00\nQ  {h1}\nU bob\n");
        ArtifactParser.TryParse(Encoding.ASCII.GetBytes(text), out _, out string? error).Should().BeFalse();
        error.Should().Contain("Q-card does not begin with '+' or '-'");
        ArtifactParser.ParseDeferringZCard(Encoding.ASCII.GetBytes("Q  \nZ 0123456789abcdef0123456789abcdef\n")).Should().BeNull();
        AssertSameVerdict(text, "Q card with an empty target");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parser_agrees_with_stock_fossil_on_mutated_artifacts(int seed)
    {
        var random = new Random(seed);
        var structural = stock.Artifacts.Where(a => ArtifactParser.Parse(a.Content) is not null).ToList();
        for (int i = 0; i < 40; i++)
        {
            var source = structural[random.Next(structural.Count)];
            string text = StripZ(Encoding.Latin1.GetString(source.Content));
            string mutated = Mutate(text, random);
            // Recompute the Z card so that mutations reach the rules behind the checksum.
            string candidate = random.Next(4) == 0 ? mutated : WithZ(mutated);
            AssertSameVerdict(Encoding.Latin1.GetBytes(candidate), $"seed {seed} case {i}: mutation of rid {source.Rid}:\n{candidate}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("no newline")]
    [InlineData("short\n")]
    [InlineData("x lowercase first card\n")]
    public void Plain_content_is_never_an_artifact(string text) =>
        ArtifactParser.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error).Should().BeFalse(error);

    private void AssertSameVerdict(string text, string because) => AssertSameVerdict(Encoding.Latin1.GetBytes(text), because);

    private void AssertSameVerdict(byte[] content, string because)
    {
        string file = Path.Combine(stock.Scratch, "candidate.txt");
        File.WriteAllBytes(file, content);
        string report = StockFossil.Run(stock.Scratch, "test-parse-manifest", file).Stdout;
        bool stockAccepts = report.Contains("manifest_parse() worked");
        bool stockRejects = report.Contains("ERROR:");
        (stockAccepts ^ stockRejects).Should().BeTrue($"stock gave a clear verdict for {because}: {report}");
        bool ours = ArtifactParser.TryParse(content, out _, out var error);
        ours.Should().Be(stockAccepts, $"{because}\nstock said: {report}\nwe said: {error ?? "ok"}");
    }

    [Fact]
    public void An_F_card_seen_before_is_still_checked_in_its_new_manifest()
    {
        string a = "F a.txt " + new string('1', 64) + "\n";
        string b = "F b.txt " + new string('2', 64) + "\n";
        string Manifest(string files) => WithZ("C c\nD 2024-01-01T00:00:00\n" + files + "U u\n");
        // One session, as a crosslink's: its caches carry lines from one parse to the next.
        var session = new ParseSession();

        ArtifactParser.Parse(Encoding.ASCII.GetBytes(Manifest(a + b)), session).Should().NotBeNull("in order");
        ArtifactParser.Parse(Encoding.ASCII.GetBytes(Manifest(a + b)), session)!.Files.Select(f => f.Name).Should().Equal("a.txt", "b.txt");
        ArtifactParser.TryParse(Encoding.ASCII.GetBytes(Manifest(b + a)), out _, out string? error, session).Should().BeFalse("the same lines, out of order");
        error.Should().Contain("sort order");
        string extra = "F c.txt " + new string('3', 64) + " x old.txt extra\n";
        ArtifactParser.Parse(Encoding.ASCII.GetBytes(Manifest(a + extra)), session).Should().BeNull("a token too many");
        ArtifactParser.Parse(Encoding.ASCII.GetBytes(Manifest(a + extra)), session).Should().BeNull("and again, now that its prefix was parsed once");
    }

    [Fact]
    public void Manifests_parsed_one_after_another_read_as_they_would_alone()
    {
        // Each parse follows the lines of the one before; edits, deletions, insertions and
        // swaps must still give exactly a fresh parse's verdict and files.
        var random = new Random(7);
        var session = new ParseSession();
        var files = Enumerable.Range(0, 40).Select(i => ($"dir/f{i:D3}.txt", new string((char)('a' + i % 6), 40))).ToList();
        string Manifest(IEnumerable<(string Name, string Hash)> list) =>
            WithZ("C c\nD 2024-01-01T00:00:00\n" + string.Concat(list.Select(f => $"F {f.Name} {f.Hash}\n")) + "U u\n");
        for (int round = 0; round < 200; round++)
        {
            int at = random.Next(files.Count);
            switch (random.Next(4))
            {
                case 0: files[at] = (files[at].Item1, new string((char)('0' + random.Next(10)), 40)); break;
                case 1: if (files.Count > 2) files.RemoveAt(at); break;
                case 2: if (!files.Any(f => f.Item1 == files[at].Item1 + "x")) files.Insert(at + 1, (files[at].Item1 + "x", new string('9', 40))); break;
            }
            var list = files.ToList();
            bool swap = random.Next(5) == 0 && list.Count > 3;
            if (swap) (list[at % (list.Count - 1)], list[at % (list.Count - 1) + 1]) = (list[at % (list.Count - 1) + 1], list[at % (list.Count - 1)]);
            byte[] text = Encoding.ASCII.GetBytes(Manifest(list));
            bool ok = ArtifactParser.TryParse(text, out var artifact, out string? error, session);
            if (swap)
            {
                ok.Should().BeFalse($"round {round}: two files swapped");
                error.Should().Contain("sort order");
                continue;
            }
            ok.Should().BeTrue($"round {round}: {error}");
            artifact!.Files.Select(f => (f.Name, f.Hash!)).Should().Equal(list, $"round {round}");
        }
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int at = random.Next(Math.Max(1, lines.Count - 1));
        switch (random.Next(8))
        {
            case 0: lines.RemoveAt(at); break;                                        // drop a card
            case 1: lines.Insert(at, lines[at]); break;                               // duplicate a card
            case 2: (lines[0], lines[at]) = (lines[at], lines[0]); break;             // reorder
            case 3: lines[at] += " extra"; break;                                     // extra token
            case 4: lines[at] = lines[at].Replace(' ', random.Next(2) == 0 ? '\t' : ' '); lines[at] = " " + lines[at]; break;
            case 5: if (lines[at].Length > 2) lines[at] = lines[at][..^1]; break;    // shorten a token
            case 6: lines[at] = lines[at].ToUpperInvariant(); break;                  // uppercase hashes and letters
            default:
                char[] chars = lines[at].ToCharArray();
                if (chars.Length > 0) chars[random.Next(chars.Length)] = "aZ0 \\-+*/.F"[random.Next(11)];
                lines[at] = new string(chars);
                break;
        }
        return string.Join('\n', lines);
    }

    private static string StripZ(string text)
    {
        int z = text.LastIndexOf("\nZ ", StringComparison.Ordinal);
        return z >= 0 ? text[..(z + 1)] : text;
    }

    private static string WithZ(string body)
    {
        string md5 = Convert.ToHexStringLower(MD5.HashData(Encoding.Latin1.GetBytes(body)));
        return body + "Z " + md5 + "\n";
    }

    [Fact]
    public void Parser_caches_belong_to_a_session_and_no_type_keeps_one_per_thread()
    {
        string line = "F same.txt " + new string('4', 64) + "\n";
        byte[] first = Encoding.ASCII.GetBytes(WithZ("C one\nD 2024-01-01T00:00:00\n" + line + "U u\n"));
        byte[] second = Encoding.ASCII.GetBytes(WithZ("C two\nD 2024-01-02T00:00:00\n" + line + "U u\n"));
        var session = new ParseSession();
        var kept = ArtifactParser.Parse(first, session)!.Files[0];
        ArtifactParser.Parse(second, session)!.Files[0].Should().BeSameAs(kept, "a session reuses the parse of a line it has seen");
        ArtifactParser.Parse(second, new ParseSession())!.Files[0].Should().NotBeSameAs(kept, "another session starts empty");
        ArtifactParser.Parse(second)!.Files[0].Should().NotBeSameAs(ArtifactParser.Parse(second)!.Files[0], "a parse on its own keeps nothing");

        var perThread = typeof(ArtifactParser).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(f => f.IsDefined(typeof(ThreadStaticAttribute), inherit: false))
            .Select(f => $"{f.DeclaringType!.Name}.{f.Name}");
        perThread.Should().BeEmpty("a long-running server would keep one copy per pool thread");
    }
}
