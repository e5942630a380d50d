using PolicyGen.Validation;

namespace PolicyGen.Tests.Validation;

public class KubernetesNamesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("my-name", true)]
    [InlineData("123-abc", true)]
    [InlineData("", false)]
    [InlineData("My-name", false)]
    [InlineData("my.name", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a\n", false)] // '$' in .NET would accept a trailing newline
    public void S14_1_IsDns1123Label(string value, bool valid) => Assert.Equal(valid, KubernetesNames.IsDns1123Label(value));

    [Fact]
    public void S14_1_IsDns1123Label_length_limit_is_63()
    {
        Assert.True(KubernetesNames.IsDns1123Label(new string('a', 63)));
        Assert.Equal(["must be no more than 63 characters"], KubernetesNames.Dns1123LabelErrors(new string('a', 64)));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a", true)]
    [InlineData("a-b.c-d", true)]
    [InlineData("1.2.3", true)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    [InlineData("a.-b", false)]
    [InlineData("a-.b", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("A.com", false)]
    [InlineData("a_b", false)]
    [InlineData("a.com\n", false)]
    public void S14_1_IsDns1123Subdomain(string value, bool valid) => Assert.Equal(valid, KubernetesNames.IsDns1123Subdomain(value));

    [Fact]
    public void S14_1_IsDns1123Subdomain_length_limit_is_253()
    {
        var name253 = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('a', 61);
        Assert.Equal(253, name253.Length);
        Assert.True(KubernetesNames.IsDns1123Subdomain(name253));
        Assert.Equal(["must be no more than 253 characters"], KubernetesNames.Dns1123SubdomainErrors(name253 + "a"));
    }

    [Theory]
    [InlineData("app", true)]
    [InlineData("MyName", true)]
    [InlineData("my.name_x-1", true)]
    [InlineData("example.com/MyName", true)]
    [InlineData("kubernetes.io/metadata.name", true)]
    [InlineData("", false)]
    [InlineData("/name", false)]
    [InlineData("prefix/", false)]
    [InlineData("a/b/c", false)]
    [InlineData("Example.com/name", false)]
    [InlineData("_name", false)]
    [InlineData("name.", false)]
    [InlineData("na me", false)]
    [InlineData("näme", false)]
    public void S14_8_IsQualifiedName(string value, bool valid) => Assert.Equal(valid, KubernetesNames.IsQualifiedName(value));

    [Fact]
    public void S14_8_IsQualifiedName_name_part_length_limit_is_63()
    {
        Assert.True(KubernetesNames.IsQualifiedName("example.com/" + new string('a', 63)));
        Assert.Equal(["name part must be no more than 63 characters"], KubernetesNames.QualifiedNameErrors(new string('a', 64)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("v", true)]
    [InlineData("My_Value.1-2", true)]
    [InlineData("-v", false)]
    [InlineData("v_", false)]
    [InlineData("a/b", false)]
    [InlineData("a b", false)]
    public void S14_8_IsLabelValue(string value, bool valid) => Assert.Equal(valid, KubernetesNames.IsLabelValue(value));

    [Fact]
    public void S14_8_IsLabelValue_length_limit_is_63()
    {
        Assert.True(KubernetesNames.IsLabelValue(new string('v', 63)));
        Assert.Equal(["must be no more than 63 characters"], KubernetesNames.LabelValueErrors(new string('v', 64)));
    }

    [Theory]
    [InlineData("http", true)]
    [InlineData("h", true)]
    [InlineData("web-80", true)]
    [InlineData("80a", true)]
    [InlineData("abcdefghijklmno", true)]
    [InlineData("abcdefghijklmnop", false)]
    [InlineData("80", false)]
    [InlineData("", false)]
    [InlineData("Http", false)]
    [InlineData("web_80", false)]
    [InlineData("-http", false)]
    [InlineData("http-", false)]
    [InlineData("web--80", false)]
    public void S14_5_IsIanaSvcName(string value, bool valid) => Assert.Equal(valid, KubernetesNames.IsIanaSvcName(value));

    [Fact]
    public void S14_5_IanaSvcNameErrors_lists_every_reason()
        => Assert.Equal(
            [
                "must be no more than 15 characters",
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)",
                "must not contain consecutive hyphens",
                "must not begin or end with a hyphen",
            ],
            KubernetesNames.IanaSvcNameErrors("-0123456789--ABC"));
}
