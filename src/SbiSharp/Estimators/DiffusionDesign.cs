namespace SbiSharp.Estimators;

/// <summary>A named schedule × prediction × loss × weighting × coupling combination: a change of <see cref="DiffusionEstimatorOptions"/> (what <c>--method</c> names).</summary>
/// <remarks>Registered in <see cref="Registration.Registries.Designs"/>; a user design registered there is offered by the command line's --method. A design is not stored
/// in model files: what it changed is (schedule, prediction, loss, weighting, coupling).</remarks>
public sealed class DiffusionDesign
{
    private readonly Func<DiffusionEstimatorOptions, DiffusionEstimatorOptions> _apply;

    /// <summary>Creates the design from the change it makes.</summary>
    /// <param name="apply">Returns the options with the design's fields set; must not return null.</param>
    public DiffusionDesign(Func<DiffusionEstimatorOptions, DiffusionEstimatorOptions> apply) =>
        _apply = apply ?? throw new ArgumentNullException(nameof(apply));

    /// <summary>Returns <paramref name="options"/> with this design's fields.</summary>
    public DiffusionEstimatorOptions Apply(DiffusionEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return _apply(options) ?? throw new InvalidOperationException("A design's change returned null options.");
    }
}
