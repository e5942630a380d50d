using System.Collections.Immutable;
using PolicyGen.Diagnostics;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PolicyGen.Compile;

/// <summary>One cluster-scoped policy rendered by its template.</summary>
public sealed record RenderedClusterPolicy(ClusterPolicyPlan Plan, string Yaml, string TemplatePath);

/// <summary>
/// Renders cluster policy plans through the same overridable templates as NetworkPolicy
/// (<c>--templates DIR</c> replaces a bundled file by name), with the same strictness: unknown
/// variables are errors, and every string passes through <c>q</c> (YAML quoting).
/// </summary>
public static class ClusterPolicyRenderer
{
    private const string FixHint = "fix the template, or remove it from --templates to use the bundled one";

    public static (ImmutableArray<RenderedClusterPolicy> Policies, ImmutableArray<Diagnostic> Diagnostics) Render(
        IReadOnlyList<ClusterPolicyPlan> plans, TemplateSet templates)
    {
        var rendered = ImmutableArray.CreateBuilder<RenderedClusterPolicy>();
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var plan in plans)
        {
            var fileName = plan.Template + ".sbn";
            if (templates.Find(fileName) is not { } found)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TemplateError, $"template {fileName} not found", null,
                    $"the bundled templates are: {string.Join(", ", TemplateSet.BundledNames)}"));
                continue;
            }

            var template = Template.Parse(found.Text, found.DisplayPath);
            if (template.HasErrors)
            {
                diagnostics.AddRange(template.Messages.Select(m => Diagnostic.Error(DiagnosticCodes.TemplateError, m.Message, Location(m.Span, found.DisplayPath), FixHint)));
                continue;
            }

            var context = new TemplateContext(new LazyBuiltins())
            {
                TemplateLoader = new Loader(templates),
                StrictVariables = true,
                EnableRelaxedMemberAccess = false,
                LoopLimit = 100_000,
                NewLine = "\n",
            };
            var globals = new ScriptObject { ["q"] = TemplateFunction.Quote, ["join"] = TemplateFunction.Join, ["policy"] = PolicyObject(plan) };
            context.PushGlobal(globals);
            try
            {
                var yaml = template.Render(context).ReplaceLineEndings("\n");
                rendered.Add(new RenderedClusterPolicy(plan, yaml.EndsWith('\n') ? yaml : yaml + "\n", found.DisplayPath));
            }
            catch (ScriptParserRuntimeException ex)
            {
                diagnostics.AddRange(ex.ParserMessages.Where(m => m.Type == ParserMessageType.Error)
                    .Select(m => Diagnostic.Error(DiagnosticCodes.TemplateError, m.Message, Location(m.Span, found.DisplayPath), FixHint)).Distinct());
            }
            catch (ScriptRuntimeException ex)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.TemplateError, $"template failed for {plan.Id}: {ex.OriginalMessage}", Location(ex.Span, found.DisplayPath), FixHint));
            }
        }

        return (rendered.ToImmutable(), diagnostics.ToImmutable());
    }

    private static SourceLocation Location(SourceSpan span, string fallbackPath)
    {
        var file = string.IsNullOrEmpty(span.FileName) ? fallbackPath
            : span.FileName.LastIndexOf('|') is var bar and >= 0 ? span.FileName[..bar] : span.FileName;
        return new(file, span.Start.Line + 1, span.Start.Column + 1);
    }

    private static ScriptObject PolicyObject(ClusterPolicyPlan plan) => new()
    {
        ["api_version"] = plan.ApiVersion,
        ["kind"] = plan.Kind,
        ["name"] = plan.Name,
        ["tier"] = plan.Tier,
        ["priority"] = plan.Priority,
        ["intent"] = plan.Intent,
        ["source"] = plan.Source,
        ["sync_wave"] = plan.SyncWave,
        ["environment"] = plan.Environment ?? "",
        ["overlays"] = new ScriptArray(plan.Overlays),
        ["rule_sources"] = new ScriptArray(
            plan.Ingress.Select((r, i) => $"ingress[{i}]={r.Source}").Concat(plan.Egress.Select((r, i) => $"egress[{i}]={r.Source}"))),
        ["subject"] = PeerObject(plan.Subject),
        ["ingress"] = new ScriptArray(plan.Ingress.Select(RuleObject)),
        ["egress"] = new ScriptArray(plan.Egress.Select(RuleObject)),
    };

    private static ScriptObject RuleObject(ClusterRulePlan rule) => new()
    {
        ["name"] = rule.Name,
        ["action"] = rule.Action,
        ["peers"] = new ScriptArray(rule.Peers.Select(PeerObject)),
        ["ports"] = new ScriptArray(rule.Ports.Select(p => new ScriptObject { ["protocol"] = p.Protocol, ["protocol_key"] = p.Protocol.ToLowerInvariant(), ["port"] = p.Port, ["end_port"] = p.EndPort })),
        ["source"] = rule.Source,
    };

    private static ScriptObject PeerObject(ClusterPeerPlan peer) => new()
    {
        ["namespaces"] = peer.Namespaces is null ? null : SelectorObject(peer.Namespaces),
        ["pods"] = peer.Pods is null ? null : new ScriptObject
        {
            ["namespace_selector"] = SelectorObject(peer.PodNamespaces!),
            ["pod_selector"] = SelectorObject(peer.Pods),
        },
        ["networks"] = new ScriptArray(peer.Networks),
    };

    private static ScriptObject SelectorObject(SelectorPlan selector) => new()
    {
        ["match_labels"] = new ScriptArray(selector.MatchLabels.Select(l => new ScriptObject { ["key"] = l.Key, ["value"] = l.Value })),
        ["match_expressions"] = new ScriptArray(selector.Expressions.Select(e => new ScriptObject
        {
            ["key"] = e.Key,
            ["operator"] = e.Operator,
            ["values"] = new ScriptArray(e.Values),
        })),
    };

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
