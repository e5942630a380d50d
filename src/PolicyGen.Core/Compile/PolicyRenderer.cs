using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PolicyGen.Compile;

/// <summary>One policy rendered by its template.</summary>
public sealed record RenderedPolicy(PolicyPlan Plan, string Yaml, string TemplatePath)
{
    /// <summary>The trusted frame and values <see cref="Yaml"/> was filled from; null when Scriban rendered it.</summary>
    internal FrameFill? Filled { get; init; }
}

/// <summary>
/// Renders policy plans through the Scriban templates. The model is handed over as plain script
/// objects (no reflection, so this path stays trim- and AOT-friendly), unknown variables and
/// members are errors, and template errors name the template file and line.
/// </summary>
public static class PolicyRenderer
{
    /// <summary>The functions templates call besides Scriban's built-ins.</summary>
    private static readonly ScriptObject Functions = new(2) { ["q"] = TemplateFunction.Quote, ["join"] = TemplateFunction.Join };

    public static (ImmutableArray<RenderedPolicy> Policies, ImmutableArray<Diagnostic> Diagnostics) Render(
        IReadOnlyList<PolicyPlan> plans, TemplateSet templates)
        => Render(plans, templates, reuseShapes: true, out _);

    /// <param name="reuseShapes">False renders every plan through Scriban, as a user's template always is (tests compare the two).</param>
    /// <param name="filled">How many plans came from a frame (<see cref="FrameCache"/>) instead of their own Scriban run.</param>
    internal static (ImmutableArray<RenderedPolicy> Policies, ImmutableArray<Diagnostic> Diagnostics) Render(
        IReadOnlyList<PolicyPlan> plans, TemplateSet templates, bool reuseShapes, out int filled)
    {
        filled = 0;
        var rendered = ImmutableArray.CreateBuilder<RenderedPolicy>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var parsed = new Dictionary<string, (Template? Template, string Path)>(StringComparer.Ordinal);
        var failures = new Dictionary<(string Message, SourceLocation Location), List<string>>();
        var failureSlots = new Dictionary<(string Message, SourceLocation Location), int>();

        // One context for all policies, and included templates parsed once for every context; each policy gets its own global scope.
        var includes = new Dictionary<string, Template>(StringComparer.Ordinal);
        TemplateContext NewContext() => new IncludeSharingContext(new LazyBuiltins(), includes)
        {
            TemplateLoader = new Loader(templates),
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 100_000,
            NewLine = "\n",
        };
        var context = NewContext();
        var frames = reuseShapes && templates.UsesBundledOnly ? new FrameCache(NewContext) : null;
        foreach (var plan in plans)
        {
            var fileName = plan.Template + ".sbn";
            if (!parsed.TryGetValue(fileName, out var entry))
            {
                entry = Parse(fileName, templates, diagnostics);
                parsed[fileName] = entry;
            }

            if (entry.Template is null)
            {
                continue;
            }

            (string, RenderFrame, PlanValues)? candidate = null;
            if (frames?.TryFill(plan, entry.Template, Functions, out candidate) is { } fromFrame)
            {
                rendered.Add(new RenderedPolicy(plan, fromFrame.Text, entry.Path) { Filled = fromFrame.Fill });
                filled++;
                continue;
            }

            var globals = new ScriptObject();
            globals["q"] = TemplateFunction.Quote; // no reflection, so this path stays AOT-clean and quick to start
            globals["join"] = TemplateFunction.Join;
            globals["policy"] = RenderModel.Of(plan);
            context.PushGlobal(globals);
            try
            {
                var yaml = FrameCache.Finish(entry.Template.Render(context))!;
                rendered.Add(new RenderedPolicy(plan, yaml, entry.Path));
                if (candidate is { } frame)
                {
                    frames!.Confirm(frame, yaml);
                }
            }
            catch (ScriptParserRuntimeException ex)
            {
                // A syntax error in an included template: report it where it is, once.
                foreach (var message in ex.ParserMessages.Where(m => m.Type == ParserMessageType.Error))
                {
                    var diagnostic = Diagnostic.Error(DiagnosticCodes.TemplateError, message.Message, Location(message.Span, entry.Path),
                        "fix the template, or remove it from --templates to use the bundled one");
                    if (!diagnostics.Contains(diagnostic))
                    {
                        diagnostics.Add(diagnostic);
                    }
                }

                context = NewContext(); // a failed render leaves partial output behind: start the next one afresh
                continue;
            }
            catch (ScriptRuntimeException ex)
            {
                // The same failure at the same place is one error, however many policies hit it.
                var key = (ex.OriginalMessage, Location(ex.Span, entry.Path));
                if (!failures.TryGetValue(key, out var failed))
                {
                    failures[key] = failed = [];
                    diagnostics.Add(null!); // its place, filled in below once every policy is counted
                    failureSlots[key] = diagnostics.Count - 1;
                }

                failed.Add(plan.Id);
                context = NewContext(); // a failed render leaves partial output behind: start the next one afresh
                continue;
            }

            context.PopGlobal(); // the next policy starts from a clean scope
        }

        foreach (var ((message, location), ids) in failures)
        {
            var which = ids.Count == 1 ? ids[0]
                : $"{ids.Count} policies ({string.Join(", ", ids.Take(3))}{(ids.Count > 3 ? $" and {ids.Count - 3} more" : "")})";
            diagnostics[failureSlots[(message, location)]] = Diagnostic.Error(DiagnosticCodes.TemplateError, $"template failed for {which}: {message}",
                location, "fix the template, or remove it from --templates to use the bundled one");
        }

        return (rendered.ToImmutable(), diagnostics.ToImmutable());
    }

    private static (Template? Template, string Path) Parse(string fileName, TemplateSet templates, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        if (templates.Find(fileName) is not { } found)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TemplateError, $"template {fileName} not found", null,
                $"the bundled templates are: {string.Join(", ", TemplateSet.BundledNames)}"));
            return (null, fileName);
        }

        var template = Template.Parse(found.Text, found.DisplayPath);
        if (template.HasErrors)
        {
            foreach (var message in template.Messages)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TemplateError, message.Message, Location(message.Span, found.DisplayPath)));
            }

            return (null, found.DisplayPath);
        }

        return (template, found.DisplayPath);
    }

    /// <summary>The place in a template; an included template's span names it "DisplayPath|name" (see <see cref="Loader"/>).</summary>
    private static SourceLocation Location(SourceSpan span, string fallbackPath)
    {
        var file = string.IsNullOrEmpty(span.FileName) ? fallbackPath
            : span.FileName.LastIndexOf('|') is var bar and >= 0 ? span.FileName[..bar] : span.FileName;
        return new(file, span.Start.Line + 1, span.Start.Column + 1);
    }

    /// <summary>Resolves <c>include "x.sbn"</c> through the same override-then-bundled lookup.</summary>
    private sealed class Loader(TemplateSet templates) : ITemplateLoader
    {
        public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName)
            => templates.Find(templateName) is { } found ? found.DisplayPath + "|" + templateName
                : throw new ScriptRuntimeException(callerSpan, $"include \"{templateName}\" not found (includes name a file in the templates folder)");

        public string? Load(TemplateContext context, SourceSpan callerSpan, string templatePath)
            => templates.Find(templatePath[(templatePath.LastIndexOf('|') + 1)..])?.Text;

        public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath)
            => ValueTask.FromResult(Load(context, callerSpan, templatePath));
    }
}
