using System.CommandLine;
using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary><c>fossilsync new REPO</c>: creates an empty repository stock fossil can open.</summary>
internal static class NewCommand
{
    public static Command Create(CliOutput output)
    {
        var repositoryArgument = CliArguments.NewRepository("the repository file to create (its folder must exist)", mustNotExist: true);
        var command = new CliCommand("new", "Create an empty repository that stock fossil can open.",
            "fossilsync new project.fossil")
        {
            repositoryArgument,
        };
        command.SetAction(parsed =>
        {
            using var repository = Repository.Create(parsed.GetRequiredValue(repositoryArgument));
            // As stock's `fossil new`: the setup user gets a password that is shown once, so the
            // repository can be served for pushes at once.
            var admin = repository.Users.List().First(user => !RepositoryUsers.BuiltIn.Contains(user.Login) && user.Capabilities.Contains('s'));
            string password = UserCommand.RandomPassword();
            repository.Users.SetPassword(admin.Login, password);
            output.Out.WriteLine($"project-id: {repository.ProjectCode}");
            output.Out.WriteLine($"server-id:  {repository.ServerCode}");
            output.Out.WriteLine($"repository: {repository.Path}");
            output.Out.WriteLine($"admin-user: {admin.Login} (initial password is \"{password}\")");
            return ExitCodes.Success;
        });
        return command;
    }
}
