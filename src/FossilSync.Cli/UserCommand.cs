using System.CommandLine;
using System.Security.Cryptography;
using FossilSync.Repo;

namespace FossilSync.Cli;

/// <summary>
/// <c>fossilsync user new|password|capabilities|list</c>: the repository's users, as stock's
/// <c>fossil user</c> manages them, so a repository made here can be served for pushes without
/// stock fossil at hand.
/// </summary>
internal static class UserCommand
{
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static Command Create(CliOutput output)
    {
        var command = new Command("user", "Manage the users who may log in to sync, and their capabilities.")
        {
            New(output),
            Password(output),
            Capabilities(output),
            List(output),
        };
        return command;
    }

    private static Command New(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var login = Login();
        var password = PasswordOption("the new user's password (default: a random one, printed)");
        var capabilities = new Option<string>("--capabilities", "-c") { Description = "capability letters, as stock's (e.g. oi: pull and push; s: setup)", HelpName = "CAPS", DefaultValueFactory = _ => "" };
        var contact = new Option<string>("--contact") { Description = "contact information shown to admins", HelpName = "TEXT", DefaultValueFactory = _ => "" };
        var command = new CliCommand("new", "Add a user who can log in to sync.",
            "fossilsync user new project.fossil alice --capabilities oi",
            "fossilsync user new project.fossil bob --password s3cret -c o")
        {
            repository, login, password, capabilities, contact,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            string name = parsed.GetRequiredValue(login);
            string? given = parsed.GetValue(password);
            string secret = given ?? RandomPassword();
            var user = repo.Users.Create(name, secret, parsed.GetValue(capabilities) ?? "", parsed.GetValue(contact) ?? "");
            output.Out.WriteLine($"user {user.Login} created with capabilities '{user.Capabilities}'");
            if (given is null) output.Out.WriteLine($"password: {secret}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Password(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var login = Login();
        var password = PasswordOption("the new password (default: a random one, printed)");
        var command = new CliCommand("password", "Give a user a new password.",
            "fossilsync user password project.fossil alice --password n3w-secret",
            "fossilsync user password project.fossil root")
        {
            repository, login, password,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            string? given = parsed.GetValue(password);
            string secret = given ?? RandomPassword();
            repo.Users.SetPassword(parsed.GetRequiredValue(login), secret);
            output.Out.WriteLine(given is null ? $"password: {secret}" : "password changed");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Capabilities(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var login = Login();
        var capabilities = new Argument<string?>("CAPS") { Description = "the new capability letters (omit to print the current ones)", Arity = ArgumentArity.ZeroOrOne };
        var command = new CliCommand("capabilities", "Print or replace a user's capability letters.",
            "fossilsync user capabilities project.fossil alice oi",
            "fossilsync user capabilities project.fossil nobody")
        {
            repository, login, capabilities,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            string name = parsed.GetRequiredValue(login);
            if (parsed.GetValue(capabilities) is { } letters) repo.Users.SetCapabilities(name, letters);
            var user = repo.Users.Find(name) ?? throw new CommandFailedException($"no user '{name}' in {repo.Path}");
            output.Out.WriteLine(user.Capabilities);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(CliOutput output)
    {
        var repository = CliArguments.ExistingRepository("the repository");
        var command = new CliCommand("list", "List the users: login, capabilities, contact.",
            "fossilsync user list project.fossil")
        {
            repository,
        };
        command.SetAction(parsed =>
        {
            using var repo = Repository.Open(parsed.GetRequiredValue(repository));
            foreach (var user in repo.Users.List())
            {
                output.Out.WriteLine($"{user.Login,-16} {user.Capabilities,-12} {user.Contact}".TrimEnd());
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> Login() => new("LOGIN") { Description = "the user's login name" };

    private static Option<string> PasswordOption(string description) => new("--password") { Description = description, HelpName = "P" };

    /// <summary>A password for a user who was given none; printed once, as stock prints a new repository's.</summary>
    internal static string RandomPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, 16);
}
