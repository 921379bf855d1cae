using System.CommandLine;
using SbiSharp.Networks;
using SbiSharp.Training;

namespace SbiSharp.Cli;

/// <summary>Command-line options for training; defaults come from <see cref="TrainingOptions.Default"/> and <see cref="NetworkOptions.Default"/>.</summary>
internal sealed class TrainingCliOptions
{
    private readonly TrainingOptions _defaults;

    public TrainingCliOptions(TrainingOptions? defaults = null)
    {
        _defaults = defaults ?? TrainingOptions.Default;
        Epochs = new("--epochs") { Description = "Most training epochs (early stopping usually ends training before; with --patience 0, the run's length)", DefaultValueFactory = _ => _defaults.Epochs };
        MaxSteps = new("--max-steps") { Description = $"Cap on gradient steps [default: {(_defaults.MaxSteps is { } cap ? cap.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}]" };
        Schedule = new("--schedule") { Description = $"Learning rate: {string.Join(" | ", Enum.GetNames<LearningRateSchedule>().Select(n => n.ToLowerInvariant()))} (auto: warm-up, then halve on validation plateaus of {_defaults.PlateauPatience} epochs while early stopping decides; cosine decay over a fixed length with --patience 0)", DefaultValueFactory = _ => _defaults.Schedule.ToString().ToLowerInvariant() };
        BatchSize = new("--batch-size") { Description = "Rows per gradient step", DefaultValueFactory = _ => _defaults.BatchSize };
        LearningRate = new("--learning-rate") { Description = "Peak learning rate", DefaultValueFactory = _ => _defaults.LearningRate };
        Patience = new("--patience") { Description = "Early-stopping patience in epochs (0: off)", DefaultValueFactory = _ => _defaults.EarlyStoppingPatience };
        ValidationFraction = new("--validation-fraction") { Description = "Held-out fraction for validation", DefaultValueFactory = _ => _defaults.ValidationFraction };
        TimeLimit = new("--time-limit") { Description = $"Stop training after this many seconds, keeping the best weights [default: {(_defaults.TimeLimit is { } limit ? limit.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}]" };
        CheckpointDirectory = new("--checkpoint-dir") { Description = "Folder for training checkpoints; a rerun with the same folder resumes where the last one stopped (SIGKILL included) [default: none]" };
        CheckpointInterval = new("--checkpoint-interval") { Description = "Least seconds between checkpoints (written at epoch ends and when training ends)", DefaultValueFactory = _ => _defaults.CheckpointInterval.TotalSeconds };
        Seed = new("--seed") { Description = "Seed for simulation, training and sampling", DefaultValueFactory = _ => _defaults.Seed };
        Optimizer = new("--optimizer") { Description = $"Optimizer: {string.Join(" | ", Enum.GetNames<OptimizerChoice>().Select(n => n.ToLowerInvariant()))} (auto: AdamW on a fixed data set, Adam on --online)", DefaultValueFactory = _ => _defaults.Optimizer.ToString().ToLowerInvariant() };
        Validation = new("--validation") { Description = $"Validation set: {string.Join(" | ", Enum.GetNames<ValidationSource>().Select(n => n.ToLowerInvariant()))} (auto: split a fixed data set, draw once from --online; none: stop on the training loss)", DefaultValueFactory = _ => _defaults.Validation.ToString().ToLowerInvariant() };
        Width = new("--width") { Description = "Hidden width of the residual MLP", DefaultValueFactory = _ => NetworkOptions.Default.Width };
        Blocks = new("--blocks") { Description = "Residual blocks", DefaultValueFactory = _ => NetworkOptions.Default.Blocks };
    }

    public Option<int> Epochs { get; }
    public Option<int> BatchSize { get; }
    public Option<long?> MaxSteps { get; }
    public Option<string> Schedule { get; }
    public Option<double> LearningRate { get; }
    public Option<int> Patience { get; }
    public Option<double> ValidationFraction { get; }
    public Option<double?> TimeLimit { get; }
    public Option<string?> CheckpointDirectory { get; }
    public Option<double> CheckpointInterval { get; }
    public Option<long> Seed { get; }
    public Option<string> Optimizer { get; }
    public Option<string> Validation { get; }
    public Option<int> Width { get; }
    public Option<int> Blocks { get; }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Epochs, MaxSteps, Schedule, BatchSize, LearningRate, Patience, ValidationFraction, TimeLimit, CheckpointDirectory, CheckpointInterval, Seed, Optimizer, Validation, Width, Blocks })
            command.Options.Add(option);
    }

    public TrainingOptions Read(ParseResult result) => (_defaults with
    {
        Epochs = result.GetValue(Epochs),
        BatchSize = result.GetValue(BatchSize),
        MaxSteps = result.GetValue(MaxSteps) ?? _defaults.MaxSteps,
        Schedule = Choice<LearningRateSchedule>(result.GetValue(Schedule)!, "--schedule"),
        LearningRate = result.GetValue(LearningRate),
        EarlyStoppingPatience = result.GetValue(Patience),
        ValidationFraction = result.GetValue(ValidationFraction),
        TimeLimit = result.GetValue(TimeLimit) is { } seconds ? Seconds(seconds, "--time-limit", allowZero: false) : _defaults.TimeLimit,
        CheckpointDirectory = result.GetValue(CheckpointDirectory),
        CheckpointInterval = Seconds(result.GetValue(CheckpointInterval), "--checkpoint-interval", allowZero: true),
        Seed = result.GetValue(Seed),
        Optimizer = Choice<OptimizerChoice>(result.GetValue(Optimizer)!, "--optimizer"),
        Validation = Choice<ValidationSource>(result.GetValue(Validation)!, "--validation"),
    }).Validate();

    private static T Choice<T>(string value, string option) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new ArgumentException($"Unknown value '{value}' for {option}; valid: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");

    private static TimeSpan Seconds(double value, string option, bool allowZero) =>
        double.IsFinite(value) && (value > 0 || (allowZero && value == 0)) && value < TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException($"{option} must be a {(allowZero ? "non-negative" : "positive")} number of seconds; got {value}.");

    public NetworkOptions ReadNetwork(ParseResult result) =>
        (NetworkOptions.Default with { Width = result.GetValue(Width), Blocks = result.GetValue(Blocks) }).Validate();
}
