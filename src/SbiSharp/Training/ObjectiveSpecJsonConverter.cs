using SbiSharp.Registration;

namespace SbiSharp.Training;

/// <summary>JSON for <see cref="ObjectiveSpec"/> through <see cref="Registries.Objectives"/>; files from before objectives had a name hold denoising score matching.</summary>
public sealed class ObjectiveSpecJsonConverter() : RegistryJsonConverter<ObjectiveSpec>(() => Registries.Objectives, "denoising");
