using FossilSync.Fuzz;

// Commands (see README.md):
//   libfuzzer TARGET                 serve inputs from the libFuzzer bridge (fuzz.sh starts it)
//   seeds TARGET DIR                 write the seed corpus
//   mutate TARGET EXECUTIONS [SEED]  seeded mutation run without coverage feedback
//   repro TARGET FILE...             run saved inputs and say what each does
//   minimize TARGET FILE             shrink a failing input (writes FILE.min)
if (args.Length < 2 || !FuzzTargets.Names.Contains(args[1]))
{
    Console.Error.WriteLine($"usage: FossilSync.Fuzz libfuzzer|seeds|mutate|repro|minimize TARGET ...; TARGET is one of {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}
string target = args[1];
switch (args[0])
{
    case "libfuzzer":
        SharpFuzz.Fuzzer.LibFuzzer.Run(input => FuzzTargets.Run(target, input));
        return 0;
    case "seeds":
    {
        Directory.CreateDirectory(args[2]);
        var seeds = SeedCorpus.FromCaptures(SeedCorpus.DefaultCapturesDirectory).For(target);
        for (int i = 0; i < seeds.Count; i++) File.WriteAllBytes(Path.Combine(args[2], $"seed-{i:D3}"), seeds[i]);
        Console.WriteLine($"{seeds.Count} seeds for {target} in {args[2]}");
        return 0;
    }
    case "mutate":
    {
        long executions = long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        int seed = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var run = MutationRun.Execute(target, SeedCorpus.DefaultCapturesDirectory, executions, TimeSpan.MaxValue, seed);
        Console.WriteLine($"{target}: {run.Executions} executions in {run.Elapsed.TotalSeconds:F1} s ({run.Executions / run.Elapsed.TotalSeconds:F0}/s), slowest input {run.Slowest.TotalMilliseconds:F1} ms");
        if (run.FailingInput is null) return 0;
        string path = $"mutate-{target}-{seed}-failure.bin";
        File.WriteAllBytes(path, run.FailingInput);
        Console.WriteLine($"FAILURE ({path}): {run.Failure}");
        return 1;
    }
    case "repro":
        foreach (string file in args[2..])
        {
            try
            {
                FuzzTargets.Run(target, File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok");
            }
            catch (Exception ex)
            {
                Console.WriteLine($"{file}: {ex}");
            }
        }
        return 0;
    case "minimize":
    {
        byte[] minimal = Minimizer.Minimize(target, File.ReadAllBytes(args[2]));
        File.WriteAllBytes(args[2] + ".min", minimal);
        Console.WriteLine($"{minimal.Length} bytes: {Convert.ToHexString(minimal)}");
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
