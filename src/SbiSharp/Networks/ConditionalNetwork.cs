using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Networks;

/// <summary>The seam for the network inside a diffusion model: (θ_t, time, x) ↦ output (B, Dθ), which a parameterization turns into the denoised mean.</summary>
/// <remarks>
/// Implement <c>forward</c>, register submodules as fields with <c>RegisterComponents()</c> (TorchSharp's rule), and describe the
/// network by a <see cref="NetworkSpec"/> registered in <see cref="Registration.Registries.Networks"/> so that a model saves and loads.
/// Inputs: θ_t scaled to about unit variance (B, Dθ); the time feature, λ mapped linearly to [−1, 1], (B, 1); the standardized
/// observation (B, Dx). When <see cref="BroadcastsSharedInputs"/> is true the caller may pass time (1, 1) and x (1, Dx) for a batch
/// whose rows share them. Return a fresh tensor; never dispose the inputs.
/// </remarks>
public abstract class ConditionalNetwork : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="parameterDimension">Dθ.</param>
    /// <param name="observationDimension">Dx (including a presence flag when the estimator adds one).</param>
    protected ConditionalNetwork(string name, int parameterDimension, int observationDimension) : base(name)
    {
        Internal.Check.PositiveValue(parameterDimension, nameof(parameterDimension));
        Internal.Check.PositiveValue(observationDimension, nameof(observationDimension));
        ParameterDimension = parameterDimension;
        ObservationDimension = observationDimension;
    }

    /// <summary>Dθ.</summary>
    public int ParameterDimension { get; }

    /// <summary>Dx the network takes.</summary>
    public int ObservationDimension { get; }

    /// <summary>Whether time (1, 1) and x (1, Dx) are accepted for a batch that shares them (a saving when sampling one observation); default false.</summary>
    public virtual bool BroadcastsSharedInputs => false;

    /// <summary>Random source for dropout during training (null: torch's global generator); networks without dropout ignore it.</summary>
    public virtual Generator? DropoutGenerator { get => null; set { } }
}
