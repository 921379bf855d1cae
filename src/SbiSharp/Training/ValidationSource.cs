using System.Text.Json.Serialization;

namespace SbiSharp.Training;

/// <summary>Where the validation set that drives early stopping and the best-weights snapshot comes from, when none is passed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ValidationSource>))]
public enum ValidationSource
{
    /// <summary><see cref="Split"/> for a data set that can split (<see cref="Data.ISplittableDataset"/>), <see cref="Stream"/> for a stream of fresh simulations; a finite data set that can do neither is refused with a message.</summary>
    Auto,

    /// <summary>Hold out <see cref="TrainingOptions.ValidationFraction"/> of the data.</summary>
    Split,

    /// <summary>Draw <see cref="TrainingOptions.OnlineValidationSize"/> pairs once from the stream (needs a stream: a finite data set would validate on its own training pairs).</summary>
    Stream,

    /// <summary>No validation set: early stopping and the best-weights snapshot follow the training loss.</summary>
    None,
}
