namespace SbiSharp.Denoising;

/// <summary>JSON for <see cref="Parameterization"/> through <see cref="SbiSharp.Registration.Registries.Parameterizations"/>.</summary>
public sealed class ParameterizationJsonConverter() : SbiSharp.Registration.RegistryJsonConverter<Parameterization>(() => SbiSharp.Registration.Registries.Parameterizations);
