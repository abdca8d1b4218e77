using System.CommandLine;
using ProviderAgent.Images;
using Spectre.Console;

namespace ProviderAgent.Commands;

internal static class ImageCommand
{
    public static Command Create()
    {
        var cmd = new Command("image", "Manage the local image store (there is no registry: images arrive as tarballs).");
        cmd.Subcommands.Add(Import());
        cmd.Subcommands.Add(List());
        return cmd;
    }

    private static Command Import()
    {
        var tarball = new Argument<string>("tarball") { Description = "A `docker save` tarball or an OCI image layout tarball" };
        var name = new Option<string?>("--name") { Description = "Name the image name:tag (default: the names the archive carries)" };
        var cmd = new Command("import", "Import an image tarball, unpacking its layers into a rootfs.");
        cmd.Arguments.Add(tarball);
        cmd.Options.Add(name);
        cmd.SetAction(result => CommonOptions.Guarded(() =>
        {
            var store = new ImageStore(CommonOptions.Paths(result).DataDirectory);
            var image = store.Import(result.GetValue(tarball)!, result.GetValue(name));
            Console.WriteLine($"imported {image.Digest} ({image.Format}, {image.LayerCount} layer(s), {image.SizeBytes} bytes)"
                + (image.Names.Count > 0 ? $" as {string.Join(", ", image.Names)}" : ""));
            return Task.FromResult(0);
        }));
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "List the images in the local store.");
        cmd.SetAction(result => CommonOptions.Guarded(() =>
        {
            var store = new ImageStore(CommonOptions.Paths(result).DataDirectory);
            var t = new Table().AddColumn("ID").AddColumn("names").AddColumn("format").AddColumn("size").AddColumn("imported");
            foreach (var i in store.List())
                t.AddRow(i.ShortId, Markup.Escape(string.Join(", ", i.Names)), i.Format, $"{i.SizeBytes / 1024} KiB", i.ImportedAt.ToString("u"));
            AnsiConsole.Write(t);
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
