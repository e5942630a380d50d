using PolicyGen.Yaml;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PolicyGen.Compile;

/// <summary>
/// Renders each plan shape of the bundled templates once. The first plan of a shape renders
/// through Scriban twice: with placeholders (the frame) and with its own values (the output); the
/// frame is kept only if filling it with that plan's values gives the very same text, and so is it
/// for the second plan of the shape (a value the model handed over without a placeholder would
/// show there), so the templates stay what decides the output. Later plans of the shape fill the frame. Used
/// only while every template in use is a bundled one: a user's template may branch on values
/// (<c>if policy.name == ...</c>), so it renders every plan through Scriban.
/// </summary>
internal sealed class FrameCache(Func<TemplateContext> newContext)
{
    /// <summary><c>q</c> in a frame: marks its argument, quoted per plan when the frame is filled.</summary>
    private static readonly TemplateFunction MarkQuoted =
        TemplateFunction.Of("value", value => value is null ? YamlQuoting.Quote(null)
            : RenderFrame.QuoteStart + value.ToString() + RenderFrame.QuoteEnd);

    /// <summary>Plans of a shape rendered through Scriban and matched by its frame before the frame is trusted.</summary>
    private const int Confirmations = 2;

    /// <summary>By shape, with how many plans confirmed it; null for a shape the frame does not reproduce (rendered through Scriban every time).</summary>
    private readonly Dictionary<string, (RenderFrame Frame, int Confirmed)?> frames = new(StringComparer.Ordinal);
    private TemplateContext? context;

    /// <summary>
    /// The plan's output from its shape's frame (and the frame and values it was filled from), or null if the plan must render through Scriban;
    /// then <paramref name="candidate"/> is a frame to <see cref="Confirm"/> against that output.
    /// </summary>
    public (string Text, FrameFill Fill)? TryFill(PolicyPlan plan, Template template, ScriptObject functions, out (string Shape, RenderFrame Frame, PlanValues Values)? candidate)
    {
        candidate = null;
        var values = RenderModel.ValuesOf(plan);
        if (!values.Framable)
        {
            return null;
        }

        var shape = values.Shape;
        if (frames.TryGetValue(shape, out var known))
        {
            if (known is { Confirmed: < Confirmations } unconfirmed)
            {
                candidate = (shape, unconfirmed.Frame, values);
                return null;
            }

            if (known is not { } trusted)
            {
                return null;
            }

            var starts = new int[trusted.Frame.TopPartCount + 1];
            var filled = values.Values;
            return Finish(trusted.Frame.Fill((value, _) => value < filled.Count ? filled[value] : null, starts, nestedQuotes: true)) is { } text
                ? (text, new FrameFill(trusted.Frame, filled, starts))
                : null;
        }

        frames[shape] = null; // until confirmed
        if (Render(template, functions, RenderModel.Of(plan, new PlanValues())) is { } rendered && RenderFrame.Parse(rendered) is { } frame)
        {
            candidate = (shape, frame, values);
        }

        return null;
    }

    /// <summary>Keeps the frame for its shape if it reproduces what Scriban rendered for the plan it came from.</summary>
    public void Confirm((string Shape, RenderFrame Frame, PlanValues Values) candidate, string rendered)
    {
        var confirmed = frames.GetValueOrDefault(candidate.Shape)?.Confirmed ?? 0;
        frames[candidate.Shape] = Finish(candidate.Frame.Fill(candidate.Values.Values)) == rendered
            ? (candidate.Frame, confirmed + 1)
            : null;
    }

    /// <summary>As the renderer finishes Scriban's output: one line ending, a final newline.</summary>
    public static string? Finish(string? yaml)
    {
        if (yaml is null)
        {
            return null;
        }

        yaml = yaml.ReplaceLineEndings("\n");
        return yaml.EndsWith('\n') ? yaml : yaml + "\n";
    }

    private string? Render(Template template, ScriptObject functions, ScriptObject model)
    {
        context ??= newContext();
        var globals = new ScriptObject(3);
        globals["q"] = MarkQuoted;
        globals["join"] = functions["join"];
        globals["policy"] = model;
        context.PushGlobal(globals);
        try
        {
            var text = template.Render(context);
            context.PopGlobal();
            return text;
        }
        catch (ScriptRuntimeException)
        {
            context = null; // the plan renders through Scriban, which reports the failure; start afresh
            return null;
        }
    }
}
