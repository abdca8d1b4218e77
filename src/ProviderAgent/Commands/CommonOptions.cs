using System.CommandLine;

namespace ProviderAgent.Commands;

internal static class CommonOptions
{
    public static readonly Option<string> DataDir = new("--data-dir")
    {
        Description = $"Agent data directory (images, containers, state.db). Default: ${AgentPaths.EnvironmentVariable} or {AgentPaths.DefaultDataDirectory}",
        Recursive = true,
        DefaultValueFactory = _ => AgentPaths.DefaultDirectory(),
    };

    public static AgentPaths Paths(ParseResult result) => new(Path.GetFullPath(result.GetValue(DataDir)!));

    /// <summary>Prints a one-line error for the failures a user can fix, instead of a stack trace.</summary>
    public static async Task<int> Guarded(Func<Task<int>> action)
    {
        try { return await action(); }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException
            or Images.ImageImportException or Runtime.ContainerRuntimeException or InvalidOperationException
            or Market.Chain.ChainException or HttpRequestException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
