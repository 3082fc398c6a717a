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
            output.Out.WriteLine($"project-id: {repository.ProjectCode}");
            output.Out.WriteLine($"server-id:  {repository.ServerCode}");
            output.Out.WriteLine($"repository: {repository.Path}");
            return ExitCodes.Success;
        });
        return command;
    }
}
