namespace FossilSync.Fuzz;

/// <summary>
/// Shrinks a failing input while it keeps failing with the same exception type: removes
/// chunks, halving their size down to single bytes, then simplifies bytes to '0'.
/// </summary>
internal static class Minimizer
{
    public static byte[] Minimize(string target, byte[] input)
    {
        Type? failure = FailureOf(target, input) ?? throw new ArgumentException("the input does not fail", nameof(input));
        for (int chunk = Math.Max(1, input.Length / 2); chunk >= 1; chunk /= 2)
        {
            for (int at = 0; at + chunk <= input.Length;)
            {
                byte[] shorter = [.. input[..at], .. input[(at + chunk)..]];
                if (FailureOf(target, shorter) == failure) input = shorter;
                else at += chunk;
            }
        }
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] == '0') continue;
            byte[] simpler = (byte[])input.Clone();
            simpler[i] = (byte)'0';
            if (FailureOf(target, simpler) == failure) input = simpler;
        }
        return input;
    }

    private static Type? FailureOf(string target, byte[] input)
    {
        try
        {
            FuzzTargets.Run(target, input);
            return null;
        }
        catch (Exception ex)
        {
            return ex.GetType();
        }
    }
}
