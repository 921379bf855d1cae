using System.Text.Json.Serialization;

namespace SbiSharp.Training;

/// <summary>Which optimizer trains the network.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptimizerChoice>))]
public enum OptimizerChoice
{
    /// <summary>AdamW (with <see cref="TrainingOptions.WeightDecay"/>) for a finite data set, Adam for a stream of fresh simulations (no pair is seen twice, so nothing to regularize).</summary>
    Auto,

    /// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, arXiv:1711.05101).</summary>
    AdamW,

    /// <summary>Adam without weight decay (Kingma &amp; Ba 2015, arXiv:1412.6980).</summary>
    Adam,
}
