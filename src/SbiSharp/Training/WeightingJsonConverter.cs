namespace SbiSharp.Training;

/// <summary>JSON for <see cref="LossWeighting"/> through <see cref="SbiSharp.Registration.Registries.Weightings"/>.</summary>
public sealed class WeightingJsonConverter() : SbiSharp.Registration.RegistryJsonConverter<LossWeighting>(() => SbiSharp.Registration.Registries.Weightings);
