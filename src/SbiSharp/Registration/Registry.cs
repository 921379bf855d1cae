namespace SbiSharp.Registration;

/// <summary>The one list of implementations of a concept (schedules, samplers, networks, …): name → type → JSON. The command line,
/// --help, model files, tests, docs and bench all enumerate it, so a name is spelled once, and a type a user registers saves, loads
/// and appears on the command line like a built-in one.</summary>
/// <typeparam name="TBase">The concept's base type or interface.</typeparam>
/// <remarks>Registration is thread-safe; register a type before loading a model file that names it.</remarks>
public sealed class Registry<TBase> where TBase : class
{
    private readonly object _sync = new();
    private readonly List<RegistryEntry<TBase>> _entries = new();

    /// <summary>Creates an empty registry.</summary>
    /// <param name="concept">What is registered, singular, for messages ("schedule").</param>
    /// <param name="discriminator">The JSON property that names the type in model files.</param>
    public Registry(string concept, string discriminator)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(concept);
        ArgumentException.ThrowIfNullOrWhiteSpace(discriminator);
        Concept = concept;
        Discriminator = discriminator;
    }

    /// <summary>What is registered ("schedule").</summary>
    public string Concept { get; }

    /// <summary>The JSON property naming the type.</summary>
    public string Discriminator { get; }

    /// <summary>Every entry, in registration order (the built-in default first).</summary>
    public IReadOnlyList<RegistryEntry<TBase>> Entries
    {
        get { lock (_sync) return _entries.ToArray(); }
    }

    /// <summary>Every name, in registration order.</summary>
    public IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="name"/>.</summary>
    /// <param name="name">Letters, digits, '-', '+' and '.'; unique in this registry, ignoring case.</param>
    /// <param name="create">Builds an instance (from the command line's arguments, which most types ignore).</param>
    /// <param name="description">One line for --help.</param>
    /// <exception cref="ArgumentException">The name is malformed or taken, or the type is already registered under another name.</exception>
    public RegistryEntry<TBase> Register<T>(string name, Func<CreationArguments, T> create, string description) where T : class, TBase
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(description);
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.'))
            throw new ArgumentException($"A {Concept} name must be letters, digits, '-', '+' or '.'; got '{name}'.", nameof(name));
        var entry = new RegistryEntry<TBase>(name, typeof(T), args => create(args ?? CreationArguments.None), description);
        lock (_sync)
        {
            var taken = _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
            if (taken is not null)
                throw new ArgumentException($"A {Concept} named '{name}' is already registered ({taken.Type.FullName}).", nameof(name));
            _entries.Add(entry);
        }
        return entry;
    }

    /// <summary>Registers <typeparamref name="T"/> with a factory that takes no arguments.</summary>
    public RegistryEntry<TBase> Register<T>(string name, Func<T> create, string description) where T : class, TBase
    {
        ArgumentNullException.ThrowIfNull(create);
        return Register<T>(name, _ => create(), description);
    }

    /// <summary>The entry named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such name; the message lists the valid ones.</exception>
    public RegistryEntry<TBase> Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(name) ?? throw new ArgumentException($"Unknown {Concept} '{name}'; valid: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public RegistryEntry<TBase>? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_sync) return _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The entry whose type is exactly <paramref name="type"/>, or null (several names may share a type; the first wins).</summary>
    public RegistryEntry<TBase>? Find(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_sync) return _entries.FirstOrDefault(e => e.Type == type);
    }

    /// <summary>The name under which <paramref name="value"/>'s type is registered.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered.</exception>
    public string NameOf(TBase value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Find(value.GetType())?.Name ?? throw new InvalidOperationException(
            $"The {Concept} type {value.GetType().FullName} is not registered, so it cannot be saved; register it once with Registries.{RegistryName}.Register(\"a-name\", () => new {value.GetType().Name}(...), \"…\").");
    }

    /// <summary>Builds the entry named <paramref name="name"/>.</summary>
    public TBase Create(string name, CreationArguments? arguments = null) => Get(name).Create(arguments ?? CreationArguments.None);

    private string RegistryName => char.ToUpperInvariant(Concept[0]) + Concept[1..] + "s";
}
