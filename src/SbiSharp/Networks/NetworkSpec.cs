using System.Text.Json.Serialization;
using SbiSharp.Registration;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>A serializable description of a <see cref="ConditionalNetwork"/>, stored in the model file (JSON "network": its registered name).</summary>
/// <remarks>A user network: derive a record from this, build the module in <see cref="Create"/>, and register it once with
/// <c>Registries.Networks.Register("my-net", () =&gt; new MyNetSpec(), "…")</c>.</remarks>
[JsonConverter(typeof(NetworkSpecJsonConverter))]
public abstract record NetworkSpec
{
    /// <summary>Builds the network with weights initialized from <paramref name="generator"/>.</summary>
    /// <param name="parameterDimension">Dθ.</param>
    /// <param name="observationDimension">Dx the network takes.</param>
    /// <param name="generator">Initialization randomness; the same seed must give the same weights.</param>
    public abstract ConditionalNetwork Create(int parameterDimension, int observationDimension, Generator? generator);

    /// <summary>The Dθ this spec builds for where it fixes one (a network over a field's shape); null (default): any.</summary>
    public virtual int? FixedParameterDimension => null;

    /// <summary>Throws on the first invalid field; returns this.</summary>
    public virtual NetworkSpec Validate() => this;
}
