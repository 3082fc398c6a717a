using FossilSync.EndToEnd;

return await EndToEndCommand.RunAsync(args);
