namespace SbiSharp.Registration;

/// <summary>One registered implementation of a concept: its name (on the command line and in model files), type and factory.</summary>
/// <param name="Name">The name, unique within its registry (ignoring case).</param>
/// <param name="Type">The implementation's type (what the name stands for in JSON).</param>
/// <param name="Create">Builds an instance from command-line style arguments (most types ignore them and use their defaults).</param>
/// <param name="Description">One line for --help and docs.</param>
public sealed record RegistryEntry<TBase>(string Name, Type Type, Func<CreationArguments, TBase> Create, string Description) where TBase : class;
