using System.Text;

namespace Market.Cli.Cli;

/// <summary>A terminal prompt that never echoes what is typed (passphrases).</summary>
internal static class SecretPrompt
{
    public static string Read(string prompt)
    {
        Console.Error.Write(prompt);
        var s = new StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter) break;
            if (k.Key == ConsoleKey.Backspace) { if (s.Length > 0) s.Length--; continue; }
            if (!char.IsControl(k.KeyChar)) s.Append(k.KeyChar);
        }
        Console.Error.WriteLine();
        return s.ToString();
    }
}
