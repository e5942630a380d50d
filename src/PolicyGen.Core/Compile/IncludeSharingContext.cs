using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace PolicyGen.Compile;

/// <summary>
/// A template context whose included templates (<c>include "_rules.sbn"</c>) are parsed once per
/// render call, however many contexts render them: the frame cache's own context, and a fresh one
/// after a failed render, would otherwise each parse every include again (parsing an include cost
/// about as much as rendering it). A parsed template is read-only, so contexts can share it; an
/// include that fails to load or parse is not kept, so every context reports it as before.
/// </summary>
internal sealed class IncludeSharingContext(ScriptObject builtins, Dictionary<string, Template> parsedIncludes) : TemplateContext(builtins)
{
    protected override Template CreateTemplate(string templatePath, ScriptNode? callerContext)
    {
        if (parsedIncludes.TryGetValue(templatePath, out var template))
        {
            return template;
        }

        template = base.CreateTemplate(templatePath, callerContext);
        parsedIncludes[templatePath] = template;
        return template;
    }
}
