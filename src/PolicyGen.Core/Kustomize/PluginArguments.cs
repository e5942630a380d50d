using System.Collections.Immutable;
using PolicyGen.Diagnostics;

namespace PolicyGen.Kustomize;

/// <summary>
/// The extra arguments kustomize passes a legacy exec plugin after the config file. Facts from
/// kustomize v5.5.0 (api/internal/plugins/execplugin/execplugin.go, processOptionalArgsFields),
/// checked with kubectl v1.32 on this machine: the config's top-level <c>argsOneLiner</c> is split
/// like a shell would (shlex), and each non-blank line of the file <c>argsFromFile</c> names (read
/// through kustomize's own loader, relative to the kustomization) is one more argument, leading
/// spaces trimmed. npgen takes the same settings as <c>spec</c>: <c>--env NAME</c>,
/// <c>--overlay FILE</c> (repeatable) and <c>--templates DIR</c>, each also as <c>--flag=value</c>.
/// </summary>
public sealed record PluginArguments(string? Environment, ImmutableArray<string> Overlays, string? Templates, ImmutableArray<string> Problems)
{
    public static PluginArguments None { get; } = new(null, [], null, []);

    public bool IsEmpty => Environment is null && Overlays.IsEmpty && Templates is null && Problems.IsEmpty;

    public static PluginArguments Parse(IReadOnlyList<string> args)
    {
        string? environment = null;
        string? templates = null;
        var overlays = ImmutableArray.CreateBuilder<string>();
        var problems = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = eq > 0 && arg.StartsWith("--", StringComparison.Ordinal) ? arg[..eq] : arg;
            string? Value()
            {
                if (eq > 0 && flag != arg)
                {
                    return arg[(eq + 1)..];
                }

                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                problems.Add($"{TextEscaping.Quote(flag)} needs a value");
                return null;
            }

            switch (flag)
            {
                case "--env" or "--environment":
                    if (Value() is { } env)
                    {
                        if (environment is not null && environment != env)
                        {
                            problems.Add($"--env is given twice ({TextEscaping.Quote(environment)} and {TextEscaping.Quote(env)})");
                        }

                        environment = env;
                    }

                    break;
                case "--overlay":
                    if (Value() is { } overlay)
                    {
                        overlays.Add(overlay);
                    }

                    break;
                case "--templates":
                    if (Value() is { } dir)
                    {
                        if (templates is not null && templates != dir)
                        {
                            problems.Add($"--templates is given twice ({TextEscaping.Quote(templates)} and {TextEscaping.Quote(dir)})");
                        }

                        templates = dir;
                    }

                    break;
                default:
                    problems.Add($"{TextEscaping.Quote(arg)} is not an argument npgen takes");
                    break;
            }
        }

        return new PluginArguments(environment, overlays.ToImmutable(), templates, problems.ToImmutable());
    }
}
