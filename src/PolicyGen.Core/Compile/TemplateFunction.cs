using PolicyGen.Yaml;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PolicyGen.Compile;

/// <summary>
/// A function npgen hands to templates (<c>q</c>, <c>join</c>), called without reflection.
/// Scriban's <c>DelegateCustomFunction</c> reads the delegate's method and parameters by reflection,
/// invokes it by reflection, and its first use builds a table of every built-in function: a fifth
/// of the Native AOT plugin's run. Scriban itself checks the argument count and converts each
/// argument to the declared parameter type before <see cref="Invoke"/>, from the same parameter
/// list a delegate would declare (names, types, none optional), so templates see the same function.
/// </summary>
internal sealed class TemplateFunction : IScriptCustomFunction
{
    private readonly ScriptParameterInfo[] parameters;
    private readonly Func<ScriptArray, object?> body;

    private TemplateFunction(Type returnType, ScriptParameterInfo[] parameters, Func<ScriptArray, object?> body)
    {
        ReturnType = returnType;
        this.parameters = parameters;
        this.body = body;
    }

    /// <summary><c>q value</c>: the value as a YAML scalar, quoted where YAML would read it as something else.</summary>
    public static TemplateFunction Quote { get; } = Of("value", value => YamlQuoting.Quote(value?.ToString()));

    /// <summary><c>join list separator</c>: like array.join, without loading Scriban's array module.</summary>
    public static TemplateFunction Join { get; } = new(typeof(string),
        [new ScriptParameterInfo(typeof(ScriptArray), "list"), new ScriptParameterInfo(typeof(string), "separator")],
        arguments => string.Join(arguments[1] as string ?? "", arguments[0] as ScriptArray ?? []));

    /// <summary>A function of one argument of any type (as Scriban hands it over) returning a string.</summary>
    public static TemplateFunction Of(string parameterName, Func<object?, string> function)
        => new(typeof(string), [new ScriptParameterInfo(typeof(object), parameterName)], arguments => function(arguments[0]));

    public int RequiredParameterCount => parameters.Length;

    public int ParameterCount => parameters.Length;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

    public Type ReturnType { get; }

    /// <summary>As Scriban's own functions answer: an index past the last parameter is an error.</summary>
    public ScriptParameterInfo GetParameterInfo(int index)
    {
        return index >= 0 && index < parameters.Length ? parameters[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index < 0 ? "Argument index must be >= 0" : $"Argument index must be < {ParameterCount}");
    }

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        => body(arguments);

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        => ValueTask.FromResult(Invoke(context, callerContext, arguments, blockStatement));
}
