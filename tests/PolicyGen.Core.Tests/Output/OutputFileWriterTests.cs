using PolicyGen.Diagnostics;
using PolicyGen.Output;

namespace PolicyGen.Core.Tests.Output;

/// <summary>One YAML stream to a file: whole or not at all, only over npgen's own file of the same build, never through a link.</summary>
public sealed class OutputFileWriterTests : IDisposable
{
    private static readonly OutputRecord Prod = new("shop", "prod", []);
    private readonly string temp = Directory.CreateTempSubdirectory("npgen-file-writer-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static string Stream(OutputRecord record, string body = "kind: NetworkPolicy\n")
        => $"{OutputDirectoryWriter.GeneratedMarker} from intents.yaml (intent {record.Intent}). Do not edit.\n{record.Line()}---\n{body}";

    [Fact]
    public void Writes_creates_the_directory_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(temp, "out", "shop.yaml");
        var result = OutputFileWriter.Write(path, Stream(Prod), Prod);
        Assert.True(result.Succeeded);
        Assert.Equal(["shop.yaml"], result.Written.ToArray());
        Assert.Equal(Stream(Prod), File.ReadAllText(path));
        Assert.Equal(["shop.yaml"], Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Select(Path.GetFileName));

        var again = OutputFileWriter.Write(path, Stream(Prod), Prod);
        Assert.Equal(["shop.yaml"], again.Unchanged.ToArray());
        Assert.Empty(again.Written);
    }

    [Fact]
    public void Replaces_its_own_file_of_the_same_build()
    {
        var path = Path.Combine(temp, "shop.yaml");
        File.WriteAllText(path, Stream(Prod, "old: 1\n"));
        var result = OutputFileWriter.Write(path, Stream(Prod), Prod);
        Assert.True(result.Succeeded);
        Assert.Equal(Stream(Prod), File.ReadAllText(path));
    }

    [Theory]
    [InlineData("notes\n", DiagnosticCodes.OutputPathOccupied)]
    [InlineData("", DiagnosticCodes.OutputPathOccupied)]
    public void Never_replaces_a_file_npgen_did_not_write(string content, string code)
    {
        var path = Path.Combine(temp, "shop.yaml");
        File.WriteAllText(path, content);
        var result = OutputFileWriter.Write(path, Stream(Prod), Prod);
        Assert.False(result.Succeeded);
        Assert.Equal(code, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(content, File.ReadAllText(path));
    }

    [Fact]
    public void Refuses_another_intents_file_and_another_environment_unless_told()
    {
        var path = Path.Combine(temp, "shop.yaml");
        var bookstore = new OutputRecord("bookstore", "prod", []);
        File.WriteAllText(path, Stream(bookstore));
        Assert.Equal(DiagnosticCodes.OutputHoldsOtherOutput, Assert.Single(OutputFileWriter.Write(path, Stream(Prod), Prod).Diagnostics).Code);

        var dev = new OutputRecord("shop", "dev", []);
        File.WriteAllText(path, Stream(dev));
        Assert.Equal(DiagnosticCodes.OutputEnvironmentMismatch, Assert.Single(OutputFileWriter.Write(path, Stream(Prod), Prod).Diagnostics).Code);
        Assert.Equal(Stream(dev), File.ReadAllText(path));

        var replaced = OutputFileWriter.Write(path, Stream(Prod), Prod, new WriteOptions { ReplaceEnvironment = true });
        Assert.True(replaced.Succeeded);
        Assert.Single(replaced.Replaced);
        Assert.Equal(Stream(Prod), File.ReadAllText(path));
    }

    [Fact]
    public void Never_writes_through_a_symbolic_link()
    {
        var target = Path.Combine(temp, "target.yaml");
        File.WriteAllText(target, Stream(Prod, "old: 1\n"));
        var link = Path.Combine(temp, "link.yaml");
        File.CreateSymbolicLink(link, target);
        var result = OutputFileWriter.Write(link, Stream(Prod), Prod);
        Assert.Equal(DiagnosticCodes.OutputSymbolicLink, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(Stream(Prod, "old: 1\n"), File.ReadAllText(target));

        var linkedDirectory = Path.Combine(temp, "linked");
        Directory.CreateSymbolicLink(linkedDirectory, temp);
        Assert.Equal(DiagnosticCodes.OutputSymbolicLink, Assert.Single(OutputFileWriter.Write(Path.Combine(linkedDirectory, "x.yaml"), Stream(Prod), Prod).Diagnostics).Code);
        Assert.False(File.Exists(Path.Combine(temp, "x.yaml")));
    }
}
