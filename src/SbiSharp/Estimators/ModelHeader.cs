using SbiSharp.Data;

namespace SbiSharp.Estimators;

/// <summary>The JSON header of a model file: everything except the weights.</summary>
internal sealed record ModelHeader(
    int ParameterDimension,
    int ObservationDimension,
    DiffusionEstimatorOptions Options,
    Standardizer ThetaStandardizer,
    Standardizer XStandardizer,
    string[] ParameterNames,
    string[] ObservationNames,
    bool Trained);
