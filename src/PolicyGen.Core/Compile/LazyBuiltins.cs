using Scriban;
using Scriban.Functions;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PolicyGen.Compile;

/// <summary>
/// Scriban's built-in functions, each module created the first time a template names it. The
/// default set costs about 8 ms to build (every module imports its functions up front), which is
/// most of the kustomize plugin's run time; our templates only need <c>include</c> and
/// <c>array</c>. User templates still get every module.
/// </summary>
internal sealed class LazyBuiltins : ScriptObject
{
    private static readonly Dictionary<string, Func<ScriptObject>> Modules = new(StringComparer.Ordinal)
    {
        ["array"] = () => new ArrayFunctions(),
        ["date"] = () => new DateTimeFunctions(),
        ["html"] = () => new HtmlFunctions(),
        ["math"] = () => new MathFunctions(),
        ["object"] = () => new ObjectFunctions(),
        ["regex"] = () => new RegexFunctions(),
        ["string"] = () => new StringFunctions(),
        ["timespan"] = () => new TimeSpanFunctions(),
    };

    public LazyBuiltins()
    {
        SetValue("empty", EmptyScriptObject.Default, readOnly: true);
        SetValue("blank", EmptyScriptObject.Default, readOnly: true);
        SetValue("include", new IncludeFunction(), readOnly: true);
        SetValue("include_join", new IncludeJoinFunction(), readOnly: true);
    }

    public override bool Contains(string member) => base.Contains(member) || Modules.ContainsKey(member);

    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (base.TryGetValue(context, span, member, out value))
        {
            return true;
        }

        if (Modules.TryGetValue(member, out var create))
        {
            value = create();
            SetValue(member, value, readOnly: true);
            return true;
        }

        return false;
    }
}
