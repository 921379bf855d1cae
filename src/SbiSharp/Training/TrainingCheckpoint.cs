using System.Text.Json;
using SbiSharp.Estimators;
using TorchSharp;
using static TorchSharp.torch;

namespace SbiSharp.Training;

/// <summary>Everything that decides the rest of a training run, saved at the end of an epoch: resuming from it gives the same weights as never stopping.</summary>
/// <remarks>
/// Held: network and EMA weights, Adam moments and step count, the EMA's update count, the epoch and step (which fix the
/// learning-rate position; with the plateau schedule also its factor), the loss history and early-stopping state, the best EMA weights so far, and the state of the one
/// generator that draws the data order, the noise levels, the noise and the dropout masks. Written atomically with a
/// checksum (<see cref="ModelFile"/>); <see cref="Fingerprint"/> ties it to one configuration and data set.
/// </remarks>
internal sealed record TrainingCheckpoint
{
    public const string Kind = "training-checkpoint";
    public const string FileName = "checkpoint.sbis";

    public required string Fingerprint { get; init; }
    public required int Epoch { get; init; }
    public required long Step { get; init; }
    public required List<double> Losses { get; init; }
    public required List<double> ValidationLosses { get; init; }
    public required double BestLoss { get; init; }
    public required int BestEpoch { get; init; }
    public required int SinceBest { get; init; }
    public required long OptimizerSteps { get; init; }
    public required long EmaUpdates { get; init; }
    public required string GeneratorState { get; init; }
    public required bool Finished { get; init; }
    public required string StopReason { get; init; }
    public double LearningRateFactor { get; init; } = 1;
    public List<double> LearningRates { get; init; } = [];
    public int SinceReduction { get; init; }

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>Writes the checkpoint with its tensor sets (atomically).</summary>
    public void Write(string directory, IReadOnlyList<(string Name, IReadOnlyList<(string Name, Tensor Value)> Tensors)> sets)
    {
        ModelFile.Write(PathIn(directory), Kind, JsonSerializer.Serialize(this, ModelFile.Json), sets);
    }

    /// <summary>Deletes the temporary files of checkpoint writes that a killed run left behind (AtomicFile's <c>.checkpoint.sbis.RANDOM.tmp</c>): the
    /// folder belongs to one run, and the one resuming is it.</summary>
    private static void RemoveInterruptedWrites(string directory)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var stale in Directory.GetFiles(directory, $".{FileName}.*.tmp"))
            try { File.Delete(stale); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Reads the checkpoint in <paramref name="directory"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is corrupted, not a checkpoint, or of another configuration or data set.</exception>
    public static (TrainingCheckpoint State, ModelFile.Contents Tensors)? Read(string directory, string fingerprint)
    {
        var path = PathIn(directory);
        RemoveInterruptedWrites(directory);
        if (!File.Exists(path)) return null;
        var (kind, header, tensors) = ModelFile.Read(path);
        if (kind != Kind) throw new InvalidDataException($"'{path}' holds a '{kind}', not a training checkpoint.");
        TrainingCheckpoint state;
        try
        {
            state = JsonSerializer.Deserialize<TrainingCheckpoint>(header, ModelFile.Json) ?? throw new InvalidDataException($"'{path}' has an empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {e.Message}", e);
        }
        if (state.Fingerprint != fingerprint)
            throw new InvalidDataException(
                $"The checkpoint '{path}' belongs to another training configuration or data set (fingerprint {state.Fingerprint[..12]}…, this run {fingerprint[..12]}…); " +
                "use another --checkpoint-dir, or delete the checkpoint to start over.");
        return (state, tensors);
    }

    public static string EncodeGenerator(Generator generator)
    {
        using var state = generator.get_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public static void RestoreGenerator(Generator generator, string encoded)
    {
        using var state = tensor(Convert.FromBase64String(encoded), dtype: ScalarType.Byte);
        generator.set_state(state);
    }
}
