using SbiSharp.Data;
using SbiSharp.Spaces;

namespace SbiSharp.Estimators;

/// <summary>The JSON header of a model file: everything except the weights. <see cref="Transform"/> is absent (identity) in files written before the parameter space existed; <see cref="Prior"/> (see <see cref="Priors.PriorJson"/>) in those and where the prior is not one of the library's types.</summary>
internal sealed record ModelHeader(
    int ParameterDimension,
    int ObservationDimension,
    DiffusionEstimatorOptions Options,
    Standardizer ThetaStandardizer,
    Standardizer XStandardizer,
    string[] ParameterNames,
    string[] ObservationNames,
    bool Trained,
    ParameterTransform? Transform = null,
    System.Text.Json.Nodes.JsonObject? Prior = null);
