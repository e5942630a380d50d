using YamlDotNet.Core;

namespace PolicyGen.Yaml;

/// <summary>
/// What <see cref="YamlTokenWalker"/> reports: the events YamlDotNet's <see cref="Parser"/> would
/// produce for the same text (same order, same start marks), without making an event object for each.
/// </summary>
internal interface IYamlNodeSink
{
    void DocumentStart();

    void DocumentEnd();

    /// <summary>A scalar (an empty value is the empty plain scalar, at the mark the parser gives it).</summary>
    void Scalar(string value, ScalarStyle style, Mark start);

    /// <summary>A mapping or list begins; <see cref="End"/> closes it.</summary>
    void Start(bool mapping, bool flow, Mark start);

    void End();

    /// <summary>An anchor or an alias: the sink says what reads it (the walker stops there either way).</summary>
    void AnchorOrAlias();
}
