using SbiSharp.Registration;

namespace SbiSharp.Networks;

/// <summary>JSON for <see cref="NetworkSpec"/> through <see cref="Registries.Networks"/>; files from before networks had a name hold a residual MLP.</summary>
public sealed class NetworkSpecJsonConverter() : RegistryJsonConverter<NetworkSpec>(() => Registries.Networks, "residual-mlp");
