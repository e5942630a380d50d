using PolicyGen.Compile;
using PolicyGen.Yaml;
using Scriban;
using Scriban.Runtime;

namespace PolicyGen.Core.Tests.Compile;

/// <summary>
/// <c>q</c> and <c>join</c> are bound without reflection (<see cref="TemplateFunction"/>): a user's
/// template must see the very functions Scriban's reflection-based binding of the same lambdas gave
/// it, in output and in every error (argument count, named arguments, pipes, conversions, null).
/// </summary>
public sealed class TemplateFunctionTests
{
    /// <summary>The binding npgen used before: Scriban reads the lambdas' parameters by reflection.</summary>
    private static ScriptObject ReflectionBound() => new()
    {
        ["q"] = DelegateCustomFunction.CreateFunc<object?, string>(value => YamlQuoting.Quote(value?.ToString())),
        ["join"] = DelegateCustomFunction.CreateFunc<ScriptArray?, string?, string>((list, separator) => string.Join(separator ?? "", list ?? [])),
    };

    private static ScriptObject Bound() => new() { ["q"] = TemplateFunction.Quote, ["join"] = TemplateFunction.Join };

    /// <summary>The output, or the exception's type and message (and place, for Scriban's own errors).</summary>
    private static string Render(string text, ScriptObject functions)
    {
        var template = Template.Parse(text, "t.sbn");
        Assert.False(template.HasErrors, string.Join("\n", template.Messages));
        var context = new TemplateContext(new LazyBuiltins()) { StrictVariables = true, EnableRelaxedMemberAccess = false, NewLine = "\n" };
        context.PushGlobal(functions);
        try
        {
            return "ok: " + template.Render(context);
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    [Theory]
    [InlineData("{{ q \"plain\" }}")]
    [InlineData("{{ q \"a: b\" }}")]
    [InlineData("{{ q \"yes\" }}")]
    [InlineData("{{ q \"\" }}")]
    [InlineData("{{ q 42 }}")]
    [InlineData("{{ q 1.5 }}")]
    [InlineData("{{ q true }}")]
    [InlineData("{{ q null }}")]
    [InlineData("{{ q [1, 2] }}")]
    [InlineData("{{ \"x: y\" | q }}")]
    [InlineData("{{ q value: \"named\" }}")]
    [InlineData("{{ q other: \"named\" }}")]
    [InlineData("{{ q }}")]
    [InlineData("{{ q \"a\" \"b\" }}")]
    [InlineData("{{ x = q; x }}")]
    [InlineData("{{ join [\"a\", \"b\"] \", \" }}")]
    [InlineData("{{ join [\"a\", 1, null, true] \"-\" }}")]
    [InlineData("{{ join [] \",\" }}")]
    [InlineData("{{ join null \",\" }}")]
    [InlineData("{{ join [\"a\", \"b\"] null }}")]
    [InlineData("{{ join [1, 2] 3 }}")]
    [InlineData("{{ join \"text\" \",\" }}")]
    [InlineData("{{ join {a: 1} \",\" }}")]
    [InlineData("{{ join [\"a\"] }}")]
    [InlineData("{{ join }}")]
    [InlineData("{{ join [\"a\"] \",\" \"extra\" }}")]
    [InlineData("{{ [\"a\", \"b\"] | join \"+\" }}")]
    [InlineData("{{ join list: [\"a\", \"b\"] separator: \"/\" }}")]
    [InlineData("{{ join separator: \"/\" list: [\"a\", \"b\"] }}")]
    [InlineData("{{ q (join [\"a: b\", \"c\"] \" \") }}")]
    public void a_template_sees_the_same_function_as_with_reflection_binding(string text)
        => Assert.Equal(Render(text, ReflectionBound()), Render(text, Bound()));

    [Fact]
    public void the_functions_describe_the_parameters_the_lambdas_declared()
    {
        var reflection = ReflectionBound();
        foreach (var (name, bound) in new[] { ("q", (IScriptCustomFunction)TemplateFunction.Quote), ("join", TemplateFunction.Join) })
        {
            var expected = Assert.IsAssignableFrom<IScriptCustomFunction>(reflection[name]);
            Assert.Equal(expected.ParameterCount, bound.ParameterCount);
            Assert.Equal(expected.RequiredParameterCount, bound.RequiredParameterCount);
            Assert.Equal(expected.VarParamKind, bound.VarParamKind);
            Assert.Equal(expected.ReturnType, bound.ReturnType);
            for (var i = 0; i < expected.ParameterCount; i++)
            {
                Assert.Equal(expected.GetParameterInfo(i), bound.GetParameterInfo(i));
                Assert.Equal(expected.GetParameterInfo(i).HasDefaultValue, bound.GetParameterInfo(i).HasDefaultValue);
            }
        }
    }
}
