using FossilSync.Repo;
using FossilSync.Repo.Crosslink;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo.Crosslink;

public sealed class PinLadderTests
{
    [Fact]
    public void Pins_are_close_near_the_walk_and_far_apart_above_it()
    {
        using var dir = new TempDirectory();
        using var repo = Repository.Create(dir.File("r.fossil"));
        var ladder = new PinLadder(repo.Content);
        const int Deepest = 3 * PinLadder.Far + PinLadder.Near;
        for (int depth = 1; depth <= Deepest; depth++)
        {
            if (PinLadder.Wants(depth)) ladder.Add(depth, depth, [(byte)depth]);
        }

        for (int depth = PinLadder.Near; depth <= Deepest; depth += PinLadder.Near)
        {
            bool kept = Deepest - depth <= PinLadder.Far || depth % PinLadder.Far == 0;
            repo.Content.TryGetKept(depth, out _).Should().Be(kept, $"depth {depth}");
        }
        ladder.Count.Should().Be(PinLadder.Far / PinLadder.Near + 1 + 2);
        PinLadder.Wants(PinLadder.Near + 1).Should().BeFalse();
    }

    [Fact]
    public void Going_back_up_the_path_unpins_what_is_off_it()
    {
        using var dir = new TempDirectory();
        using var repo = Repository.Create(dir.File("r.fossil"));
        var ladder = new PinLadder(repo.Content);
        ladder.Add(1, PinLadder.Near, [1]);
        ladder.Add(2, 2 * PinLadder.Near, [2]);
        ladder.Add(3, 3 * PinLadder.Near, [3]);

        ladder.LeaveFrom(2 * PinLadder.Near);

        repo.Content.TryGetKept(1, out var kept).Should().BeTrue();
        kept.Should().Equal(1);
        repo.Content.TryGetKept(2, out _).Should().BeFalse();
        repo.Content.TryGetKept(3, out _).Should().BeFalse();
        ladder.Clear();
        repo.Content.TryGetKept(1, out _).Should().BeFalse();
        ladder.Count.Should().Be(0);
    }
}
