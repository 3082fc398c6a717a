using CloneConsole;

return await CloneCommand.RunAsync(args, Console.Out, CancellationToken.None);
