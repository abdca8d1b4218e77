using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Market.Cli.Text;

/// <summary>
/// Where a command's result goes: Spectre tables and plain lines for people, or — with --json —
/// exactly one JSON document for scripts. Diagnostics go to stderr, never here.
/// </summary>
internal sealed class Output(TextWriter writer, bool json, bool terminal)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public bool IsJson { get; } = json;
    public TextWriter Writer => writer;

    private IAnsiConsole Console => _console ??= Create();
    private IAnsiConsole? _console;

    private IAnsiConsole Create()
    {
        var c = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!terminal) c.Profile.Width = 200;
        return c;
    }

    public void Json(object? value)
    {
        var text = value is JsonNode n ? n.ToJsonString(JsonOptions)
            : value is JsonElement e ? JsonSerializer.Serialize(e, JsonOptions)
            : JsonSerializer.Serialize(value, JsonOptions);
        Writer.WriteLine(text);
    }

    public void Line(string text) => Writer.WriteLine(text);

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows, string? title = null)
    {
        var t = new Table().Border(TableBorder.Rounded);
        if (title is not null) t.Title(Markup.Escape(title));
        foreach (var h in headers) t.AddColumn(Markup.Escape(h));
        foreach (var r in rows) t.AddRow(r.Select(c => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(c ?? "-")).ToArray());
        Console.Write(t);
    }

    public void Fields(IEnumerable<(string Name, string? Value)> fields, string? title = null) =>
        Table(["field", "value"], fields.Select(f => (IReadOnlyList<string?>)[f.Name, f.Value]), title);
}
