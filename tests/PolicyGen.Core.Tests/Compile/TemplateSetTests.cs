using PolicyGen.Compile;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// A template set reads each template once: Scriban asks for an included template on every
/// include, several times per policy, and one build renders with the templates as they were
/// when first read.
/// </summary>
public sealed class TemplateSetTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("npgen-templates-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void An_override_is_read_once_per_set()
    {
        var path = Path.Combine(directory, "_labels.sbn");
        File.WriteAllText(path, "first");
        var templates = new TemplateSet(directory);
        Assert.Equal((path, "first"), templates.Find("_labels.sbn"));

        File.WriteAllText(path, "second");
        Assert.Equal((path, "first"), templates.Find("_labels.sbn"));
        Assert.Equal((path, "second"), new TemplateSet(directory).Find("_labels.sbn"));
    }

    [Fact]
    public void A_missing_template_stays_missing_for_the_set()
    {
        var templates = new TemplateSet(directory);
        Assert.Null(templates.Find("extra.sbn"));

        File.WriteAllText(Path.Combine(directory, "extra.sbn"), "late");
        Assert.Null(templates.Find("extra.sbn"));
        Assert.NotNull(new TemplateSet(directory).Find("extra.sbn"));
    }

    [Fact]
    public void Bundled_templates_are_found_without_an_override()
    {
        var templates = new TemplateSet(directory);
        var found = templates.Find("_labels.sbn");
        Assert.Equal(("templates/_labels.sbn (bundled)", TemplateSet.Bundled("_labels.sbn")!), found);
        Assert.Same(found!.Value.Text, templates.Find("_labels.sbn")!.Value.Text);
    }

    [Fact]
    public void Names_outside_the_folder_are_not_templates()
    {
        var templates = new TemplateSet(directory);
        Assert.Null(templates.Find("../_labels.sbn"));
        Assert.Null(templates.Find(".hidden.sbn"));
    }
}
