using System.Text;
using FossilSync.Repo;
using FossilSync.Tests.Infrastructure;

namespace FossilSync.Tests.Repo;

public sealed class ConfigurationTransferTests
{
    private static bool Receive(Repository repository, string card, string record, ConfigGroups accepted = ConfigGroups.All) =>
        ConfigurationTransfer.Receive(repository, card, Encoding.UTF8.GetBytes(record), accepted);

    [Fact]
    public void A_newer_row_replaces_an_older_one_and_an_older_row_changes_nothing()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        Receive(repository, "/config", "100 'project-name' value 'First name'").Should().BeTrue();
        Receive(repository, "/config", "300 'project-name' value 'Newest name'").Should().BeTrue();
        Receive(repository, "/config", "200 'project-name' value 'Older name'").Should().BeTrue();
        repository.GetConfig("project-name").Should().Be("Newest name");
    }

    [Theory]
    [InlineData("/config", "100 'project-name' value abc;DROP")]            // not a literal
    [InlineData("/config", "100 'project-name' value 'unterminated")]      // not a literal
    [InlineData("/config", "soon 'project-name' value 'x'")]              // mtime not an integer
    [InlineData("/config", "100 'project-code' value 'a-new-identity'")]  // not a transferable setting
    [InlineData("/blob", "100 'x' value 'y'")]                            // not a table stock transfers
    public void Unsafe_or_unknown_records_are_dropped_without_a_change(string card, string record)
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        string projectCode = repository.ProjectCode;
        Receive(repository, card, record).Should().BeFalse();
        repository.GetConfig("project-name").Should().BeNull();
        repository.ProjectCode.Should().Be(projectCode);
    }

    [Fact]
    public void Unknown_columns_are_skipped_and_groups_not_accepted_are_ignored()
    {
        using var dir = new TempDirectory();
        using var repository = Repository.Create(dir.File("r.fossil"));
        Receive(repository, "/user", "100 'mallory' cap 'o' uid 1 info 'reader'").Should().BeTrue();
        repository.Scalar<string>("SELECT cap || ':' || info FROM user WHERE login='mallory'").Should().Be("o:reader");
        Receive(repository, "/user", "100 'eve' cap 's'", ConfigGroups.Project).Should().BeFalse();
        repository.Scalar<long>("SELECT count(*) FROM user WHERE login='eve'").Should().Be(0);
    }

    [Fact]
    public void What_is_sent_is_what_is_received()
    {
        using var dir = new TempDirectory();
        using var source = Repository.Create(dir.File("a.fossil"));
        using var target = Repository.Create(dir.File("b.fossil"));
        source.Execute("REPLACE INTO config(name, value, mtime) VALUES('project-name', 'It''s ours', 5)");
        source.Execute("INSERT INTO shun(uuid, mtime, scom) VALUES('0123456789abcdef0123456789abcdef01234567', 6, 'with spaces and ''quotes''')");
        foreach (var (card, record) in ConfigurationTransfer.Send(source, ConfigGroups.Project | ConfigGroups.Shun))
        {
            ConfigurationTransfer.Receive(target, card, record, ConfigGroups.All).Should().BeTrue(Encoding.UTF8.GetString(record));
        }
        target.GetConfig("project-name").Should().Be("It's ours");
        target.Scalar<string>("SELECT scom FROM shun").Should().Be("with spaces and 'quotes'");
        ConfigurationTransfer.Permitted(ConfigGroups.All, admin: false, readAddresses: false)
            .Should().NotHaveFlag(ConfigGroups.User).And.NotHaveFlag(ConfigGroups.Address).And.HaveFlag(ConfigGroups.Skin);
    }
}
