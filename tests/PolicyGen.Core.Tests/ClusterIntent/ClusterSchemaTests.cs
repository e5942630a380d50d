using System.Reflection;
using System.Text.Json.Nodes;
using PolicyGen.Intent;

namespace PolicyGen.Core.Tests.ClusterIntent;

/// <summary>The JSON Schema of <c>spec.cluster</c> lists exactly the keys the binder accepts, so editors complete and flag what npgen does.</summary>
public sealed class ClusterSchemaTests
{
    [Theory]
    [InlineData(nameof(ClusterKeys.SectionKeys), "cluster")]
    [InlineData(nameof(ClusterKeys.ExemptKeys), "clusterExempt")]
    [InlineData(nameof(ClusterKeys.DenyKeys), "clusterBaselineDeny")]
    [InlineData(nameof(ClusterKeys.MonitoringKeys), "clusterMonitoring")]
    [InlineData(nameof(ClusterKeys.MonitoringPeerKeys), "clusterMonitoringPeer")]
    public void Each_key_list_is_exactly_the_properties_of_its_schema_object(string list, string definition)
    {
        var keys = (string[])typeof(ClusterKeys).GetField(list, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var schema = JsonNode.Parse(IntentSchema.Text)!;
        var properties = schema["$defs"]![definition]!["properties"]!.AsObject().Select(p => p.Key);
        Assert.Equal(keys.Order(StringComparer.Ordinal), properties.Order(StringComparer.Ordinal));
        Assert.Equal("#/$defs/cluster", schema["$defs"]!["spec"]!["properties"]!["cluster"]!["$ref"]!.GetValue<string>());
    }
}
